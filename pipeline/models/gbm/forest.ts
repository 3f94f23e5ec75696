/**
 * A boosted ensemble: a base score plus the sum of its trees' leaf values (the
 * learning rate is already folded into the leaves).
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { predictTreeRow, type Tree } from "./tree.ts";

/** An additive ensemble of regression trees over `nFeatures` raw features. */
export interface Forest {
  readonly nFeatures: number;
  readonly baseScore: number;
  readonly trees: readonly Tree[];
}

/** Predicts every row of `x`; NaN features follow each split's learned missing side. */
export function predictForest(forest: Forest, x: Matrix): Float64Array {
  if (x.cols !== forest.nFeatures) {
    throw new RangeError(`model expects ${forest.nFeatures} features, got ${x.cols}`);
  }
  const out = new Float64Array(x.rows).fill(forest.baseScore);
  for (const tree of forest.trees) addTree(out, tree, x);
  return out;
}

/** Adds one tree's predictions to `out`, row by row. */
function addTree(out: Float64Array, tree: Tree, x: Matrix): void {
  for (let i = 0; i < x.rows; i++) out[i] += predictTreeRow(tree, x.data, i * x.cols);
}
