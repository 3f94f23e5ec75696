/**
 * The "median" family's entry: the median baseline.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadMedianBaseline, MEDIAN, MedianParamsSchema } from "./median_model.ts";

/** The median baseline: estimator (its fit code loaded on first use), params and loader. */
export const medianFamily: ModelFamily = trainableFamily({
  name: MEDIAN,
  estimator: () => import("./median_baseline.ts").then((m) => m.medianEstimator),
  paramsSchema: MedianParamsSchema,
  load: loadMedianBaseline,
});
