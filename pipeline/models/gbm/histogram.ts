/**
 * Gradient histograms over binned features. Feature `j` owns slots
 * `offsets[j]..offsets[j+1]-1` (its value bins, then its missing bin); each slot holds
 * an interleaved pair `[gradient sum, row count]`.
 *
 * Two scans fill them: feature by feature over the column-major bin codes (cheap when
 * few features are sampled), or row by row over {@linkcode rowSlots} (each row's slots
 * in one cache line or two, and no two updates of a row touch the same slot).
 *
 * @module
 */
import type { BinnedMatrix } from "./binning.ts";

/** Slot offsets of every feature's histogram; the last entry is the total slot count. */
export function histogramOffsets(binCounts: Int32Array): Int32Array {
  const offsets = new Int32Array(binCounts.length + 1);
  for (let j = 0; j < binCounts.length; j++) offsets[j + 1] = offsets[j] + binCounts[j] + 1;
  return offsets;
}

/** Allocates an empty histogram for the given layout. */
export function newHistogram(offsets: Int32Array): Float64Array {
  return new Float64Array(2 * offsets[offsets.length - 1]);
}

/**
 * Overwrites the histograms of `features` in `hist` with the gradient sums and counts
 * of the rows `rows[start..end)`.
 */
export function buildHistogram(
  hist: Float64Array,
  binned: BinnedMatrix,
  offsets: Int32Array,
  gradients: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
  features: Int32Array,
): void {
  const { codes, rows: n } = binned;
  for (const j of features) hist.fill(0, 2 * offsets[j], 2 * offsets[j + 1]);
  let f = 0;
  // Four features per pass: rows often repeat a bin, and updates to four different
  // histograms do not wait on each other the way repeated updates to one slot do.
  for (; f + 4 <= features.length; f += 4) {
    const j0 = features[f], j1 = features[f + 1], j2 = features[f + 2], j3 = features[f + 3];
    const s0 = 2 * offsets[j0], s1 = 2 * offsets[j1], s2 = 2 * offsets[j2], s3 = 2 * offsets[j3];
    const b0 = j0 * n, b1 = j1 * n, b2 = j2 * n, b3 = j3 * n;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const g = gradients[r];
      let s = s0 + 2 * codes[b0 + r];
      hist[s] += g;
      hist[s + 1]++;
      s = s1 + 2 * codes[b1 + r];
      hist[s] += g;
      hist[s + 1]++;
      s = s2 + 2 * codes[b2 + r];
      hist[s] += g;
      hist[s + 1]++;
      s = s3 + 2 * codes[b3 + r];
      hist[s] += g;
      hist[s + 1]++;
    }
  }
  for (; f < features.length; f++) {
    const slot0 = 2 * offsets[features[f]];
    const base = features[f] * n;
    for (let k = start; k < end; k++) {
      const s = slot0 + 2 * codes[base + rows[k]];
      hist[s] += gradients[rows[k]];
      hist[s + 1]++;
    }
  }
}

/**
 * The row-major matrix of histogram positions: entry `r * cols + j` is the index in a
 * histogram (see {@linkcode newHistogram}) of the gradient sum of row `r`'s bin of
 * feature `j`; the row count sits one after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { binMatrix, fitBinMapper } from "./binning.ts";
 * import { histogramOffsets, rowSlots } from "./histogram.ts";
 *
 * const x = fromRows([[0.1, 5], [0.4, NaN], [0.2, 5]]);
 * const binned = binMatrix(fitBinMapper(x, [0, 1, 2], 256), x);
 * const offsets = histogramOffsets(binned.binCounts); // feature 1's slots start at 4
 * // Row 1: feature 0's bin 2 (index 2 * 2), feature 1's missing bin 1 (2 * (4 + 1)).
 * assert.deepEqual(rowSlots(binned, offsets), Uint16Array.of(0, 8, 4, 10, 2, 8));
 * ```
 */
export function rowSlots(binned: BinnedMatrix, offsets: Int32Array): Uint16Array | Uint32Array {
  const { rows, cols, codes } = binned;
  const size = rows * cols;
  const slots = 2 * offsets[cols] <= 0x10000 ? new Uint16Array(size) : new Uint32Array(size);
  for (let j = 0; j < cols; j++) {
    const slot0 = 2 * offsets[j];
    for (let r = 0; r < rows; r++) slots[r * cols + j] = slot0 + 2 * codes[j * rows + r];
  }
  return slots;
}

/**
 * Overwrites the whole of `hist` with the gradient sums and counts of the rows
 * `rows[start..end)` over every feature, reading {@linkcode rowSlots} (`cols` wide).
 * The fastest scan when all or most features are wanted.
 */
export function buildHistogramByRow(
  hist: Float64Array,
  slots: Uint16Array | Uint32Array,
  cols: number,
  gradients: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
): void {
  hist.fill(0);
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const g = gradients[r];
    const base = r * cols;
    // `(j + 1) | 0` is int32 arithmetic, so V8 emits a plain add where `j++` costs an
    // overflow check per slot. Indices stay below 2^31: `x` would hold 16 GB of doubles.
    for (let j = base, e = base + cols; j < e; j = (j + 1) | 0) {
      const s = slots[j];
      hist[s] += g;
      hist[s + 1]++;
    }
  }
}

/**
 * Adds the gradient sums of the rows `rows[start..end)` to `hist` over every feature,
 * leaving its row counts alone: for a histogram whose counts are already known (the
 * same rows as an earlier one, other gradients).
 */
export function addGradientsByRow(
  hist: Float64Array,
  slots: Uint16Array | Uint32Array,
  cols: number,
  gradients: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const g = gradients[r];
    const base = r * cols;
    // `| 0`: no overflow check per slot (see `buildHistogramByRow`).
    for (let j = base, e = base + cols; j < e; j = (j + 1) | 0) hist[slots[j]] += g;
  }
}

/**
 * Turns a parent's histogram into its other child's by subtracting one child's,
 * which is cheaper than scanning the larger child's rows.
 */
export function subtractHistogram(
  parent: Float64Array,
  child: Float64Array,
  offsets: Int32Array,
  features: Int32Array,
): void {
  for (let f = 0; f < features.length; f++) {
    const j = features[f];
    // `| 0` keeps the index int32 without an overflow check (see `buildHistogramByRow`).
    for (let s = 2 * offsets[j], e = 2 * offsets[j + 1]; s < e; s = (s + 1) | 0) {
      parent[s] -= child[s];
    }
  }
}
