/**
 * The "lasso" family: the elastic net with a pure L1 penalty (`l1Ratio` 1), which sets
 * the coefficients of uninformative columns exactly to zero.
 *
 * @module
 */
import type { z } from "zod";
import type { Matrix } from "../core/matrix.ts";
import { CoordinateDescentParamsSchema, fitElasticNet } from "./elastic_net.ts";
import { type LinearRegressor, loadLinearModel } from "./linear_model.ts";
import type { Estimator, SerializedModel } from "./regressor.ts";

/** The family name of the lasso. */
export const LASSO = "lasso";

/** Hyperparameters of the lasso: the elastic net's, without `l1Ratio`. */
export const LassoParamsSchema = CoordinateDescentParamsSchema;

/** Lasso hyperparameters as accepted by `fit` (defaults filled in). */
export type LassoParams = z.input<typeof LassoParamsSchema>;

/**
 * Fits the lasso.
 *
 * @example
 * ```ts
 * const model = lassoEstimator.fit(x, y, { alpha: 0.01 }, 0);
 * ```
 */
export const lassoEstimator = {
  family: LASSO,
  fit: (x: Matrix, y: Float64Array, params: LassoParams, _seed?: number): LinearRegressor =>
    fitElasticNet(x, y, { ...LassoParamsSchema.parse(params), l1Ratio: 1 }, LASSO).model,
} satisfies Estimator<LassoParams>;

/** Loads a serialised "lasso" model. */
export function loadLasso(model: SerializedModel): LinearRegressor {
  return loadLinearModel(model, LASSO);
}
