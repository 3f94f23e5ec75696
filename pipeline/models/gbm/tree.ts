/**
 * A fitted regression tree as parallel flat arrays, one entry per node. Node 0 is the
 * root; a leaf has `feature === -1`. Rows with `x[feature] <= threshold` go left, NaN
 * goes left when `missingLeft` is 1. `cover`, when present, is the number of training
 * rows that reached each node (what path-dependent TreeSHAP weighs unknown features by).
 *
 * @module
 */

/** A regression tree stored as parallel node arrays. */
export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly missingLeft: Uint8Array;
  readonly value: Float64Array;
  /** Training rows per node; absent in trees stored before covers were recorded. */
  readonly cover?: Float64Array;
}

/** Returns the leaf value for the row of `data` that starts at `offset`. */
export function predictTreeRow(tree: Tree, data: Float64Array, offset: number): number {
  const { feature, threshold, left, right, missingLeft } = tree;
  let node = 0;
  while (feature[node] >= 0) {
    const v = data[offset + feature[node]];
    const goLeft = Number.isNaN(v) ? missingLeft[node] === 1 : v <= threshold[node];
    node = goLeft ? left[node] : right[node];
  }
  return tree.value[node];
}

/**
 * Accumulates nodes in creation order and freezes them into a {@linkcode Tree}; the tree
 * has a `cover` when every node was given one.
 */
export class TreeBuilder {
  #feature: number[] = [];
  #threshold: number[] = [];
  #left: number[] = [];
  #right: number[] = [];
  #missingLeft: number[] = [];
  #value: number[] = [];
  #cover: (number | undefined)[] = [];

  /** Adds a leaf reached by `cover` training rows and returns its index. */
  leaf(value: number, cover?: number): number {
    return this.#push(-1, 0, 0, value, cover);
  }

  /** Adds a split node whose children are set later with `setChildren`; returns its index. */
  split(feature: number, threshold: number, missingLeft: boolean, cover?: number): number {
    return this.#push(feature, threshold, missingLeft ? 1 : 0, 0, cover);
  }

  /** Links a split node to its children. */
  setChildren(node: number, left: number, right: number): void {
    this.#left[node] = left;
    this.#right[node] = right;
  }

  /** Returns the finished tree. */
  build(): Tree {
    const covered = this.#cover.every((c) => c !== undefined);
    return {
      feature: Int32Array.from(this.#feature),
      threshold: Float64Array.from(this.#threshold),
      left: Int32Array.from(this.#left),
      right: Int32Array.from(this.#right),
      missingLeft: Uint8Array.from(this.#missingLeft),
      value: Float64Array.from(this.#value),
      ...(covered ? { cover: Float64Array.from(this.#cover as number[]) } : {}),
    };
  }

  #push(
    feature: number,
    threshold: number,
    missingLeft: number,
    value: number,
    cover: number | undefined,
  ): number {
    this.#feature.push(feature);
    this.#threshold.push(threshold);
    this.#left.push(-1);
    this.#right.push(-1);
    this.#missingLeft.push(missingLeft);
    this.#value.push(value);
    this.#cover.push(cover);
    return this.#feature.length - 1;
  }
}
