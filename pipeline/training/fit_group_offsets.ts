/**
 * Fitting the bundle's group offsets (`pipeline/bundle/group_offsets.ts`): a random
 * intercept per level, estimated from out-of-fold residuals so that no row's own fit has
 * seen it, and the out-of-fold figures of a model with its offsets.
 *
 * The shrinkage is the one-way random-effects model's: a level's offset is its
 * residuals' sum over (its rows + σ²/τ²), the best linear unbiased predictor of its
 * intercept, with the within-level variance σ² and the variance of the levels' true
 * intercepts τ² estimated by the ANOVA method of moments (unbalanced levels). Nothing is
 * tuned: a level of few rows keeps little of its mean, one of many keeps most.
 *
 * @module
 */
import type { GroupOffsets } from "../bundle/group_offsets.ts";
import { offsetOf } from "../bundle/group_offsets.ts";
import { regressionMetrics } from "../core/statistics.ts";
import type { CandidateResult } from "./cross_validate.ts";

/**
 * Fits offsets for `feature` from each row's level (`codes`) and residual (observed minus
 * predicted, out of fold); rows with either missing are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitGroupOffsets } from "./fit_group_offsets.ts";
 *
 * // Level 1 sits 0.1 above the model, level 2 0.1 below, with noise of ±0.05.
 * const codes = [1, 1, 1, 1, 2, 2, 2, 2];
 * const residuals = [0.15, 0.05, 0.15, 0.05, -0.05, -0.15, -0.05, -0.15];
 * const fitted = fitGroupOffsets("state", codes, residuals);
 * assert.deepEqual(fitted.levels, [1, 2]);
 * assert.ok(fitted.offsets[0] > 0.08 && fitted.offsets[0] < 0.1); // shrunk a little
 * assert.ok(Math.abs(fitted.offsets[0] + fitted.offsets[1]) < 1e-12);
 * ```
 */
export function fitGroupOffsets(
  feature: string,
  codes: ArrayLike<number>,
  residuals: ArrayLike<number>,
): GroupOffsets {
  const sums = new Map<number, { n: number; sum: number; squares: number }>();
  for (let i = 0; i < codes.length; i++) {
    const level = codes[i], r = residuals[i];
    if (Number.isNaN(level) || Number.isNaN(r)) continue;
    const s = sums.get(level) ?? { n: 0, sum: 0, squares: 0 };
    s.n++;
    s.sum += r;
    s.squares += r * r;
    sums.set(level, s);
  }
  const levels = [...sums.keys()].sort((a, b) => a - b);
  const shrinkage = shrinkageOf([...sums.values()]);
  const offsets = levels.map((level) => {
    const { n, sum } = sums.get(level)!;
    return shrinkage === null ? 0 : sum / (n + shrinkage);
  });
  return { feature, levels, offsets, shrinkage };
}

/** σ²/τ² by the ANOVA method of moments; null when τ² is not positive or cannot be told. */
function shrinkageOf(levels: readonly { n: number; sum: number; squares: number }[]) {
  const groups = levels.length;
  const rows = levels.reduce((t, l) => t + l.n, 0);
  if (groups < 2 || rows <= groups) return null;
  const total = levels.reduce((t, l) => t + l.sum, 0);
  const within = levels.reduce((t, l) => t + l.squares - (l.sum * l.sum) / l.n, 0);
  const between = levels.reduce((t, l) => t + (l.sum * l.sum) / l.n, 0) - (total * total) / rows;
  const sigma2 = within / (rows - groups);
  const n0 = rows - levels.reduce((t, l) => t + l.n * l.n, 0) / rows;
  const tau2 = (between - (groups - 1) * sigma2) / n0;
  return tau2 > 0 ? sigma2 / tau2 : null;
}

/**
 * `result` with its offsets: each fold's out-of-fold predictions shifted by the offsets
 * fitted on the other folds' out-of-fold residuals, and its metrics recomputed. (The
 * other folds' predictions come from fits that saw this fold, as the ensemble's weights
 * do; the held-out score avoids even that, see `trainSelected`.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { regressionMetrics } from "../core/statistics.ts";
 * import { withGroupOffsets } from "./fit_group_offsets.ts";
 *
 * // Four folds; level 1's rows are under-predicted by 0.1 and level 2's over-predicted.
 * const folds = Float64Array.from({ length: 40 }, (_, i) => 1 + (i % 4));
 * const codes = Float64Array.from({ length: 40 }, (_, i) => 1 + (Math.floor(i / 4) % 2));
 * const y = Float64Array.from({ length: 40 }, (_, i) => 0.5 + (i % 3) / 100);
 * const oof = y.map((v, i) => v + (codes[i] === 1 ? -0.1 : 0.1));
 * const result = {
 *   name: "m",
 *   family: "ridge",
 *   oof,
 *   pooled: regressionMetrics(y, oof),
 *   folds: [1, 2, 3, 4].map((fold) => ({ fold, metrics: regressionMetrics([0], [0]), params: {}, fitMs: 0 })),
 *   elapsedMs: 0,
 * };
 * const shifted = withGroupOffsets(result, "state", codes, y, folds);
 * assert.ok(shifted.pooled.rmse < result.pooled.rmse / 2);
 * assert.equal(shifted.folds.length, 4);
 * ```
 */
export function withGroupOffsets(
  result: CandidateResult,
  feature: string,
  codes: Float64Array,
  y: Float64Array,
  folds: Float64Array,
): CandidateResult {
  const oof = result.oof.slice();
  const residuals = result.oof.map((p, i) => y[i] - p);
  const foldResults = result.folds.map((fold) => {
    const others = residuals.map((r, i) => folds[i] === fold.fold ? NaN : r);
    const offsets = fitGroupOffsets(feature, codes, others);
    const actual: number[] = [], predicted: number[] = [];
    for (let i = 0; i < oof.length; i++) {
      if (folds[i] !== fold.fold || Number.isNaN(oof[i])) continue;
      oof[i] += offsetOf(offsets, codes[i]);
      actual.push(y[i]);
      predicted.push(oof[i]);
    }
    return { ...fold, metrics: regressionMetrics(actual, predicted) };
  });
  const scored = [...oof.keys()].filter((i) => !Number.isNaN(oof[i]));
  return {
    ...result,
    oof,
    pooled: regressionMetrics(scored.map((i) => y[i]), scored.map((i) => oof[i])),
    folds: foldResults,
  };
}
