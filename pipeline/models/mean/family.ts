/**
 * The "mean" family's entry: the mean baseline.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadMeanBaseline, MEAN, meanEstimator, MeanParamsSchema } from "./mean_baseline.ts";

/** The mean baseline: estimator, params and loader. */
export const meanFamily: ModelFamily = trainableFamily({
  name: MEAN,
  estimator: meanEstimator,
  paramsSchema: MeanParamsSchema,
  load: loadMeanBaseline,
});
