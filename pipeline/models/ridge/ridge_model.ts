/**
 * What a "ridge" model is, apart from how it is fitted: its family name, its
 * hyperparameters and how a fitted one is loaded.
 *
 * @module
 */
import { z } from "zod";
import { type LinearRegressor, loadLinearModel } from "../linear/linear_model.ts";
import type { SerializedModel } from "../regressor.ts";

/** The family name of ridge regression. */
export const RIDGE = "ridge";

/** Hyperparameters of ridge regression. */
export const RidgeParamsSchema = z.strictObject({
  /** Penalty strength; positive so that the system is always solvable. */
  alpha: z.number().positive().default(1),
});

/** Ridge hyperparameters as accepted by `fit` (defaults filled in). */
export type RidgeParams = z.input<typeof RidgeParamsSchema>;

/** Loads a serialised "ridge" model. */
export function loadRidge(model: SerializedModel): LinearRegressor {
  return loadLinearModel(model, RIDGE);
}
