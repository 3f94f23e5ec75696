/**
 * Cross-validates every configured candidate, adds the averaging ensemble of the best
 * ones, and picks the candidate with the lowest pooled out-of-fold RMSE.
 *
 * @module
 */
import { selectValues } from "../core/matrix.ts";
import { regressionMetrics } from "../core/statistics.ts";
import type { TrainParams } from "../config/params_schema.ts";
import type { FoldRows } from "../folds/fold_split.ts";
import { ENSEMBLE, normaliseWeights, weightedAverage } from "../models/ensemble/ensemble.ts";
import {
  type CandidateResult,
  crossValidate,
  type Progress,
  type TrainingData,
} from "./cross_validate.ts";
import { foldStudies } from "./study.ts";
import { summarizeResult } from "./summarize_results.ts";
import type { Tracker } from "./tracker.ts";

/** Every candidate's result, and the selected one. */
export interface Selection {
  readonly results: readonly CandidateResult[];
  readonly summaries: Readonly<Record<string, Record<string, number>>>;
  readonly best: CandidateResult;
  /** Names of the ensemble's members when the ensemble was built. */
  readonly ensembleMembers: readonly string[];
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

/** Runs the comparison; `progress` gets a line per fold. */
export async function selectModel(
  params: TrainParams,
  data: TrainingData,
  splits: readonly FoldRows[],
  tracker: Tracker,
  progress: Progress,
): Promise<Selection> {
  const names = candidateNames(params.candidates.map((c) => c.family));
  const results: CandidateResult[] = [];
  const summaries: Record<string, Record<string, number>> = {};
  for (const [i, candidate] of params.candidates.entries()) {
    const result = await crossValidate(
      names[i],
      candidate,
      data,
      splits,
      params.seed,
      progress,
      `train.candidates[${i}]`,
    );
    results.push(result);
    summaries[result.name] = summarizeResult(result);
    const studies = foldStudies(result);
    if (studies.length > 0) await tracker.trials?.(result.name, studies);
    await tracker.candidate(result, summaries[result.name]);
  }
  const ranked = [...results].sort((a, b) => a.pooled.rmse - b.pooled.rmse);
  let ensembleMembers: string[] = [];
  if (params.ensemble.enabled && results.length >= params.ensemble.top_k) {
    const members = ranked.slice(0, params.ensemble.top_k);
    ensembleMembers = members.map((m) => m.name);
    const ensemble = ensembleResult(members, data, splits);
    results.push(ensemble);
    summaries[ENSEMBLE] = summarizeResult(ensemble);
    await tracker.candidate(ensemble, summaries[ENSEMBLE]);
  }
  const best = results.reduce((a, b) => (b.pooled.rmse < a.pooled.rmse ? b : a));
  return { results, summaries, best, ensembleMembers };
}

/** The equal-weight average of `members`' out-of-fold predictions, scored on the same folds. */
export function ensembleResult(
  members: readonly CandidateResult[],
  data: TrainingData,
  splits: readonly FoldRows[],
): CandidateResult {
  // Equal weights, as fit_selected.ts's served ensemble has them.
  const weights = normaliseWeights(members.map(() => 1));
  const oof = weightedAverage(data.y.length, weights, (m) => members[m].oof);
  const folds = splits.map((split, k) => {
    const predicted = selectValues(oof, split.test);
    return {
      fold: split.fold,
      metrics: regressionMetrics(selectValues(data.y, split.test), predicted),
      params: { members: members.map((m) => m.name).join(",") },
      fitMs: members.reduce((s, m) => s + m.folds[k].fitMs, 0),
    };
  });
  const tested = Int32Array.from(splits.flatMap((s) => Array.from(s.test)));
  return {
    name: ENSEMBLE,
    family: ENSEMBLE,
    oof,
    pooled: regressionMetrics(selectValues(data.y, tested), selectValues(oof, tested)),
    folds,
    elapsedMs: members.reduce((s, m) => s + m.elapsedMs, 0),
  };
}
