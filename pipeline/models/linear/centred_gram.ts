/**
 * The sufficient statistics of a linear least-squares fit with an unpenalised intercept:
 * column means and the cross products of the centred inputs and target. Centring first
 * keeps the intercept out of every penalty and out of the rank decision.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { assertNoMissing } from "../assert_no_missing.ts";

/** Means and centred cross products of a design matrix `x` and target `y`. */
export interface CentredGram {
  readonly rows: number;
  readonly cols: number;
  readonly xMean: Float64Array;
  readonly yMean: number;
  /** Row-major `cols × cols` matrix `Xcᵀ Xc` of the centred inputs. */
  readonly gram: Float64Array;
  /** `Xcᵀ yc`, the centred inputs times the centred target. */
  readonly xty: Float64Array;
}

/**
 * Computes the centred cross products; `family` names the model in the error thrown
 * when `x` holds a missing value or `y` a non-finite one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { centredGram } from "./centred_gram.ts";
 *
 * const g = centredGram(fromRows([[1], [2], [3]]), new Float64Array([2, 4, 6]), "ols");
 * assert.deepEqual([g.xMean[0], g.yMean], [2, 4]);
 * assert.deepEqual(g.gram, Float64Array.of(2)); // Σ (x − 2)²
 * assert.deepEqual(g.xty, Float64Array.of(4)); // Σ (x − 2)(y − 4)
 * assert.throws(() => centredGram(fromRows([[NaN]]), Float64Array.of(1), "ols"), /ols/);
 * ```
 */
export function centredGram(x: Matrix, y: Float64Array, family: string): CentredGram {
  assertNoMissing(x, family);
  if (y.length !== x.rows) {
    throw new RangeError(`${family}: x has ${x.rows} rows but y has ${y.length} values`);
  }
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`${family}: target value at row ${bad} is ${y[bad]}`);
  if (x.rows === 0) throw new RangeError(`${family}: cannot fit on zero rows`);
  const { rows: n, cols: p, data } = x;
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) xMean[j] += data[i * p + j];
    yMean += y[i];
  }
  for (let j = 0; j < p; j++) {
    xMean[j] /= n;
    // A rounded mean would leave a constant column with ~1e-17 "variance" that a
    // scale-free solver would happily fit; pinning the mean makes it exactly zero.
    const first = data[j];
    let constant = true;
    for (let i = 1; i < n && constant; i++) constant = data[i * p + j] === first;
    if (constant) xMean[j] = first;
  }
  yMean /= n;
  // Column-major centred copies turn every cross product into a contiguous dot product.
  const centred = Array.from({ length: p }, (_, j) => {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = data[i * p + j] - xMean[j];
    return c;
  });
  const yc = y.map((v) => v - yMean);
  const gram = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const a = centred[j];
    xty[j] = dot(a, yc);
    for (let k = j; k < p; k++) gram[j * p + k] = gram[k * p + j] = dot(a, centred[k]);
  }
  return { rows: n, cols: p, xMean, yMean, gram, xty };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** The intercept that makes a fit on centred data predict `yMean` at `xMean`. */
export function interceptFor(g: CentredGram, coefficients: Float64Array): number {
  let intercept = g.yMean;
  for (let j = 0; j < g.cols; j++) intercept -= coefficients[j] * g.xMean[j];
  return intercept;
}
