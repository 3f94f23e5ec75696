/**
 * Cross-validates every configured candidate on the folds it is given (the development
 * folds: the held-out fold takes no part), adds the stacked ensemble of the best ones,
 * and picks the candidate with the lowest pooled out-of-fold RMSE.
 *
 * @module
 */
import type { TrainParams } from "../config/params_schema.ts";
import type { FoldRows } from "../folds/fold_split.ts";
import { ENSEMBLE } from "../models/ensemble/ensemble.ts";
import type { CandidateResult, Progress, TrainingData } from "./cross_validate.ts";
import { type CvRunner, inProcessRunner } from "./cv_job.ts";
import { ensembleResult, weightLearner } from "./ensemble_result.ts";
import { summarizeResult } from "./summarize_results.ts";
import type { Tracker } from "./tracker.ts";

/** Every candidate's result, and the selected one. */
export interface Selection {
  readonly results: readonly CandidateResult[];
  readonly summaries: Readonly<Record<string, Record<string, number>>>;
  readonly best: CandidateResult;
  /** Names of the ensemble's members when the ensemble was built. */
  readonly ensembleMembers: readonly string[];
  /** The members' weights, learned on every out-of-fold row of the selection's folds. */
  readonly ensembleWeights: readonly number[];
}

/** Unique display names: the family, with `#2`, `#3`... for repeated families. */
export function candidateNames(families: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return families.map((f) => {
    const n = (seen.get(f) ?? 0) + 1;
    seen.set(f, n);
    return n === 1 ? f : `${f}#${n}`;
  });
}

/**
 * Runs the comparison; `progress` gets a line per fold. The candidates' cross-validations
 * are started together on `run` (a worker pool runs them side by side) and reported to
 * `tracker` in their configured order.
 */
export async function selectModel(
  params: TrainParams,
  data: TrainingData,
  splits: readonly FoldRows[],
  tracker: Tracker,
  progress: Progress,
  run: CvRunner = inProcessRunner(data),
): Promise<Selection> {
  const names = candidateNames(params.candidates.map((c) => c.family));
  const cvFolds = splits.map((s) => s.fold);
  const results = await Promise.all(params.candidates.map((candidate, i) =>
    run({
      name: names[i],
      candidate,
      cvFolds,
      seed: params.seed,
      source: `train.candidates[${i}]`,
    }, progress)
  ));
  const summaries: Record<string, Record<string, number>> = {};
  for (const result of results) {
    summaries[result.name] = summarizeResult(result);
    await tracker.candidate(result, summaries[result.name]);
  }
  const ranked = [...results].sort((a, b) => a.pooled.rmse - b.pooled.rmse);
  let ensembleMembers: string[] = [];
  let ensembleWeights: readonly number[] = [];
  if (params.ensemble.enabled && results.length >= params.ensemble.top_k) {
    const members = ranked.slice(0, params.ensemble.top_k);
    ensembleMembers = members.map((m) => m.name);
    const learn = weightLearner(params.ensemble, members, data.y);
    const { result: ensemble, weights } = ensembleResult(members, data, splits, learn);
    ensembleWeights = weights;
    results.push(ensemble);
    summaries[ENSEMBLE] = summarizeResult(ensemble);
    await tracker.candidate(ensemble, summaries[ENSEMBLE]);
  }
  const best = results.reduce((a, b) => (b.pooled.rmse < a.pooled.rmse ? b : a));
  return { results, summaries, best, ensembleMembers, ensembleWeights };
}
