/**
 * The "mean" family's entry: the mean baseline.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadMeanBaseline, MEAN, MeanParamsSchema } from "./mean_model.ts";

/** The mean baseline: estimator (its fit code loaded on first use), params and loader. */
export const meanFamily: ModelFamily = trainableFamily({
  name: MEAN,
  estimator: () => import("./mean_baseline.ts").then((m) => m.meanEstimator),
  paramsSchema: MeanParamsSchema,
  load: loadMeanBaseline,
});
