/**
 * A global view of per-prediction contributions: each feature's mean absolute
 * contribution over a set of rows, ranked and set beside permutation importance on the
 * same rows. The two answer different questions (how far a feature moves predictions
 * from the base value, versus how much the error grows when the feature is shuffled), so
 * the comparison reports their rank correlation and how many of the top features they
 * share rather than expecting them to agree.
 *
 * @module
 */
import type { Matrix } from "../core/matrix.ts";
import type { Importance } from "../evaluation/permutation_importance.ts";
import type { ContributionSummary, FeatureAttribution } from "../artefacts/contribution_summary.ts";

/** What the summary needs of one row's explanation. */
export interface RowContributions {
  readonly base: number;
  readonly output: number;
  readonly contributions: ArrayLike<number>;
}

/** Ranks from 1 (largest value), ties sharing their average rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a]);
  const out = new Array<number>(values.length);
  for (let k = 0; k < order.length;) {
    let end = k;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[k]]) end++;
    for (let m = k; m <= end; m++) out[order[m]] = (k + end) / 2 + 1;
    k = end + 1;
  }
  return out;
}

/** Pearson correlation of two rank lists (Spearman's rho with ties averaged). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / n;
  const ma = mean(a), mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * Explains every row of `x` (columns named `names`) and compares the mean absolute
 * contributions of the `used` features with their permutation `importance`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../core/matrix.ts";
 * import { contributionSummary } from "./contribution_summary.ts";
 *
 * // y = 2a - b, centred on a = b = 0.5.
 * const explain = (r: Float64Array) => ({
 *   base: 0.5,
 *   output: 2 * r[0] - r[1],
 *   contributions: [2 * (r[0] - 0.5), -(r[1] - 0.5)],
 * });
 * const x = fromRows([[0, 1], [1, 0]]);
 * const importance = [{ feature: "a", importance: 0.9, std: 0 }, { feature: "b", importance: 0.2, std: 0 }];
 * const summary = contributionSummary(explain, x, ["a", "b"], importance, ["a", "b"], 1);
 * assert.deepEqual(summary.features.map((f) => [f.feature, f.meanAbsContribution]), [["a", 1], ["b", 0.5]]);
 * assert.equal(summary.spearman, 1);
 * assert.deepEqual(summary.topShared, { top: 1, shared: 1 });
 * ```
 */
export function contributionSummary(
  explain: (row: Float64Array) => RowContributions,
  x: Matrix,
  names: readonly string[],
  importance: readonly Importance[],
  used: readonly string[],
  top: number,
): ContributionSummary {
  const sums = new Float64Array(x.cols);
  let worst = 0;
  for (let i = 0; i < x.rows; i++) {
    const e = explain(x.data.slice(i * x.cols, (i + 1) * x.cols));
    let total = e.base;
    for (let j = 0; j < x.cols; j++) {
      sums[j] += Math.abs(e.contributions[j]);
      total += e.contributions[j];
    }
    worst = Math.max(worst, Math.abs(total - e.output));
  }
  const byName = new Map(importance.map((imp) => [imp.feature, imp.importance]));
  const kept = used.map((feature) => ({
    feature,
    mean: sums[names.indexOf(feature)] / Math.max(1, x.rows),
    permutation: byName.get(feature) ?? 0,
  }));
  const contributionRanks = ranks(kept.map((f) => f.mean));
  const permutationRanks = ranks(kept.map((f) => f.permutation));
  const features = kept.map((f, i) => ({
    feature: f.feature,
    meanAbsContribution: f.mean,
    contributionRank: contributionRanks[i],
    permutationImportance: f.permutation,
    permutationRank: permutationRanks[i],
  })).sort((a, b) => a.contributionRank - b.contributionRank);
  const k = Math.min(top, features.length);
  const topOf = (rank: (f: FeatureAttribution) => number) =>
    new Set([...features].sort((a, b) => rank(a) - rank(b)).slice(0, k).map((f) => f.feature));
  const byPermutation = topOf((f) => f.permutationRank);
  const shared = [...topOf((f) => f.contributionRank)].filter((f) => byPermutation.has(f)).length;
  return {
    rows: x.rows,
    features,
    spearman: spearman(contributionRanks, permutationRanks),
    topShared: { top: k, shared },
    maxLocalAccuracyError: worst,
  };
}
