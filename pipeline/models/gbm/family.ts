/**
 * The "gbm" family's entry: histogram-based gradient-boosted trees.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadGbm } from "./gbm_model.ts";
import { GbmParamsSchema } from "./gbm_params.ts";
import { GBM_FAMILY } from "./gbm_state.ts";

/** Gradient-boosted trees: estimator (its fit code loaded on first use), params and loader. */
export const gbmFamily: ModelFamily = trainableFamily({
  name: GBM_FAMILY,
  estimator: () => import("./gbm.ts").then((m) => m.gbmEstimator),
  paramsSchema: GbmParamsSchema,
  load: loadGbm,
});
