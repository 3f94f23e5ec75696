/**
 * The "ridge" family's entry: least squares with an L2 penalty.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadRidge, RIDGE, ridgeEstimator, RidgeParamsSchema } from "./ridge.ts";

/** Ridge regression: estimator, params and loader. */
export const ridgeFamily: ModelFamily = trainableFamily({
  name: RIDGE,
  estimator: ridgeEstimator,
  paramsSchema: RidgeParamsSchema,
  load: loadRidge,
});
