/**
 * The "lasso" family's entry: least squares with an L1 penalty.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { LASSO, lassoEstimator, LassoParamsSchema, loadLasso } from "./lasso.ts";

/** The lasso: estimator, params and loader. */
export const lassoFamily: ModelFamily = trainableFamily({
  name: LASSO,
  estimator: lassoEstimator,
  paramsSchema: LassoParamsSchema,
  load: loadLasso,
});
