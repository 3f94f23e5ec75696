/**
 * A study: one hyperparameter search (a {@linkcode TuningResult}) with the label it is
 * shown under. A candidate is tuned once per outer fold, so its cross-validation has a
 * study per fold; its final fit has one more.
 *
 * @module
 */
import type { CandidateResult } from "./cross_validate.ts";
import type { TuningResult } from "./tuning.ts";

/** One search, with the label it is shown under (e.g. the outer fold). */
export interface Study {
  readonly label: string;
  readonly tuning: TuningResult<Record<string, unknown>>;
}

/** The studies of a candidate's cross-validation, one per tuned outer fold. */
export function foldStudies(result: CandidateResult): Study[] {
  return result.folds.flatMap((f) =>
    f.tuning ? [{ label: `fold ${f.fold}`, tuning: f.tuning }] : []
  );
}

/**
 * The best complete score up to each trial (NaN before the first complete one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runningBest } from "./study.ts";
 *
 * const trial = (score: number, state: "complete" | "pruned") => ({ params: {}, score, foldScores: [score], state });
 * const trials = [trial(3, "complete"), trial(1, "pruned"), trial(2, "complete")];
 * assert.deepEqual(runningBest({ best: {}, bestScore: 2, trials, stoppedEarly: false, skipped: 0, elapsedMs: 1 }), [3, 3, 2]);
 * ```
 */
export function runningBest(tuning: TuningResult<unknown>): number[] {
  let best = NaN;
  return tuning.trials.map((t) => {
    if (t.state === "complete" && !(t.score >= best)) best = t.score;
    return best;
  });
}

/**
 * The parameters whose value differs between trials of any study, in first-seen order:
 * what the search varied.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { variedParameters } from "./study.ts";
 *
 * const trial = (alpha: number) => ({ params: { alpha, tol: 1 }, score: 1, foldScores: [1], state: "complete" as const });
 * const tuning = { best: {}, bestScore: 1, trials: [trial(1), trial(2)], stoppedEarly: false, skipped: 0, elapsedMs: 1 };
 * assert.deepEqual(variedParameters([{ label: "fold 1", tuning }]), ["alpha"]);
 * ```
 */
export function variedParameters(studies: readonly Study[]): string[] {
  const names = new Set<string>();
  for (const { tuning } of studies) {
    const first = tuning.trials[0]?.params ?? {};
    for (const t of tuning.trials) {
      for (const [k, v] of Object.entries(t.params)) {
        if (JSON.stringify(v) !== JSON.stringify(first[k])) names.add(k);
      }
    }
  }
  return [...names];
}
