/**
 * Depth-wise growth of one regression tree on binned features, fitted to the
 * residuals of squared-error boosting. Histograms of siblings come from one scan of the
 * smaller child plus a subtraction from the parent.
 *
 * @module
 */
import type { BinMapper, BinnedMatrix } from "./binning.ts";
import { buildHistogram, histogramOffsets, newHistogram, subtractHistogram } from "./histogram.ts";
import { findBestSplit, type Split } from "./split.ts";
import { TreeBuilder } from "./tree.ts";
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
 * `rows`, splitting only on `features`. Reorders `rows` in place.
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

  const splittable = (count: number, depth: number) =>
    depth < maxDepth && count >= 2 * minSamplesLeaf;

  return (residuals, rows, features) => {
    if (scratch.length < rows.length) scratch = new Int32Array(rows.length);
    const nodes = new TreeBuilder();
    const bins: number[] = [];
    const histogramOf = (start: number, end: number) => {
      const hist = take();
      buildHistogram(hist, binned, offsets, residuals, rows, start, end, features);
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

    let sum = 0;
    for (let k = 0; k < rows.length; k++) sum += residuals[rows[k]];
    const rootHist = splittable(rows.length, 0) ? histogramOf(0, rows.length) : undefined;
    grow(0, rows.length, 0, sum, rootHist);
    return { tree: nodes.build(), bins: Int32Array.from(bins) };
  };
}
