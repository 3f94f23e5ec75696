/**
 * The "gbm" family's entry: histogram-based gradient-boosted trees.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { GBM_FAMILY, gbmEstimator, GbmParamsSchema, loadGbm } from "./mod.ts";

/** Gradient-boosted trees: estimator, params and loader. */
export const gbmFamily: ModelFamily = trainableFamily({
  name: GBM_FAMILY,
  estimator: gbmEstimator,
  paramsSchema: GbmParamsSchema,
  load: loadGbm,
});
