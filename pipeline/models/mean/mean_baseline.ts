/**
 * The "mean" family: predicts the training target's mean, the constant that minimises
 * squared error and so the floor any model's RMSE must beat.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { type ConstantRegressor, fitConstantModel } from "../constant/constant_model.ts";
import type { Estimator } from "../regressor.ts";
import { MEAN, type MeanParams, MeanParamsSchema } from "./mean_model.ts";

/**
 * Fits the mean of `y`; the input values and `seed` are ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { meanEstimator } from "./mean_baseline.ts";
 *
 * const x = matrix(3, 2); // the values are ignored; only the row count is checked
 * const model = meanEstimator.fit(x, new Float64Array([1, 2, 6]), {}, 0);
 * assert.deepEqual(model.predict(matrix(2, 2)), Float64Array.of(3, 3));
 * assert.throws(() => meanEstimator.fit(x, new Float64Array([1, 2]), {}, 0), RangeError);
 * ```
 */
export const meanEstimator = {
  family: MEAN,
  fit(x: Matrix, y: Float64Array, params: MeanParams, _seed?: number): ConstantRegressor {
    MeanParamsSchema.parse(params);
    return fitConstantModel(MEAN, x, y, (v) => v.reduce((sum, t) => sum + t, 0) / v.length);
  },
} satisfies Estimator<MeanParams>;
