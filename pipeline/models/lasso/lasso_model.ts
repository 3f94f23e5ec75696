/**
 * What a "lasso" model is, apart from how it is fitted: its family name, its
 * hyperparameters and how a fitted one is loaded.
 *
 * @module
 */
import type { z } from "zod";
import { CoordinateDescentParamsSchema } from "../elastic_net/elastic_net_model.ts";
import { type LinearRegressor, loadLinearModel } from "../linear/linear_model.ts";
import type { SerializedModel } from "../regressor.ts";

/** The family name of the lasso. */
export const LASSO = "lasso";

/** Hyperparameters of the lasso: the elastic net's, without `l1Ratio`. */
export const LassoParamsSchema = CoordinateDescentParamsSchema;

/** Lasso hyperparameters as accepted by `fit` (defaults filled in). */
export type LassoParams = z.input<typeof LassoParamsSchema>;

/** Loads a serialised "lasso" model. */
export function loadLasso(model: SerializedModel): LinearRegressor {
  return loadLinearModel(model, LASSO);
}
