/**
 * What an "ols" model is, apart from how it is fitted: its family name, its
 * hyperparameters and how a fitted one is loaded.
 *
 * @module
 */
import { z } from "zod";
import { type LinearRegressor, loadLinearModel } from "../linear/linear_model.ts";
import type { SerializedModel } from "../regressor.ts";

/** The family name of ordinary least squares. */
export const OLS = "ols";

/** Hyperparameters of ordinary least squares. */
export const OlsParamsSchema = z.strictObject({
  /**
   * Eigenvalues of the scaled `XᵀX` below `rcond` times the largest are treated as zero
   * (a singular-value ratio of `sqrt(rcond)`).
   */
  rcond: z.number().gt(0).lt(1).default(1e-10),
});

/** OLS hyperparameters as accepted by `fit` (defaults filled in). */
export type OlsParams = z.input<typeof OlsParamsSchema>;

/** Loads a serialised "ols" model. */
export function loadOls(model: SerializedModel): LinearRegressor {
  return loadLinearModel(model, OLS);
}
