/**
 * The "random_forest" family's entry: bagged regression trees.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import {
  loadRandomForest,
  RANDOM_FOREST,
  randomForestEstimator,
  RandomForestParamsSchema,
} from "./random_forest.ts";

/** The random forest: estimator, params and loader. */
export const randomForestFamily: ModelFamily = trainableFamily({
  name: RANDOM_FOREST,
  estimator: randomForestEstimator,
  paramsSchema: RandomForestParamsSchema,
  load: loadRandomForest,
});
