/**
 * The "random_forest" family: bagged CART regression trees from `ml-random-forest`.
 * The library draws the feature subset once per tree (random subspaces), not at
 * every split, and it cannot route missing values, so inputs must be imputed.
 *
 * @module
 */
import { RandomForestRegression } from "ml-random-forest";
import { z } from "zod";
import type { Matrix } from "../../core/matrix.ts";
import { assertNoMissing } from "../assert_no_missing.ts";
import { forestJson } from "./random_forest_json.ts";
import {
  checkSerialized,
  type Estimator,
  type Regressor,
  type SerializedModel,
} from "../regressor.ts";

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

function toRowArrays(x: Matrix): number[][] {
  return Array.from(
    { length: x.rows },
    (_, i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)),
  );
}

function wrap(forest: RandomForestRegression, features: number): RandomForestRegressor {
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

/** Fits a random forest; `seed` drives both row bagging and feature subsets. */
export const randomForestEstimator = {
  family: RANDOM_FOREST,
  fit(x: Matrix, y: Float64Array, params: RandomForestParams, seed: number): RandomForestRegressor {
    const p = RandomForestParamsSchema.parse(params);
    assertNoMissing(x, RANDOM_FOREST);
    if (y.length !== x.rows) throw new RangeError(`y has ${y.length} values for ${x.rows} rows`);
    const features = Math.max(1, Math.floor(x.cols * p.maxFeatures));
    const forest = new RandomForestRegression({
      nEstimators: p.nEstimators,
      // Values in (0, 1] are read as a share and floored (so 1 would mean all columns);
      // the extra half keeps floating-point error from dropping a feature.
      maxFeatures: features === x.cols ? 1 : (features + 0.5) / x.cols,
      seed: seed | 0,
      // Out-of-bag bookkeeping crashes on small forests and is not used here.
      noOOB: true,
      treeOptions: {
        minNumSamples: p.minNumSamples,
        // The trees only split when the children's squared error exceeds this, so the
        // default 0 refuses exactly the splits that separate the target perfectly.
        gainThreshold: -1,
        ...(p.maxDepth ? { maxDepth: p.maxDepth } : {}),
      },
    });
    forest.train(toRowArrays(x), Array.from(y));
    return wrap(forest, x.cols);
  },
} satisfies Estimator<RandomForestParams>;

/** Restores a forest from `serialize()` output; needs no training data. */
export function loadRandomForest(model: SerializedModel): RandomForestRegressor {
  checkSerialized(model, RANDOM_FOREST, FORMAT_VERSION);
  const state = StateSchema.parse(model.state);
  // The library's own typings misspell a field of this model; its loader checks the shape.
  const forest = state.forest as unknown as Parameters<typeof RandomForestRegression.load>[0];
  return wrap(RandomForestRegression.load(forest), state.features);
}
