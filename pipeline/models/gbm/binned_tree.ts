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
 * Adds `scale` times the tree's value to `out[r]` for every row `r` of `rows` in
 * `binned`; the value equals predicting the raw row because every split bin matches
 * its real threshold.
 */
export function addBinnedTree(
  out: Float64Array,
  grown: BinnedTree,
  binned: BinnedMatrix,
  rows: Int32Array,
  scale: number,
): void {
  const { feature, left, right, missingLeft, value } = grown.tree;
  const { bins } = grown;
  const { codes, binCounts, rows: n } = binned;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    let node = 0;
    while (feature[node] >= 0) {
      const f = feature[node];
      const code = codes[f * n + r];
      const goLeft = code === binCounts[f] ? missingLeft[node] === 1 : code <= bins[node];
      node = goLeft ? left[node] : right[node];
    }
    out[r] += scale * value[node];
  }
}
