/**
 * The "median" family's entry: the median baseline.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import {
  loadMedianBaseline,
  MEDIAN,
  medianEstimator,
  MedianParamsSchema,
} from "./median_baseline.ts";

/** The median baseline: estimator, params and loader. */
export const medianFamily: ModelFamily = trainableFamily({
  name: MEDIAN,
  estimator: medianEstimator,
  paramsSchema: MedianParamsSchema,
  load: loadMedianBaseline,
});
