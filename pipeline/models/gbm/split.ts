/**
 * Best-split search on a node's gradient histogram, for squared-error loss (every
 * row has unit hessian, so a child's hessian sum is its row count).
 *
 * @module
 */

/** A split: rows with code `<= bin` go left, missing values follow `missingLeft`. */
export interface Split {
  readonly feature: number;
  readonly bin: number;
  readonly missingLeft: boolean;
  /** Reduction of the regularised loss. */
  readonly gain: number;
  readonly leftSum: number;
  readonly leftCount: number;
}

/**
 * Finds the split of a node (gradient sum `sum` over `count` rows) that most reduces
 * the L2-regularised squared error, trying missing values on both sides; returns
 * `undefined` when no split leaves `minSamplesLeaf` rows per child with positive gain.
 * Scalars are passed one by one because this loop dominates training time and V8
 * optimises it about twice as well that way as with an options object.
 */
export function findBestSplit(
  hist: Float64Array,
  offsets: Int32Array,
  binCounts: Int32Array,
  features: Int32Array,
  sum: number,
  count: number,
  lambda: number,
  minSamplesLeaf: number,
): Split | undefined {
  const parentScore = (sum * sum) / (count + lambda);
  let bestScore = parentScore;
  let feature = -1;
  let bin = 0;
  let missingLeft = false;
  let bestLeftSum = 0;
  let bestLeftCount = 0;
  for (let f = 0; f < features.length; f++) {
    const j = features[f];
    const slot0 = 2 * offsets[j];
    const nBins = binCounts[j];
    const missingSum = hist[slot0 + 2 * nBins];
    const missingCount = hist[slot0 + 2 * nBins + 1];
    // Side 0 sends missing values right, side 1 left. The last value bin is tried too:
    // "all values left, missing right" is a useful split. Counts grow with `b`, so bins
    // before the left child has `minSamplesLeaf` rows are only summed, and the scan
    // stops once the right child has fewer. Empty bins are not skipped: they repeat the
    // previous score, which `>` ignores, and a branch costs more.
    for (let side = 0; side < (missingCount > 0 ? 2 : 1); side++) {
      let leftSum = side === 0 ? 0 : missingSum;
      let leftCount = side === 0 ? 0 : missingCount;
      for (let s = slot0, e = slot0 + 2 * nBins; s < e; s += 2) {
        leftSum += hist[s];
        leftCount += hist[s + 1];
        if (leftCount < minSamplesLeaf) continue;
        const rightCount = count - leftCount;
        if (rightCount < minSamplesLeaf) break;
        const rightSum = sum - leftSum;
        const score = (leftSum * leftSum) / (leftCount + lambda) +
          (rightSum * rightSum) / (rightCount + lambda);
        if (score > bestScore) {
          bestScore = score;
          feature = j;
          bin = (s - slot0) >> 1;
          // Without missing rows in the node, unseen NaN follow the larger child.
          missingLeft = side === 1 || (missingCount === 0 && leftCount >= rightCount);
          bestLeftSum = leftSum;
          bestLeftCount = leftCount;
        }
      }
    }
  }
  if (feature < 0) return undefined;
  const gain = bestScore - parentScore;
  return { feature, bin, missingLeft, gain, leftSum: bestLeftSum, leftCount: bestLeftCount };
}
