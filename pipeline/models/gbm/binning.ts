/**
 * Maps real-valued features to small integer bins so that split search works on
 * histograms instead of sorted values. Cut points are real numbers, so a split found
 * on bins translates exactly into a threshold on raw values.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";

/** Per-feature ascending cut points: value bin `b` holds `x` with `cuts[b-1] < x <= cuts[b]`. */
export interface BinMapper {
  readonly cuts: readonly Float64Array[];
}

/**
 * A column-major matrix of bin codes. Feature `j` has `binCounts[j]` value bins coded
 * `0..binCounts[j]-1`; code `binCounts[j]` marks a missing value.
 */
export interface BinnedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly codes: Uint8Array | Uint16Array;
  readonly binCounts: Int32Array;
}

/**
 * Learns cut points from the given rows of `x`: one bin per distinct value when there
 * are at most `maxBins` of them (exact for data on a coarse grid), else quantile bins.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { binMatrix, fitBinMapper } from "./binning.ts";
 *
 * const x = fromRows([[0.1, 5], [0.4, NaN], [0.2, 5], [0.9, 7]]);
 * const mapper = fitBinMapper(x, [0, 1, 2, 3], 256);
 * assert.deepEqual(mapper.cuts, [Float64Array.of(0.15, 0.3, 0.7), Float64Array.of(6)]);
 * const binned = binMatrix(mapper, x);
 * assert.deepEqual(binned.binCounts, Int32Array.of(4, 2));
 * // Column-major: feature 0's rows, then feature 1's, whose missing value gets code 2.
 * assert.deepEqual(binned.codes, Uint8Array.of(0, 2, 1, 3, 0, 2, 0, 1));
 * ```
 */
export function fitBinMapper(x: Matrix, rows: ArrayLike<number>, maxBins: number): BinMapper {
  const cuts: Float64Array[] = [];
  const values = new Float64Array(rows.length);
  for (let j = 0; j < x.cols; j++) {
    let n = 0;
    for (let k = 0; k < rows.length; k++) {
      const v = x.data[rows[k] * x.cols + j];
      if (!Number.isNaN(v)) values[n++] = v;
    }
    cuts.push(featureCuts(values.subarray(0, n).sort(), maxBins));
  }
  return { cuts };
}

/** Bins every row of `x` with a fitted mapper; NaN goes to each feature's missing code. */
export function binMatrix(mapper: BinMapper, x: Matrix): BinnedMatrix {
  if (mapper.cuts.length !== x.cols) {
    throw new RangeError(`bin mapper has ${mapper.cuts.length} features, matrix has ${x.cols}`);
  }
  const binCounts = Int32Array.from(mapper.cuts, (c) => c.length + 1);
  const maxCode = binCounts.reduce((a, b) => Math.max(a, b), 0);
  const size = x.rows * x.cols;
  const codes = maxCode <= 0xff ? new Uint8Array(size) : new Uint16Array(size);
  for (let j = 0; j < x.cols; j++) {
    const cuts = mapper.cuts[j];
    for (let i = 0; i < x.rows; i++) {
      const v = x.data[i * x.cols + j];
      codes[j * x.rows + i] = Number.isNaN(v) ? binCounts[j] : lowerBound(cuts, v);
    }
  }
  return { rows: x.rows, cols: x.cols, codes, binCounts };
}

/** Cut points for one feature's sorted, non-missing values. */
function featureCuts(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const cuts: number[] = [];
  let distinct = 0;
  for (let k = 0; k < n; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct++;
  const exact = distinct <= maxBins;
  let binStart = 0;
  for (let k = 0; k < n - 1 && cuts.length < maxBins - 1; k++) {
    if (sorted[k] === sorted[k + 1]) continue;
    // Quantile bins share out what is left after each cut, so a heavily repeated value
    // takes one bin without starving the values after it.
    if (exact || k + 1 - binStart >= (n - binStart) / (maxBins - cuts.length)) {
      cuts.push(shortCut(sorted[k], sorted[k + 1]));
      binStart = k + 1;
    }
  }
  return Float64Array.from(cuts);
}

/** The shortest decimal in (lo, hi) near their midpoint, so thresholds stay compact in JSON. */
function shortCut(lo: number, hi: number): number {
  const mid = lo + (hi - lo) / 2;
  for (let digits = 1; digits <= 17; digits++) {
    const t = Number(mid.toPrecision(digits));
    if (t > lo && t < hi) return t;
  }
  // Adjacent doubles have nothing between them; `lo` still separates them under `x <= t`.
  return lo;
}

/** Index of the first cut `>= v`, or `cuts.length` when all cuts are below `v`. */
function lowerBound(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
