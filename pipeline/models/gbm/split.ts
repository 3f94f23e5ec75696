/**
 * Best-split search on a node's gradient histogram, for squared-error loss (every
 * row has unit hessian, so a child's hessian sum is its row count).
 *
 * @module
 */

/** A candidate split: rows with code `<= bin` go left, missing values follow `missingLeft`. */
export interface Split {
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** Loss reduction of the split; the search keeps the largest. */
  gain: number;
  leftSum: number;
  leftCount: number;
}

/** The node being split and the constraints every split must meet. */
export interface SplitNode {
  readonly sum: number;
  readonly count: number;
  readonly lambda: number;
  readonly minSamplesLeaf: number;
}

/**
 * Finds the split of `node` that most reduces the L2-regularised squared error,
 * trying missing values on both sides; returns `undefined` when no split has
 * positive gain.
 */
export function findBestSplit(
  hist: Float64Array,
  offsets: Int32Array,
  binCounts: Int32Array,
  features: Int32Array,
  node: SplitNode,
): Split | undefined {
  const { sum, count, lambda } = node;
  const parentScore = (sum * sum) / (count + lambda);
  const best: Split = {
    feature: -1,
    bin: 0,
    missingLeft: false,
    gain: parentScore,
    leftSum: 0,
    leftCount: 0,
  };
  for (const j of features) {
    const slot0 = 2 * offsets[j];
    const missing = slot0 + 2 * binCounts[j];
    const missingCount = hist[missing + 1];
    // The last value bin is tried too: "all values left, missing right" is useful.
    scanFeature(best, hist, j, slot0, missing, 0, 0, node);
    if (missingCount > 0) {
      scanFeature(best, hist, j, slot0, missing, hist[missing], missingCount, node);
    }
  }
  if (best.feature < 0) return undefined;
  best.gain -= parentScore;
  return best;
}

/**
 * Scans the bins of one feature, starting the left child with the given missing-value
 * totals, and records in `best` (whose `gain` holds the best score so far) any better
 * split. Empty bins repeat the previous score, which `>` ignores, so the scan does not
 * branch on them.
 */
function scanFeature(
  best: Split,
  hist: Float64Array,
  feature: number,
  slot0: number,
  end: number,
  missingSum: number,
  missingCount: number,
  node: SplitNode,
): void {
  const { sum, count, lambda, minSamplesLeaf } = node;
  let leftSum = missingSum;
  let leftCount = missingCount;
  let bestScore = best.gain;
  let bestEnd = -1;
  for (let s = slot0; s < end; s += 2) {
    leftSum += hist[s];
    leftCount += hist[s + 1];
    const rSum = sum - leftSum;
    const rCount = count - leftCount;
    const score = (leftSum * leftSum) / (leftCount + lambda) + (rSum * rSum) / (rCount + lambda);
    if (score > bestScore && leftCount >= minSamplesLeaf && rCount >= minSamplesLeaf) {
      bestScore = score;
      bestEnd = s;
    }
  }
  if (bestEnd < 0) return;
  leftSum = missingSum;
  leftCount = missingCount;
  for (let s = slot0; s <= bestEnd; s += 2) {
    leftSum += hist[s];
    leftCount += hist[s + 1];
  }
  best.gain = bestScore;
  best.feature = feature;
  best.bin = (bestEnd - slot0) / 2;
  // Without missing rows in the node, unseen NaN follow the larger child.
  best.missingLeft = missingCount > 0 || (hist[end + 1] === 0 && 2 * leftCount >= count);
  best.leftSum = leftSum;
  best.leftCount = leftCount;
}
