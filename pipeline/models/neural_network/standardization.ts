/**
 * Per-column centring and scaling with statistics taken from training rows only, so
 * that the same transform can be replayed on unseen rows at prediction time.
 *
 * @module
 */
import { type Matrix, matrix } from "../../core/matrix.ts";

/** Column means and scales; a constant column gets scale 1 so it maps to 0, not NaN. */
export interface Standardization {
  /** Per-column mean. */
  readonly mean: readonly number[];
  /** Per-column standard deviation, or 1 for a constant column. */
  readonly scale: readonly number[];
}

/** Computes each column's mean and population standard deviation. */
export function fitStandardization(x: Matrix): Standardization {
  const mean = new Array<number>(x.cols).fill(0);
  const scale = new Array<number>(x.cols).fill(0);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) mean[j] += x.data[i * x.cols + j] / x.rows;
  }
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) scale[j] += (x.data[i * x.cols + j] - mean[j]) ** 2 / x.rows;
  }
  return { mean, scale: scale.map((v) => v > 0 ? Math.sqrt(v) : 1) };
}

/** Returns `(x - mean) / scale`, column by column, in `out` if given (same shape as `x`). */
export function standardize(x: Matrix, s: Standardization, out?: Matrix): Matrix {
  if (x.cols !== s.mean.length) {
    throw new RangeError(`standardisation has ${s.mean.length} columns, got ${x.cols}`);
  }
  if (out && (out.rows !== x.rows || out.cols !== x.cols)) {
    throw new RangeError(`output must be ${x.rows} x ${x.cols}, got ${out.rows} x ${out.cols}`);
  }
  out ??= matrix(x.rows, x.cols);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0, k = i * x.cols; j < x.cols; j++, k++) {
      out.data[k] = (x.data[k] - s.mean[j]) / s.scale[j];
    }
  }
  return out;
}
