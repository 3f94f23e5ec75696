/**
 * What a sequential search asks for its next trial, and what it learns from each: a
 * sampler proposes parameters from the trials so far, {@linkcode tune} scores them.
 * A fixed list of candidates (a grid, random draws) is the sampler that ignores the
 * history; the TPE sampler (tpe_sampler.ts) models it.
 *
 * @module
 */

/** How a trial ended: scored on every inner fold, or stopped early by the pruner. */
export type TrialState = "complete" | "pruned";

/** One scored (or pruned) parameter set. */
export interface Trial<P> {
  readonly params: P;
  /**
   * A complete trial: the score of the pooled out-of-fold predictions of all inner folds.
   * A pruned one: the mean of the fold scores it reached (what the pruner compared).
   */
  readonly score: number;
  /** Score of each inner fold reached, in ascending fold-id order. */
  readonly foldScores: readonly number[];
  readonly state: TrialState;
}

/** Proposes the parameters of trial `history.length + 1`, for `size` trials in all. */
export interface Sampler<P> {
  /** The number of trials planned. */
  readonly size: number;
  /** The next parameters, given every earlier trial in order. */
  suggest(history: readonly Trial<P>[]): P;
}

/**
 * The sampler that proposes `candidates` in order, whatever the scores.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listSampler } from "./sampler.ts";
 *
 * const sampler = listSampler([{ alpha: 1 }, { alpha: 10 }]);
 * assert.equal(sampler.size, 2);
 * assert.deepEqual(sampler.suggest([]), { alpha: 1 });
 * ```
 */
export function listSampler<P>(candidates: readonly P[]): Sampler<P> {
  return { size: candidates.length, suggest: (history) => candidates[history.length] };
}
