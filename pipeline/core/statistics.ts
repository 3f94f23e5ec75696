/**
 * The statistics every layer shares: summaries of one sample (median, mean and spread),
 * the correlation of two, and the regression metrics comparing true and predicted
 * targets (these take `(actual, predicted)` of equal, non-zero length). All are pure.
 *
 * @module
 */

function checkLengths(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length !== predicted.length) {
    throw new RangeError(`${actual.length} actual values but ${predicted.length} predictions`);
  }
  if (actual.length === 0) throw new RangeError("cannot score zero predictions");
  return actual.length;
}

/**
 * Median of the non-missing values (NaN when there are none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(median([3, NaN, 1, 2]), 2);
 * assert.equal(median([4, 1, 2, 3]), 2.5);
 * ```
 */
export function median(values: ArrayLike<number>): number {
  const finite = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/**
 * Mean and sample standard deviation (divisor n − 1, since the values are a sample of
 * what another split or shuffle would give); the std of a single value is 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(meanStd([1, 2, 3]), { mean: 2, std: 1 });
 * ```
 */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/**
 * Pearson correlation over the rows where both values are present (NaN if undefined:
 * fewer than 3 such rows, or a constant column).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const r = pearson(new Float64Array([1, 2, 3, 4]), new Float64Array([2, 4, 5, 4]));
 * assert.ok(Math.abs(r - 3.5 / Math.sqrt(5 * 4.75)) < 1e-12);
 * ```
 */
export function pearson(a: Float64Array, b: Float64Array): number {
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return n < 3 || va <= 0 || vb <= 0 ? NaN : cov / Math.sqrt(va * vb);
}

/**
 * Root mean squared error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rmse } from "./statistics.ts";
 *
 * assert.equal(rmse([1, 2, 3], [1, 2, 5]), Math.sqrt(4 / 3));
 * ```
 */
export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = checkLengths(actual, predicted);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (actual[i] - predicted[i]) ** 2;
  return Math.sqrt(sum / n);
}

/**
 * Mean absolute error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mae } from "./statistics.ts";
 *
 * assert.equal(mae([1, 2, 3], [1, 2, 5]), 2 / 3);
 * ```
 */
export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = checkLengths(actual, predicted);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / n;
}

/**
 * Coefficient of determination, `1 − SSE / SST` around the mean of `actual`; NaN when
 * `actual` is constant (no variance to explain). Negative when worse than the mean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { r2 } from "./statistics.ts";
 *
 * assert.equal(r2([1, 2, 3], [1, 2, 5]), -1); // 1 - 4 / 2
 * assert.ok(Number.isNaN(r2([2, 2, 2], [1, 2, 3]))); // constant actual: nothing to explain
 * ```
 */
export function r2(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const n = checkLengths(actual, predicted);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i];
  mean /= n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (actual[i] - predicted[i]) ** 2;
    sst += (actual[i] - mean) ** 2;
  }
  return sst === 0 ? NaN : 1 - sse / sst;
}

/** Mean absolute percentage error and how many rows it could not use. */
export interface Mape {
  /** Mean of `|actual − predicted| / actual` over the used rows (a fraction, not %). */
  readonly value: number;
  /** Rows with `actual > 0`, the only ones where a relative error is defined. */
  readonly used: number;
  /** Rows left out because `actual <= 0`; NaN `value` when all are. */
  readonly excluded: number;
}

/**
 * Mean absolute percentage error over the rows whose actual value is positive; the
 * normalised target has exact zeros, where a relative error would be infinite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mape } from "./statistics.ts";
 *
 * // (|2 - 1| / 2 + |4 - 5| / 4) / 2; the zero actual is left out
 * assert.deepEqual(mape([0, 2, 4], [1, 1, 5]), { value: 0.375, used: 2, excluded: 1 });
 * ```
 */
export function mape(actual: ArrayLike<number>, predicted: ArrayLike<number>): Mape {
  const n = checkLengths(actual, predicted);
  let sum = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (!(actual[i] > 0)) continue;
    sum += Math.abs(actual[i] - predicted[i]) / actual[i];
    used++;
  }
  return { value: used === 0 ? NaN : sum / used, used, excluded: n - used };
}

/** The standard metric set reported for every model. */
export interface RegressionMetrics {
  readonly rmse: number;
  readonly mae: number;
  readonly r2: number;
  readonly mape: Mape;
}

/**
 * Computes all metrics at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { regressionMetrics } from "./statistics.ts";
 *
 * const { rmse, r2, mape } = regressionMetrics([0.1, 0.4, 0.7], [0.2, 0.4, 0.6]);
 * assert.ok(Math.abs(rmse - Math.sqrt(0.02 / 3)) < 1e-12);
 * assert.ok(Math.abs(r2 - (1 - 0.02 / 0.18)) < 1e-12);
 * assert.equal(mape.used, 3);
 * ```
 */
export function regressionMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): RegressionMetrics {
  return {
    rmse: rmse(actual, predicted),
    mae: mae(actual, predicted),
    r2: r2(actual, predicted),
    mape: mape(actual, predicted),
  };
}
