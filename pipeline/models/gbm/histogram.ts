/**
 * Gradient histograms over binned features. Feature `j` owns slots
 * `offsets[j]..offsets[j+1]-1` (its value bins, then its missing bin); each slot holds
 * an interleaved pair `[gradient sum, row count]`.
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
    for (let s = 2 * offsets[j], e = 2 * offsets[j + 1]; s < e; s++) parent[s] -= child[s];
  }
}
