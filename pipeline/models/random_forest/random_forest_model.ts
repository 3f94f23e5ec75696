/**
 * What a "random_forest" model is, apart from how it is fitted: its family name, its
 * hyperparameters, how a fitted forest predicts (with all its trees or a prefix) and how
 * one is loaded, through `ml-random-forest`'s own loader.
 *
 * @module
 */
import { RandomForestRegression } from "ml-random-forest";
import { z } from "zod";
import type { Matrix } from "../../core/matrix.ts";
import { assertNoMissing } from "../assert_no_missing.ts";
import { forestJson } from "./random_forest_json.ts";
import { checkSerialized, type Regressor, type SerializedModel } from "../regressor.ts";

/** The family name under which random forests are registered and serialised. */
export const RANDOM_FOREST = "random_forest";

const FORMAT_VERSION = 1;

/**
 * Hyperparameters of a random forest. Fit time grows with trees x features per tree;
 * for a fixed time budget, more trees on fewer features scored better on this data
 * set (see bench/random_forest_cv.ts), hence the small default share.
 */
export const RandomForestParamsSchema = z.strictObject({
  /** Number of trees. */
  nEstimators: z.number().int().positive().default(20),
  /** Share of the features each tree sees, in (0, 1], rounded down but at least one. */
  maxFeatures: z.number().gt(0).max(1).default(0.1),
  /** Deepest split level; unlimited when absent. */
  maxDepth: z.number().int().positive().optional(),
  /** Nodes with at most this many rows become leaves. */
  minNumSamples: z.number().int().positive().default(3),
});

/** Random forest hyperparameters as accepted by `fit` (defaults filled in). */
export type RandomForestParams = z.input<typeof RandomForestParamsSchema>;

/** A fitted forest that can also predict with a prefix of its trees. */
export interface RandomForestRegressor extends Regressor {
  /** How many trees the forest holds. */
  readonly nEstimators: number;
  /**
   * Predicts with the first `trees` trees only. Trees are grown from a chained seed,
   * so this equals the prediction of a forest fitted with `nEstimators: trees`.
   */
  predictWithTrees(x: Matrix, trees: number): Float64Array;
}

const StateSchema = z.object({
  features: z.number().int().positive(),
  forest: z.looseObject({ name: z.literal("RFRegression") }),
});

/** Rows of `x` as the plain arrays the library takes. */
export function toRowArrays(x: Matrix): number[][] {
  return Array.from(
    { length: x.rows },
    (_, i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)),
  );
}

/** A fitted library forest as a regressor over `features` columns. */
export function wrap(forest: RandomForestRegression, features: number): RandomForestRegressor {
  const nEstimators = forest.estimators?.length ?? 0;
  const predictWithTrees = (x: Matrix, trees: number): Float64Array => {
    if (x.cols !== features) {
      throw new RangeError(`random_forest was fitted on ${features} features, got ${x.cols}`);
    }
    if (!Number.isInteger(trees) || trees < 1 || trees > nEstimators) {
      throw new RangeError(`trees must be an integer in [1, ${nEstimators}], got ${trees}`);
    }
    assertNoMissing(x, RANDOM_FOREST);
    const perTree = forest.predictionValues(toRowArrays(x));
    const out = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) {
      let sum = 0;
      for (let t = 0; t < trees; t++) sum += perTree.get(i, t);
      out[i] = sum / trees;
    }
    return out;
  };
  return {
    family: RANDOM_FOREST,
    nEstimators,
    predictWithTrees,
    predict: (x) => predictWithTrees(x, nEstimators),
    serialize: () => ({
      family: RANDOM_FOREST,
      formatVersion: FORMAT_VERSION,
      state: { features, forest: forestJson(forest) },
    }),
  };
}

/** Restores a forest from `serialize()` output; needs no training data. */
export function loadRandomForest(model: SerializedModel): RandomForestRegressor {
  checkSerialized(model, RANDOM_FOREST, FORMAT_VERSION);
  const state = StateSchema.parse(model.state);
  // The library's own typings misspell a field of this model; its loader checks the shape.
  const forest = state.forest as unknown as Parameters<typeof RandomForestRegression.load>[0];
  return wrap(RandomForestRegression.load(forest), state.features);
}
