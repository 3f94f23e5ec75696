/**
 * Early stopping of unpromising trials: after each inner fold, a trial whose mean fold
 * score so far is worse than the median of the complete trials' means over the same
 * folds stops there (the median rule of Google Vizier and Optuna's `MedianPruner`).
 * Folds are scored in the same order in every trial, so the means compare like with like.
 *
 * @module
 */
import { median } from "../core/statistics.ts";
import type { Trial } from "./sampler.ts";

/** Whether a trial that scored `foldScores` so far should stop, given the earlier trials. */
export type Pruner = (foldScores: readonly number[], history: readonly Trial<unknown>[]) => boolean;

/** When the median rule starts to apply. */
export interface MedianPrunerOptions {
  /** No trial is pruned until this many trials are complete; 5 by default. */
  readonly startupTrials?: number;
  /** No trial is pruned before it has scored this many folds; 1 by default. */
  readonly warmupSteps?: number;
}

function mean(values: readonly number[], count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i];
  return sum / count;
}

/**
 * The median pruner (lower scores are better). A NaN running mean is always pruned once
 * the rule applies: such a trial cannot win.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { medianPruner } from "./median_pruner.ts";
 * import type { Trial } from "./sampler.ts";
 *
 * const done = (foldScores: number[]): Trial<unknown> => ({
 *   params: {},
 *   score: foldScores.reduce((a, b) => a + b) / foldScores.length,
 *   foldScores,
 *   state: "complete",
 * });
 * const history = [done([1, 1, 1]), done([2, 2, 2]), done([3, 3, 3])];
 * const prune = medianPruner({ startupTrials: 3 });
 * assert.equal(prune([2.5], history), true); // worse than the median 2 after one fold
 * assert.equal(prune([1.5, 1.5], history), false);
 * assert.equal(prune([2.5], history.slice(0, 2)), false); // too few complete trials yet
 * ```
 */
export function medianPruner(options: MedianPrunerOptions = {}): Pruner {
  const { startupTrials = 5, warmupSteps = 1 } = options;
  return (foldScores, history) => {
    const step = foldScores.length;
    if (step < Math.max(1, warmupSteps)) return false;
    const peers = history.filter((t) => t.state === "complete" && t.foldScores.length >= step)
      .map((t) => mean(t.foldScores, step)).filter((m) => !Number.isNaN(m));
    if (peers.length < Math.max(1, startupTrials)) return false;
    const current = mean(foldScores, step);
    return Number.isNaN(current) || current > median(peers);
  };
}
