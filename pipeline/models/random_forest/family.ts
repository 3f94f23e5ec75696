/**
 * The "random_forest" family's entry: bagged regression trees.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadRandomForest, RANDOM_FOREST } from "./random_forest_model.ts";
import { RandomForestParamsSchema } from "./random_forest_params.ts";

/** The random forest: estimator (its fit code loaded on first use), params and loader. */
export const randomForestFamily: ModelFamily = trainableFamily({
  name: RANDOM_FOREST,
  estimator: () => import("./random_forest.ts").then((m) => m.randomForestEstimator),
  paramsSchema: RandomForestParamsSchema,
  load: loadRandomForest,
});
