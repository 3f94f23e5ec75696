/**
 * TreeSHAP for a boosted ensemble: the base value is the base score plus every tree's
 * cover-weighted mean leaf value, and a row's contributions are the sum of its trees'
 * path-dependent Shapley values (`./tree_shap.ts`), so they add up to the prediction
 * minus the base value, exactly up to rounding.
 *
 * @module
 */
import { type Matrix, matrix } from "../../core/matrix.ts";
import {
  type Contributions,
  ExplanationUnavailableError,
  type RowExplainer,
} from "../contributions.ts";
import type { Forest } from "./forest.ts";
import { GBM_FORMAT_VERSION } from "./gbm_state.ts";
import { treeDepth } from "./packed_forest.ts";
import { type CoveredTree, expectedValue, pathBuffers, treeShap } from "./tree_shap.ts";

/**
 * The explainer of `forest`, whose predictions come from `predict`; throws an
 * {@linkcode ExplanationUnavailableError} when the trees carry no covers (a model stored
 * before they were recorded).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { forestExplainer } from "./forest_shap.ts";
 * import { predictForest } from "./forest.ts";
 * import { TreeBuilder } from "./tree.ts";
 *
 * const b = new TreeBuilder();
 * const root = b.split(1, 0.5, true, 10);
 * b.setChildren(root, b.leaf(-0.2, 5), b.leaf(0.4, 5));
 * const forest = { nFeatures: 2, baseScore: 0.3, trees: [b.build()] };
 * const explain = forestExplainer(forest, (x) => predictForest(forest, x));
 * const { base, prediction, values } = explain(Float64Array.of(0, 0.9));
 * assert.equal(base, 0.4); // 0.3 + (-0.2 + 0.4) / 2
 * assert.deepEqual([...values], [0, 0.30000000000000004]);
 * assert.ok(Math.abs(base + values[1] - prediction) < 1e-12);
 * ```
 */
export function forestExplainer(
  forest: Forest,
  predict: (x: Matrix) => Float64Array,
): RowExplainer {
  if (!forest.trees.every((tree) => tree.cover !== undefined)) {
    throw new ExplanationUnavailableError(
      "this gbm model was stored without node covers (gbm format version 1); explanations " +
        `need a model retrained by this version (gbm format version ${GBM_FORMAT_VERSION})`,
    );
  }
  const trees = forest.trees as readonly CoveredTree[];
  let base = forest.baseScore;
  for (const tree of trees) base += expectedValue(tree);
  const buffers = pathBuffers(trees.reduce((d, tree) => Math.max(d, treeDepth(tree)), 0));
  const one = matrix(1, forest.nFeatures);
  return (row: Float64Array): Contributions => {
    if (row.length !== forest.nFeatures) {
      throw new RangeError(`model expects ${forest.nFeatures} features, got ${row.length}`);
    }
    const values = new Float64Array(forest.nFeatures);
    for (const tree of trees) treeShap(tree, row, 0, values, buffers);
    one.data.set(row);
    return { base, prediction: predict(one)[0], values };
  };
}
