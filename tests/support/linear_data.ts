/**
 * Synthetic regression data for model tests: uniform inputs and a linear target with
 * optional Gaussian noise, reproducible from a seed.
 *
 * @module
 */
import { type Matrix, matrix } from "../../pipeline/core/matrix.ts";
import { seededRandom } from "../../pipeline/core/random.ts";

/** A `rows × cols` matrix of uniform values in [0, 1). */
export function uniformMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = seededRandom(seed);
  return matrix(rows, cols, Float64Array.from({ length: rows * cols }, rng.next));
}

/** `intercept + x · coefficients + noise · N(0, 1)` for every row of `x`. */
export function linearTarget(
  x: Matrix,
  coefficients: readonly number[],
  intercept: number,
  noise = 0,
  seed = 1,
): Float64Array {
  const rng = seededRandom(seed);
  const y = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let sum = intercept;
    for (let j = 0; j < x.cols; j++) sum += x.data[i * x.cols + j] * coefficients[j];
    // Box–Muller; 1 - next() avoids log(0).
    const gaussian = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    y[i] = sum + noise * gaussian;
  }
  return y;
}

/** Euclidean norm of a vector. */
export function norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  return Math.sqrt(sum);
}

/** Largest absolute elementwise difference of two equally long vectors. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths ${a.length} and ${b.length} differ`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
