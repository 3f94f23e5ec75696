/**
 * The "ridge" family's entry: least squares with an L2 penalty.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadRidge, RIDGE, RidgeParamsSchema } from "./ridge_model.ts";

/** Ridge regression: estimator (its fit code loaded on first use), params and loader. */
export const ridgeFamily: ModelFamily = trainableFamily({
  name: RIDGE,
  estimator: () => import("./ridge.ts").then((m) => m.ridgeEstimator),
  paramsSchema: RidgeParamsSchema,
  load: loadRidge,
});
