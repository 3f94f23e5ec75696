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
  // Tree by tree over all rows keeps each tree's nodes in cache: about 1.5 times faster
  // on a batch than row by row, with the same sum per row.
  const out = new Float64Array(x.rows).fill(forest.baseScore);
  for (const tree of forest.trees) {
    for (let i = 0; i < x.rows; i++) out[i] += predictTreeRow(tree, x.data, i * x.cols);
  }
  return out;
}

/** The prediction for the row of `data` that starts at `offset`, tree by tree in order. */
export function predictForestRow(forest: Forest, data: Float64Array, offset: number): number {
  let sum = forest.baseScore;
  for (const tree of forest.trees) sum += predictTreeRow(tree, data, offset);
  return sum;
}
