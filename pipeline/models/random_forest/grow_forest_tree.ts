/**
 * Growth of one random-forest tree on binned features (`../gbm/binning.ts`): CART on
 * squared error, a fresh draw of features at every split, rows weighted by how often
 * the bootstrap drew them, leaves holding the weighted mean of their rows.
 *
 * A node's histogram is built for the drawn features only, straight from its rows:
 * with features drawn per split, a parent's histogram holds few of its children's
 * features, and deep trees have many small nodes where clearing dense histograms would
 * cost more than the rows. Each feature's bins are accumulated into per-code slots
 * whose use is marked in a bit set; reading the set bits in order gives the node's
 * codes sorted, and clears the slots for the next feature.
 *
 * The split search follows scikit-learn's `BestSplitter`: features that are constant
 * in the node are drawn but cannot split it, and drawing goes on past `maxFeatures`
 * until a non-constant feature was seen or none is left. `minSamplesLeaf` counts
 * distinct rows, so a bootstrap copy does not make a leaf larger. Missing values (NaN)
 * are tried on both sides, as the boosted trees do.
 *
 * @module
 */
import type { Random } from "../../core/random.ts";
import type { BinMapper, BinnedMatrix } from "../gbm/binning.ts";
import type { CoveredTree } from "../gbm/tree_shap.ts";
import { TreeBuilder } from "../gbm/tree.ts";

/** Features accumulated side by side in one pass over a node's rows. */
const LANES = 4;

/** Words of the per-lane bit set of used codes: up to 1024 codes per feature. */
const WORDS = 32;

/** A bin's weight and distinct-row count share one number: weight + PACK * rows. */
const PACK = 2 ** 26;

/** Shape of the trees a grower builds. */
export interface ForestTreeOptions {
  /** Deepest split level (`Infinity`: unbounded). */
  readonly maxDepth: number;
  /** Minimum number of distinct rows in a leaf. */
  readonly minSamplesLeaf: number;
  /** Features drawn at every split (a count, at least one). */
  readonly maxFeatures: number;
}

/**
 * Grows one tree on the rows with a positive weight (a row's bootstrap multiplicity),
 * drawing split features from `rng`. Every node's cover is its total weight.
 */
export type ForestTreeGrower = (weights: Float64Array, rng: Random) => CoveredTree;

/**
 * A grower bound to one binned training matrix and its target; it reuses its buffers
 * across trees.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { seededRandom } from "../../core/random.ts";
 * import { binMatrix, fitBinMapper } from "../gbm/binning.ts";
 * import { predictTreeRow } from "../gbm/tree.ts";
 * import { forestTreeGrower } from "./grow_forest_tree.ts";
 *
 * const x = matrix(4, 1, Float64Array.of(0, 1, 2, 3));
 * const y = Float64Array.of(1, 1, 5, 5);
 * const mapper = fitBinMapper(x, [0, 1, 2, 3], 256);
 * const grow = forestTreeGrower(binMatrix(mapper, x), mapper, y, {
 *   maxDepth: Infinity,
 *   minSamplesLeaf: 1,
 *   maxFeatures: 1,
 * });
 * // Row 3 drawn twice, row 1 not at all.
 * const tree = grow(Float64Array.of(1, 0, 1, 2), seededRandom(1));
 * assert.deepEqual([...tree.threshold], [1.5, 0, 0]); // one split between 0..1 and 2..3
 * assert.deepEqual([...tree.value], [0, 1, 5]); // leaf means
 * assert.deepEqual([...tree.cover], [4, 1, 3]); // weights: 1 + 2 on the right
 * assert.equal(predictTreeRow(tree, Float64Array.of(0.7), 0), 1);
 * ```
 */
export function forestTreeGrower(
  binned: BinnedMatrix,
  mapper: BinMapper,
  y: Float64Array,
  options: ForestTreeOptions,
): ForestTreeGrower {
  const { maxDepth, minSamplesLeaf, maxFeatures } = options;
  const { codes, binCounts, rows: n, cols } = binned;
  if (y.length !== n) throw new RangeError(`y has ${y.length} values for ${n} binned rows`);
  if (n >= PACK) throw new RangeError(`at most ${PACK - 1} rows, got ${n}`);
  // Codes run up to the largest bin count (a feature's missing code).
  const slots = binCounts.reduce((a, b) => Math.max(a, b), 0) + 1;
  if (slots > 32 * WORDS) {
    throw new RangeError(`at most ${32 * WORDS - 1} codes per feature, got ${slots}`);
  }
  // Per lane and code: packed weight and row count, then summed weighted target.
  const bins = new Float64Array(LANES * 2 * slots);
  const used = new Uint32Array(LANES * WORDS);
  const usedWords = new Int32Array(LANES);
  const listCode = new Int32Array(slots);
  const listWeight = new Float64Array(slots);
  const listSum = new Float64Array(slots);
  const listRows = new Int32Array(slots);
  const features = Int32Array.from({ length: cols }, (_, j) => j);
  const drawnFeatures = new Int32Array(LANES);
  const rows = new Int32Array(n);
  const scratch = new Int32Array(n);
  // Per row: its weight plus PACK (one distinct row), then weight times target.
  const rowStats = new Float64Array(2 * n);

  /** Adds the rows `rows[start..end)` of feature `j` to lane `lane`'s bins. */
  const accumulate = (lane: number, j: number, start: number, end: number): void => {
    const base = j * n;
    const at = 2 * lane * slots;
    const u = lane * WORDS;
    let words = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const c = codes[base + r];
      const word = c >>> 5;
      words |= 1 << word;
      used[u + word] |= 1 << (c & 31);
      const s = at + 2 * c;
      bins[s] += rowStats[2 * r];
      bins[s + 1] += rowStats[2 * r + 1];
    }
    usedWords[lane] = words;
  };

  /**
   * Four features in one pass over the rows: the updates of four lanes do not wait on
   * each other, and the row's statistics are loaded once.
   */
  const accumulate4 = (start: number, end: number): void => {
    const b0 = drawnFeatures[0] * n, b1 = drawnFeatures[1] * n;
    const b2 = drawnFeatures[2] * n, b3 = drawnFeatures[3] * n;
    const a1 = 2 * slots, a2 = 4 * slots, a3 = 6 * slots;
    let w0 = 0, w1 = 0, w2 = 0, w3 = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const packed = rowStats[2 * r];
      const weighted = rowStats[2 * r + 1];
      let c = codes[b0 + r];
      w0 |= 1 << (c >>> 5);
      used[c >>> 5] |= 1 << (c & 31);
      bins[2 * c] += packed;
      bins[2 * c + 1] += weighted;
      c = codes[b1 + r];
      w1 |= 1 << (c >>> 5);
      used[WORDS + (c >>> 5)] |= 1 << (c & 31);
      bins[a1 + 2 * c] += packed;
      bins[a1 + 2 * c + 1] += weighted;
      c = codes[b2 + r];
      w2 |= 1 << (c >>> 5);
      used[2 * WORDS + (c >>> 5)] |= 1 << (c & 31);
      bins[a2 + 2 * c] += packed;
      bins[a2 + 2 * c + 1] += weighted;
      c = codes[b3 + r];
      w3 |= 1 << (c >>> 5);
      used[3 * WORDS + (c >>> 5)] |= 1 << (c & 31);
      bins[a3 + 2 * c] += packed;
      bins[a3 + 2 * c + 1] += weighted;
    }
    usedWords[0] = w0;
    usedWords[1] = w1;
    usedWords[2] = w2;
    usedWords[3] = w3;
  };

  /**
   * Gathers lane `lane`'s codes in ascending order into the list, clearing the lane;
   * returns how many distinct codes the node has.
   */
  const gather = (lane: number): number => {
    const at = 2 * lane * slots;
    const u = lane * WORDS;
    let words = usedWords[lane];
    let distinct = 0;
    while (words !== 0) {
      const lowWord = words & -words;
      words ^= lowWord;
      const word = 31 - Math.clz32(lowWord);
      let bits = used[u + word];
      used[u + word] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const c = (word << 5) + 31 - Math.clz32(low);
        const s = at + 2 * c;
        const rowsOf = Math.floor(bins[s] / PACK);
        listCode[distinct] = c;
        listWeight[distinct] = bins[s] - rowsOf * PACK;
        listRows[distinct] = rowsOf;
        listSum[distinct++] = bins[s + 1];
        bins[s] = 0;
        bins[s + 1] = 0;
      }
    }
    return distinct;
  };

  return (weights, rng) => {
    if (weights.length !== n) throw new RangeError(`${weights.length} weights for ${n} rows`);
    let m = 0;
    for (let r = 0; r < n; r++) {
      const w = weights[r];
      if (w > 0) rows[m++] = r;
      if (!(Number.isInteger(w) && w >= 0 && w < PACK)) {
        throw new RangeError(`row weights must be whole numbers in [0, ${PACK}), got ${w}`);
      }
      rowStats[2 * r] = w + PACK;
      rowStats[2 * r + 1] = w * y[r];
    }
    if (m === 0) throw new RangeError("a tree needs at least one row of positive weight");
    const nodes = new TreeBuilder();

    // The best split found so far in the current node.
    let bestScore = 0;
    let bestFeature = -1;
    let bestBin = 0;
    let bestMissingLeft = false;

    /**
     * Scores every split of feature `j`, accumulated in lane `lane`, over the node's
     * `distinctRows` rows against `bestScore`; returns false when the feature is
     * constant there.
     */
    const scoreFeature = (
      lane: number,
      j: number,
      distinctRows: number,
      total: number,
      sum: number,
    ): boolean => {
      const distinct = gather(lane);
      if (distinct <= 1) return false;
      // The missing code is the feature's largest, so it comes last.
      const hasMissing = listCode[distinct - 1] === binCounts[j];
      const values = hasMissing ? distinct - 1 : distinct;
      const missingWeight = hasMissing ? listWeight[values] : 0;
      const missingSum = hasMissing ? listSum[values] : 0;
      const missingRows = hasMissing ? listRows[values] : 0;
      for (let side = 0; side < (hasMissing ? 2 : 1); side++) {
        // Side 0 sends missing values right, side 1 left; with missing values, "every
        // value left" is a split too, and the row count rules out an empty side.
        let leftWeight = side === 0 ? 0 : missingWeight;
        let leftSum = side === 0 ? 0 : missingSum;
        let leftRows = side === 0 ? 0 : missingRows;
        for (let i = 0; i < values; i++) {
          leftWeight += listWeight[i];
          leftSum += listSum[i];
          leftRows += listRows[i];
          const rightRows = distinctRows - leftRows;
          if (leftRows < minSamplesLeaf || rightRows < minSamplesLeaf) continue;
          const rightSum = sum - leftSum;
          const score = (leftSum * leftSum) / leftWeight +
            (rightSum * rightSum) / (total - leftWeight);
          if (score > bestScore) {
            bestScore = score;
            bestFeature = j;
            // Any bin up to the next present code separates the same rows; the middle
            // one puts the threshold near the midpoint of the two values, as CART does.
            bestBin = i + 1 < values ? (listCode[i] + listCode[i + 1]) >> 1 : listCode[i];
            bestMissingLeft = side === 1 || (missingRows === 0 && leftWeight >= total / 2);
          }
        }
      }
      return true;
    };

    /** Moves the rows of `[start, end)` that go left to the front; returns the boundary. */
    const partition = (start: number, end: number): number => {
      const base = bestFeature * n;
      const missing = binCounts[bestFeature];
      let l = start;
      let r = 0;
      for (let k = start; k < end; k++) {
        const row = rows[k];
        const code = codes[base + row];
        if (code === missing ? bestMissingLeft : code <= bestBin) rows[l++] = row;
        else scratch[r++] = row;
      }
      rows.set(scratch.subarray(0, r), l);
      return l;
    };

    const grow = (start: number, end: number, depth: number): number => {
      let total = 0;
      let sum = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = start; k < end; k++) {
        const r = rows[k];
        total += weights[r];
        sum += rowStats[2 * r + 1];
        const v = y[r];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (depth >= maxDepth || end - start < 2 * minSamplesLeaf || lo === hi) {
        return nodes.leaf(sum / total, total);
      }
      bestScore = (sum * sum) / total;
      bestFeature = -1;
      let remaining = cols;
      let drawn = 0;
      let splittable = false;
      while (remaining > 0 && (drawn < maxFeatures || !splittable)) {
        // Up to four features at a time while the budget lasts, then one by one until
        // a non-constant feature turns up.
        const batch = Math.min(LANES, Math.max(1, maxFeatures - drawn), remaining);
        for (let f = 0; f < batch; f++) {
          // Partial Fisher-Yates: a drawn feature moves behind the ones still to draw.
          const k = rng.int(remaining--);
          const j = features[k];
          features[k] = features[remaining];
          features[remaining] = j;
          drawnFeatures[f] = j;
        }
        if (batch === LANES) accumulate4(start, end);
        else for (let f = 0; f < batch; f++) accumulate(f, drawnFeatures[f], start, end);
        for (let f = 0; f < batch; f++) {
          if (scoreFeature(f, drawnFeatures[f], end - start, total, sum)) splittable = true;
        }
        drawn += batch;
      }
      if (bestFeature < 0) return nodes.leaf(sum / total, total);
      const cuts = mapper.cuts[bestFeature];
      // The last value bin has no cut: that split sends every non-missing value left.
      const threshold = bestBin < cuts.length ? cuts[bestBin] : Number.MAX_VALUE;
      const node = nodes.split(bestFeature, threshold, bestMissingLeft, total);
      const mid = partition(start, end);
      const left = grow(start, mid, depth + 1);
      const right = grow(mid, end, depth + 1);
      nodes.setChildren(node, left, right);
      return node;
    };

    grow(0, m, 0);
    return nodes.build() as CoveredTree;
  };
}
