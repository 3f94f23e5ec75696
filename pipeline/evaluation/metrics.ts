/**
 * Regression metrics comparing true and predicted targets. All take `(actual,
 * predicted)` of equal, non-zero length and are pure.
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
 * Root mean squared error.
 *
 * @example
 * ```ts
 * rmse([1, 2, 3], [1, 2, 5]); // sqrt(4 / 3)
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
 * mae([1, 2, 3], [1, 2, 5]); // 2 / 3
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
 * r2([1, 2, 3], [1, 2, 5]); // 1 - 4 / 2 = -1
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
 * mape([0, 2, 4], [1, 1, 5]); // { value: 0.375, used: 2, excluded: 1 }
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
 * const { rmse, r2 } = regressionMetrics([0.1, 0.4, 0.7], [0.2, 0.4, 0.6]);
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
