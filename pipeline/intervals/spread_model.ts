/**
 * The spread model of normalised conformal intervals: the expected absolute residual as
 * a straight line in the prediction, fitted by least squares, floored so that a score
 * never divides by (almost) zero. Crime rates near 0 are predicted with small errors and
 * high ones with large errors, so a width that grows with the prediction can keep the
 * coverage at a smaller mean width.
 *
 * @module
 */
import type { SpreadModel } from "../bundle/prediction_intervals.ts";

/**
 * Fits |residual| ≈ intercept + slope · prediction; the floor is a tenth of the mean
 * absolute residual (at least 0.001).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const predicted = [0, 0.5, 1, 0, 0.5, 1];
 * const residuals = [0.01, 0.06, 0.11, -0.01, -0.06, -0.11]; // |r| = 0.01 + 0.1·ŷ
 * const spread = fitSpreadModel(predicted, residuals);
 * assert.ok(Math.abs(spread.intercept - 0.01) < 1e-9 && Math.abs(spread.slope - 0.1) < 1e-9);
 * ```
 */
export function fitSpreadModel(
  predicted: ArrayLike<number>,
  residuals: ArrayLike<number>,
): SpreadModel {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < predicted.length; i++) {
    const x = predicted[i], y = Math.abs(residuals[i]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n === 0) throw new RangeError("cannot fit a spread model to no residuals");
  const variance = sxx - (sx * sx) / n;
  const slope = variance > 0 ? (sxy - (sx * sy) / n) / variance : 0;
  const intercept = sy / n - (slope * sx) / n;
  return { intercept, slope, floor: Math.max(0.001, sy / n / 10) };
}
