/**
 * Depth-wise growth of one regression tree on binned features, fitted to the
 * residuals of squared-error boosting. Histograms of siblings come from one scan of the
 * smaller child plus a subtraction from the parent.
 *
 * @module
 */
import type { BinMapper, BinnedMatrix } from "./binning.ts";
import {
  addGradientsByRow,
  buildHistogram,
  buildHistogramByRow,
  histogramOffsets,
  newHistogram,
  rowSlots,
  subtractHistogram,
} from "./histogram.ts";
import { findBestSplit, type Split } from "./split.ts";
import { type Tree, TreeBuilder } from "./tree.ts";
import type { BinnedTree } from "./binned_tree.ts";

/** Shape and regularisation of the trees a grower builds. */
export interface TreeOptions {
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly lambda: number;
  readonly learningRate: number;
}

/**
 * Fits one tree to `residuals` (target minus current prediction) over the training
 * `rows`, splitting only on `features`. Reorders `rows` in place so that each leaf's
 * rows are contiguous, leaves in the order the tree's nodes list them (see
 * {@linkcode subtractLeaves}).
 */
export type TreeGrower = (
  residuals: Float64Array,
  rows: Int32Array,
  features: Int32Array,
) => BinnedTree;

/**
 * Creates a grower bound to one binned training matrix; it reuses histogram buffers
 * across trees, so successive calls allocate little.
 */
export function treeGrower(
  binned: BinnedMatrix,
  mapper: BinMapper,
  options: TreeOptions,
): TreeGrower {
  const { maxDepth, minSamplesLeaf, lambda, learningRate } = options;
  const { binCounts, codes } = binned;
  const offsets = histogramOffsets(binCounts);
  const pool: Float64Array[] = [];
  const take = () => pool.pop() ?? newHistogram(offsets);
  let scratch = new Int32Array(0);
  // Built on the first tree that samples every feature, then reused.
  let slots: Uint16Array | Uint32Array | undefined;
  // Trees on the same rows (no row subsampling) share the root's row counts: the last
  // root's rows, and once a tree repeats them, a root histogram of those counts and
  // zero sums that saves counting every row again.
  let lastRootRows = new Int32Array(0);
  let rootCounts: Float64Array | undefined;

  const splittable = (count: number, depth: number) =>
    depth < maxDepth && count >= 2 * minSamplesLeaf;

  return (residuals, rows, features) => {
    if (scratch.length < rows.length) scratch = new Int32Array(rows.length);
    const nodes = new TreeBuilder();
    const bins: number[] = [];
    const byRow = features.length === binned.cols;
    if (byRow) slots ??= rowSlots(binned, offsets);
    const histogramOf = (start: number, end: number) => {
      const hist = take();
      if (byRow) buildHistogramByRow(hist, slots!, binned.cols, residuals, rows, start, end);
      else buildHistogram(hist, binned, offsets, residuals, rows, start, end, features);
      return hist;
    };

    /** Moves the rows of `[start, end)` that go left to the front, keeping order. */
    const partition = (start: number, end: number, split: Split): number => {
      const base = split.feature * binned.rows;
      const missing = binCounts[split.feature];
      let l = start;
      let r = 0;
      for (let k = start; k < end; k++) {
        const row = rows[k];
        const code = codes[base + row];
        if (code <= split.bin || (code === missing && split.missingLeft)) rows[l++] = row;
        else scratch[r++] = row;
      }
      rows.set(scratch.subarray(0, r), l);
      return l;
    };

    const grow = (
      start: number,
      end: number,
      depth: number,
      sum: number,
      hist: Float64Array | undefined,
    ): number => {
      const count = end - start;
      const split = hist && splittable(count, depth)
        ? findBestSplit(hist, offsets, binCounts, features, sum, count, lambda, minSamplesLeaf)
        : undefined;
      if (hist === undefined || split === undefined) {
        if (hist) pool.push(hist);
        bins.push(-1);
        return nodes.leaf((learningRate * sum) / (count + lambda), count);
      }
      const cuts = mapper.cuts[split.feature];
      // The last value bin has no cut: that split sends every non-missing value left.
      const threshold = split.bin < cuts.length ? cuts[split.bin] : Number.MAX_VALUE;
      const node = nodes.split(split.feature, threshold, split.missingLeft, count);
      bins.push(split.bin);
      const mid = partition(start, end, split);
      let leftHist: Float64Array | undefined;
      let rightHist: Float64Array | undefined;
      if (splittable(mid - start, depth + 1) || splittable(end - mid, depth + 1)) {
        const leftSmaller = mid - start <= end - mid;
        const small = leftSmaller ? histogramOf(start, mid) : histogramOf(mid, end);
        subtractHistogram(hist, small, offsets, features);
        [leftHist, rightHist] = leftSmaller ? [small, hist] : [hist, small];
      } else {
        pool.push(hist);
      }
      const left = grow(start, mid, depth + 1, split.leftSum, leftHist);
      const right = grow(mid, end, depth + 1, sum - split.leftSum, rightHist);
      nodes.setChildren(node, left, right);
      return node;
    };

    const rootHistogram = () => {
      let same = byRow && rows.length === lastRootRows.length;
      for (let k = 0; same && k < rows.length; k++) same = rows[k] === lastRootRows[k];
      if (!same) {
        rootCounts = undefined;
        lastRootRows = rows.slice();
        return histogramOf(0, rows.length);
      }
      if (rootCounts === undefined) {
        const hist = histogramOf(0, rows.length);
        rootCounts = hist.slice();
        for (let s = 0; s < rootCounts.length; s += 2) rootCounts[s] = 0;
        return hist;
      }
      const hist = take();
      hist.set(rootCounts);
      addGradientsByRow(hist, slots!, binned.cols, residuals, rows, 0, rows.length);
      return hist;
    };

    let sum = 0;
    for (let k = 0; k < rows.length; k++) sum += residuals[rows[k]];
    const rootHist = splittable(rows.length, 0) ? rootHistogram() : undefined;
    grow(0, rows.length, 0, sum, rootHist);
    return { tree: nodes.build(), bins: Int32Array.from(bins) };
  };
}

/**
 * Subtracts each leaf's value from the `residuals` of the rows that reached it, using
 * the order a {@linkcode TreeGrower} leaves `rows` in (each leaf's `cover` rows in turn):
 * no row walks down the tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { binMatrix, fitBinMapper } from "./binning.ts";
 * import { subtractLeaves, treeGrower } from "./grow_tree.ts";
 *
 * const x = matrix(4, 1, Float64Array.of(3, 0, 2, 1));
 * const mapper = fitBinMapper(x, [0, 1, 2, 3], 256);
 * const options = { maxDepth: 1, minSamplesLeaf: 1, lambda: 0, learningRate: 1 };
 * const grow = treeGrower(binMatrix(mapper, x), mapper, options);
 * const residuals = Float64Array.of(5, -1, 5, -1);
 * const rows = Int32Array.of(0, 1, 2, 3);
 * const { tree } = grow(residuals, rows, Int32Array.of(0));
 * assert.deepEqual(rows, Int32Array.of(1, 3, 0, 2)); // the left leaf's rows, then the right's
 * subtractLeaves(residuals, tree, rows);
 * assert.deepEqual(residuals, Float64Array.of(0, 0, 0, 0)); // a perfect fit leaves nothing
 * ```
 */
export function subtractLeaves(residuals: Float64Array, tree: Tree, rows: Int32Array): void {
  const { feature, value, cover } = tree;
  let k = 0;
  for (let node = 0; node < feature.length; node++) {
    if (feature[node] >= 0) continue;
    const v = value[node];
    for (const end = k + cover![node]; k < end; k++) residuals[rows[k]] -= v;
  }
}
