/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, "Consistent
 * Individualized Feature Attribution for Tree Ensembles", Algorithm 2): the Shapley
 * values of one tree's prediction for a row, where a set `S` of known features is
 * valued at the tree's conditional expectation given `S` along the tree's own paths
 * (unknown features split the weight between both children by their training cover).
 * The contributions sum exactly to the prediction minus the cover-weighted mean leaf
 * value ({@linkcode expectedValue}).
 *
 * The structure follows the reference algorithm and its C implementation: one
 * recursion over the nodes, carrying the "unique path" of features met so far with the
 * fraction of zero (`z`, feature unknown) and one (`o`, feature known) paths that flow
 * through it, and the permutation weights `w` of every subset size; `extend` adds a
 * feature to the path, `unwind` removes one (a feature split on twice is unwound and
 * re-extended), and at each leaf `unwoundSum` gives each feature's weight. Its cost is
 * O(leaves · depth²) per tree. Each recursion level works on its own copy of the path,
 * in one preallocated buffer per depth, so a row allocates nothing.
 *
 * A missing value (NaN) takes the split's learned missing side, as prediction does.
 *
 * @module
 */
import { treeDepth } from "./packed_forest.ts";
import type { Tree } from "./tree.ts";

/** A tree with the training cover (row count) of every node, as TreeSHAP needs. */
export interface CoveredTree extends Tree {
  readonly cover: Float64Array;
}

/**
 * The tree's mean prediction over its training rows: leaf values weighted by cover.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TreeBuilder } from "./tree.ts";
 * import { expectedValue, type CoveredTree } from "./tree_shap.ts";
 *
 * const b = new TreeBuilder();
 * const root = b.split(0, 0.5, true, 4);
 * b.setChildren(root, b.leaf(-1, 1), b.leaf(1, 3));
 * assert.equal(expectedValue(b.build() as CoveredTree), 0.5); // (-1 · 1 + 1 · 3) / 4
 * ```
 */
export function expectedValue(tree: CoveredTree, node = 0): number {
  if (tree.feature[node] < 0) return tree.value[node];
  const { left, right, cover } = tree;
  return (cover[left[node]] * expectedValue(tree, left[node]) +
    cover[right[node]] * expectedValue(tree, right[node])) / cover[node];
}

/** Reusable buffers of the unique path, for trees up to one depth. */
export interface PathBuffers {
  readonly depth: number;
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
}

/**
 * Buffers for trees of at most `depth` splits: the path of recursion level `l` holds
 * `l + 1` elements, and every level keeps its own copy.
 */
export function pathBuffers(depth: number): PathBuffers {
  const size = ((depth + 2) * (depth + 3)) / 2;
  return {
    depth,
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
  };
}

/**
 * Adds the path-dependent Shapley values of `tree` for the row of `x` at `offset` to
 * `phi` (one slot per feature). `buffers` must be for at least the tree's depth; the
 * default makes them for this tree (an ensemble makes them once for its deepest tree).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TreeBuilder } from "./tree.ts";
 * import { expectedValue, treeShap, type CoveredTree } from "./tree_shap.ts";
 *
 * // x0 <= 0.5 ? -1 : 1, trained on 1 row left and 3 right.
 * const b = new TreeBuilder();
 * const root = b.split(0, 0.5, true, 4);
 * b.setChildren(root, b.leaf(-1, 1), b.leaf(1, 3));
 * const tree = b.build() as CoveredTree;
 * const phi = new Float64Array(2);
 * treeShap(tree, Float64Array.of(0.2, 7), 0, phi);
 * assert.deepEqual([...phi], [-1.5, 0]); // -1 = 0.5 (the expected value) - 1.5
 * assert.equal(expectedValue(tree) + phi[0], -1);
 * ```
 */
export function treeShap(
  tree: CoveredTree,
  x: Float64Array,
  offset: number,
  phi: Float64Array,
  buffers: PathBuffers = pathBuffers(treeDepth(tree)),
): void {
  const { feature: pf, zero: pz, one: po, weight: pw } = buffers;
  const { feature, threshold, left, right, missingLeft, value, cover } = tree;

  /** Adds feature `index` with fractions (z, o) to the path of `depth` elements at `at`. */
  const extend = (at: number, depth: number, z: number, o: number, index: number): void => {
    pf[at + depth] = index;
    pz[at + depth] = z;
    po[at + depth] = o;
    pw[at + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      pw[at + i + 1] += (o * pw[at + i] * (i + 1)) / (depth + 1);
      pw[at + i] = (z * pw[at + i] * (depth - i)) / (depth + 1);
    }
  };

  /** Removes element `k` from the path whose last element is at `at + depth`. */
  const unwind = (at: number, depth: number, k: number): void => {
    const o = po[at + k], z = pz[at + k];
    let next = pw[at + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (o !== 0) {
        const tmp = pw[at + i];
        pw[at + i] = (next * (depth + 1)) / ((i + 1) * o);
        next = tmp - (pw[at + i] * z * (depth - i)) / (depth + 1);
      } else {
        pw[at + i] = (pw[at + i] * (depth + 1)) / (z * (depth - i));
      }
    }
    for (let i = k; i < depth; i++) {
      pf[at + i] = pf[at + i + 1];
      pz[at + i] = pz[at + i + 1];
      po[at + i] = po[at + i + 1];
    }
  };

  /** The total permutation weight of the path with element `k` unwound, without unwinding it. */
  const unwoundSum = (at: number, depth: number, k: number): number => {
    const o = po[at + k], z = pz[at + k];
    let next = pw[at + depth];
    let total = 0;
    if (o !== 0) {
      for (let i = depth - 1; i >= 0; i--) {
        const tmp = next / ((i + 1) * o);
        total += tmp;
        next = pw[at + i] - tmp * z * (depth - i);
      }
    } else {
      for (let i = depth - 1; i >= 0; i--) total += pw[at + i] / (z * (depth - i));
    }
    return total * (depth + 1);
  };

  const recurse = (
    node: number,
    depth: number,
    parentAt: number,
    z: number,
    o: number,
    index: number,
  ): void => {
    // This level's copy of the path starts right after the parent's `depth` elements.
    const at = parentAt + depth;
    for (let i = 0; i < depth; i++) {
      pf[at + i] = pf[parentAt + i];
      pz[at + i] = pz[parentAt + i];
      po[at + i] = po[parentAt + i];
      pw[at + i] = pw[parentAt + i];
    }
    extend(at, depth, z, o, index);
    const split = feature[node];
    if (split < 0) {
      for (let i = 1; i <= depth; i++) {
        const w = unwoundSum(at, depth, i);
        phi[pf[at + i]] += w * (po[at + i] - pz[at + i]) * value[node];
      }
      return;
    }
    const v = x[offset + split];
    const goLeft = v !== v ? missingLeft[node] === 1 : v <= threshold[node];
    const hot = goLeft ? left[node] : right[node];
    const cold = goLeft ? right[node] : left[node];
    let inZero = 1, inOne = 1;
    let d = depth;
    let k = 0;
    while (k <= d && pf[at + k] !== split) k++;
    if (k <= d) {
      inZero = pz[at + k];
      inOne = po[at + k];
      unwind(at, d, k);
      d -= 1;
    }
    recurse(hot, d + 1, at, (cover[hot] / cover[node]) * inZero, inOne, split);
    const coldZero = (cover[cold] / cover[node]) * inZero;
    // A path that neither training rows nor this row take carries no weight at all.
    if (coldZero !== 0) recurse(cold, d + 1, at, coldZero, 0, split);
  };

  recurse(0, 0, 0, 1, 1, -1);
}
