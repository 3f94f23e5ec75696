/**
 * The range predictions are served in, shared by the HTTP server and the MLflow
 * `python_function` model so that both answer alike.
 *
 * @module
 */

/**
 * The range predictions are clipped to: the target is on the data set's normalised
 * [0, 1] scale, so a value outside it can only be extrapolation error.
 */
export const PREDICTION_RANGE = [0, 1] as const;

/**
 * Clips each prediction to {@linkcode PREDICTION_RANGE} in place; throws naming the first
 * NaN (clipping would pass it through, and JSON would turn it into null).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(clipPredictions(new Float64Array([-0.2, 0.5, 1.3]), "m"), new Float64Array([0, 0.5, 1]));
 * assert.throws(() => clipPredictions(new Float64Array([NaN]), "m"), /m predicted NaN for row 0/);
 * ```
 */
export function clipPredictions(y: Float64Array, label: string): Float64Array {
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) throw new Error(`${label} predicted NaN for row ${i}`);
    y[i] = clipPrediction(y[i]);
  }
  return y;
}

/**
 * One prediction clipped to {@linkcode PREDICTION_RANGE}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual([clipPrediction(-0.2), clipPrediction(0.5), clipPrediction(1.3)], [0, 0.5, 1]);
 * ```
 */
export function clipPrediction(y: number): number {
  return Math.min(PREDICTION_RANGE[1], Math.max(PREDICTION_RANGE[0], y));
}
