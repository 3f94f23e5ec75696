/**
 * What a "random_forest" model is, apart from how it is fitted: its family name, how a
 * fitted forest predicts and explains itself, and how one is stored and loaded.
 *
 * The forest predicts the mean of its trees. Scaling every leaf by one over the number
 * of trees turns it into an additive ensemble with base score 0, so prediction reuses
 * the boosted trees' evaluation (packed when the trees are shallow enough,
 * `../gbm/packed_forest.ts`) and explanation their exact TreeSHAP
 * (`../gbm/forest_shap.ts`): a row's contributions sum to its prediction minus the mean
 * of the trees' cover-weighted mean leaf values.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import {
  checkSerialized,
  ModelFormatError,
  type Regressor,
  type SerializedModel,
} from "../regressor.ts";
import { type Forest, predictForest } from "../gbm/forest.ts";
import { forestExplainer } from "../gbm/forest_shap.ts";
import { forestFromState, forestToState } from "../gbm/gbm_state.ts";
import { packForest, predictPacked } from "../gbm/packed_forest.ts";
import type { CoveredTree } from "../gbm/tree_shap.ts";

/** The family name under which random forests are registered and serialised. */
export const RANDOM_FOREST = "random_forest";

/**
 * Version of the serialised state: the boosted trees' layout (`../gbm/gbm_state.ts`)
 * with base score 0, leaves holding their rows' mean and every node its cover.
 * Version 1 held `ml-random-forest`'s own export and is no longer read.
 */
export const RANDOM_FOREST_FORMAT_VERSION = 2;

/** A fitted random forest. */
export interface RandomForestRegressor extends Regressor {
  /** How many trees the forest holds. */
  readonly nEstimators: number;
}

/**
 * Wraps fitted trees over `nFeatures` inputs as a regressor predicting their mean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { TreeBuilder } from "../gbm/tree.ts";
 * import type { CoveredTree } from "../gbm/tree_shap.ts";
 * import { randomForestRegressor } from "./random_forest_model.ts";
 *
 * const stump = (threshold: number) => {
 *   const b = new TreeBuilder();
 *   const root = b.split(0, threshold, true, 4);
 *   b.setChildren(root, b.leaf(0, 2), b.leaf(1, 2));
 *   return b.build() as CoveredTree;
 * };
 * const forest = randomForestRegressor(1, [stump(0.3), stump(0.6)]);
 * assert.deepEqual(forest.predict(fromRows([[0.1], [0.5], [0.9]])), Float64Array.of(0, 0.5, 1));
 * ```
 */
export function randomForestRegressor(
  nFeatures: number,
  trees: readonly CoveredTree[],
): RandomForestRegressor {
  if (trees.length === 0) throw new RangeError("a random forest needs at least one tree");
  const share = 1 / trees.length;
  const averaged: Forest = {
    nFeatures,
    baseScore: 0,
    trees: trees.map((tree) => ({ ...tree, value: tree.value.map((v) => v * share) })),
  };
  const packed = packForest(averaged);
  const predict = (x: Matrix) => packed ? predictPacked(packed, x) : predictForest(averaged, x);
  return {
    family: RANDOM_FOREST,
    nEstimators: trees.length,
    predict,
    serialize: () => ({
      family: RANDOM_FOREST,
      formatVersion: RANDOM_FOREST_FORMAT_VERSION,
      state: forestToState({ nFeatures, baseScore: 0, trees }),
    }),
    // Path-dependent TreeSHAP: exact, and it needs no background rows.
    explainer: () => forestExplainer(averaged, predict),
  };
}

/**
 * Restores a forest from `serialize()` output; needs no training data. A model stored
 * in format version 1 (`ml-random-forest`'s export) is refused with a message saying so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { fitRandomForest } from "./random_forest.ts";
 * import { loadRandomForest } from "./random_forest_model.ts";
 *
 * const x = matrix(50, 1, Float64Array.from({ length: 50 }, (_, i) => i));
 * const model = fitRandomForest(x, x.data.map((v) => v % 3), { nEstimators: 4 }, 1);
 * const copy = loadRandomForest(JSON.parse(JSON.stringify(model.serialize())));
 * assert.equal(copy.nEstimators, 4);
 * assert.deepEqual(copy.predict(x), model.predict(x));
 * assert.throws(
 *   () => loadRandomForest({ family: "random_forest", formatVersion: 1, state: {} }),
 *   /format version 1 .*ml-random-forest.*retrain/,
 * );
 * ```
 */
export function loadRandomForest(model: SerializedModel): RandomForestRegressor {
  if (model.family === RANDOM_FOREST && model.formatVersion === 1) {
    throw new ModelFormatError(
      "this random_forest model is of format version 1 (trees of ml-random-forest), which " +
        `is no longer read; retrain it (format version ${RANDOM_FOREST_FORMAT_VERSION})`,
    );
  }
  checkSerialized(model, RANDOM_FOREST, RANDOM_FOREST_FORMAT_VERSION);
  const forest = forestFromState(model.state);
  if (forest.baseScore !== 0) {
    throw new ModelFormatError(`a random_forest model has base score 0, got ${forest.baseScore}`);
  }
  if (!forest.trees.every((tree) => tree.cover !== undefined)) {
    throw new ModelFormatError("a random_forest model needs a cover on every tree");
  }
  return randomForestRegressor(forest.nFeatures, forest.trees as readonly CoveredTree[]);
}
