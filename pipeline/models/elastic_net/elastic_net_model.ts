/**
 * What an "elastic_net" model is, apart from how it is fitted: its family name, its
 * hyperparameters (the coordinate descent's shared with the lasso) and how a fitted one
 * is loaded.
 *
 * @module
 */
import { z } from "zod";
import { type LinearRegressor, loadLinearModel } from "../linear/linear_model.ts";
import type { SerializedModel } from "../regressor.ts";

/** The family name of the elastic net. */
export const ELASTIC_NET = "elastic_net";

/** Settings of the coordinate descent, shared with the lasso. */
export const CoordinateDescentParamsSchema = z.strictObject({
  /** Penalty strength, positive (use OLS for none); tune it (see training/tuning.ts). */
  alpha: z.number().positive().default(1e-3),
  /**
   * Stop when the duality gap falls below `tol` times the target's variance; the RMSE
   * of the predictions is then within `sd(y)·sqrt(2·tol)` of the exact optimum's.
   */
  tol: z.number().positive().default(1e-6),
  /** Maximum number of full sweeps over the coefficients. */
  maxIter: z.number().int().positive().default(10_000),
});

/** Hyperparameters of the elastic net. */
export const ElasticNetParamsSchema = CoordinateDescentParamsSchema.extend({
  /** Share of the penalty that is L1: 1 is the lasso, 0 is ridge. */
  l1Ratio: z.number().min(0).max(1).default(0.5),
});

/** Elastic net hyperparameters as accepted by `fit` (defaults filled in). */
export type ElasticNetParams = z.input<typeof ElasticNetParamsSchema>;

/** Loads a serialised "elastic_net" model. */
export function loadElasticNet(model: SerializedModel): LinearRegressor {
  return loadLinearModel(model, ELASTIC_NET);
}
