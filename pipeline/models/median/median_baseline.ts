/**
 * The "median" family: predicts the training target's median, the constant that
 * minimises absolute error, robust to the long right tail of crime rates.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { median } from "../../core/statistics.ts";
import { type ConstantRegressor, fitConstantModel } from "../constant/constant_model.ts";
import type { Estimator } from "../regressor.ts";
import { MEDIAN, type MedianParams, MedianParamsSchema } from "./median_model.ts";

/**
 * Fits the median of `y`; the input values and `seed` are ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { medianEstimator } from "./median_baseline.ts";
 *
 * const x = matrix(3, 2); // the values are ignored; only the row count is checked
 * const model = medianEstimator.fit(x, new Float64Array([1, 2, 6]), {}, 0);
 * assert.deepEqual(model.predict(matrix(2, 2)), Float64Array.of(2, 2));
 * assert.throws(() => medianEstimator.fit(x, new Float64Array([1, 2]), {}, 0), RangeError);
 * ```
 */
export const medianEstimator = {
  family: MEDIAN,
  fit(x: Matrix, y: Float64Array, params: MedianParams, _seed?: number): ConstantRegressor {
    MedianParamsSchema.parse(params);
    return fitConstantModel(MEDIAN, x, y, median);
  },
} satisfies Estimator<MedianParams>;
