/**
 * The "lasso" family's entry: least squares with an L1 penalty.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { LASSO, LassoParamsSchema, loadLasso } from "./lasso_model.ts";

/** The lasso: estimator (its fit code loaded on first use), params and loader. */
export const lassoFamily: ModelFamily = trainableFamily({
  name: LASSO,
  estimator: () => import("./lasso.ts").then((m) => m.lassoEstimator),
  paramsSchema: LassoParamsSchema,
  load: loadLasso,
});
