/**
 * The "ols" family's entry: ordinary least squares.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadOls, OLS, olsEstimator, OlsParamsSchema } from "./ols.ts";

/** Ordinary least squares: estimator, params and loader. */
export const olsFamily: ModelFamily = trainableFamily({
  name: OLS,
  estimator: olsEstimator,
  paramsSchema: OlsParamsSchema,
  load: loadOls,
});
