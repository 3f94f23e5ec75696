/**
 * The "ols" family's entry: ordinary least squares.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadOls, OLS, OlsParamsSchema } from "./ols_model.ts";

/** Ordinary least squares: estimator (its fit code loaded on first use), params and loader. */
export const olsFamily: ModelFamily = trainableFamily({
  name: OLS,
  estimator: () => import("./ols.ts").then((m) => m.olsEstimator),
  paramsSchema: OlsParamsSchema,
  load: loadOls,
});
