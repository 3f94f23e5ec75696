/**
 * A tree fresh from training, paired with its splits in bin codes so that boosting can
 * update predictions from the compact binned matrix instead of the raw features.
 *
 * @module
 */
import type { BinnedMatrix } from "./binning.ts";
import type { Tree } from "./tree.ts";

/** A fitted tree plus, per node, the bin code its split tests (`code <= bin` goes left). */
export interface BinnedTree {
  readonly tree: Tree;
  readonly bins: Int32Array;
}

/**
 * Adds the tree's value for every row of `binned` to `out`; the result equals
 * predicting the raw rows because every split bin matches its real threshold.
 */
export function addBinnedTree(out: Float64Array, grown: BinnedTree, binned: BinnedMatrix): void {
  const { feature, left, right, missingLeft, value } = grown.tree;
  const { bins } = grown;
  const { codes, binCounts, rows: n } = binned;
  for (let r = 0; r < n; r++) {
    let node = 0;
    while (feature[node] >= 0) {
      const f = feature[node];
      const code = codes[f * n + r];
      const goLeft = code === binCounts[f] ? missingLeft[node] === 1 : code <= bins[node];
      node = goLeft ? left[node] : right[node];
    }
    out[r] += value[node];
  }
}
