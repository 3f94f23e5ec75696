/**
 * What a tracker records of the training loop, independent of any one tracker: a run
 * per candidate, a run for the final fit with a run per tuning trial and per ensemble
 * member under it. Every tracker (`mlflow_tracker.ts`, `wandb_tracker.ts`) records these,
 * so that they hold the same record.
 *
 * @module
 */
import type { CandidateResult, FittedCandidate } from "./cross_validate.ts";
import { foldChoices, hyperParams } from "./mlflow_params.ts";
import { foldStudies, type Study } from "./study.ts";

/**
 * The key a cross-validation summary figure has in a run: `rmse` becomes `cv_rmse`, the
 * key the training run gives the selected model's figure, so that the parent and its
 * candidates' runs can be compared column by column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cvMetricKey } from "./tracked_runs.ts";
 *
 * assert.equal(cvMetricKey("rmse"), "cv_rmse");
 * assert.equal(cvMetricKey("fold_rmse_std"), "cv_fold_rmse_std");
 * ```
 */
export function cvMetricKey(summaryKey: string): string {
  return `cv_${summaryKey}`;
}

/** The tag listing the hyper-parameters a candidate's folds chose differently. */
export const VARYING_PARAMS_TAG = "tuning.varying_params";
/** The tag with each fold's choice of those hyper-parameters (JSON, by fold id). */
export const FOLD_PARAMS_TAG = "tuning.fold_params";

/** One value of a figure recorded by step (an outer or inner fold). */
export interface StepValue {
  readonly key: string;
  readonly value: number;
  readonly step: number;
}

/** One tracked run and the runs nested under it. */
export interface TrackedRun {
  readonly name: string;
  /** What the run is: a candidate's CV, the final fit, an ensemble member's fit, a tuning trial. */
  readonly kind: "candidate" | "final" | "member" | "trial";
  /** Hyper-parameters and settings, as text (see `mlflow_params.ts`). */
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Figures with one value for the whole run (non-finite ones left out). */
  readonly summary: Readonly<Record<string, number>>;
  /** Figures by step (non-finite values left out). */
  readonly steps: readonly StepValue[];
  readonly children: readonly TrackedRun[];
}

/** The finite figures of `figures`, under the keys `key` gives them. */
function finiteFigures(
  figures: Readonly<Record<string, number>>,
  key: (name: string) => string = (name) => name,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(figures).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => [key(k), v]),
  );
}

/** The summary of a cross-validation under the keys the runs give it (`cv_rmse`, ...). */
function cvSummary(summary: Readonly<Record<string, number>>): Record<string, number> {
  return finiteFigures(summary, cvMetricKey);
}

function finiteSteps(steps: readonly StepValue[]): StepValue[] {
  return steps.filter((s) => Number.isFinite(s.value));
}

/**
 * A candidate's run: the hyper-parameters most outer folds chose and its family as
 * params, the folds' differing choices as tags, its summary as `cv_*` figures and each
 * fold's RMSE, MAE and R² with the fold as step; under it the trials of each outer
 * fold's search ({@linkcode trialRuns}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { candidateRun } from "./tracked_runs.ts";
 *
 * const mape = { value: 0.4, used: 2, excluded: 0 };
 * const metrics = (rmse: number) => ({ rmse, mae: rmse / 2, r2: 0.5, mape });
 * const run = candidateRun({
 *   name: "ridge",
 *   family: "ridge",
 *   oof: new Float64Array(),
 *   pooled: metrics(0.2),
 *   folds: [
 *     { fold: 1, metrics: metrics(0.1), params: { alpha: 1 }, fitMs: 1 },
 *     { fold: 2, metrics: metrics(0.3), params: { alpha: 10 }, fitMs: 1 },
 *   ],
 *   elapsedMs: 2,
 * }, { rmse: 0.2, fold_rmse_std: NaN });
 * assert.deepEqual(run.params, { alpha: "1", family: "ridge" });
 * assert.equal(run.tags["tuning.varying_params"], "alpha");
 * assert.deepEqual(run.summary, { cv_rmse: 0.2 });
 * assert.deepEqual(run.steps.filter((s) => s.key === "fold_rmse").map((s) => s.step), [1, 2]);
 * ```
 */
export function candidateRun(
  result: CandidateResult,
  summary: Readonly<Record<string, number>>,
): TrackedRun {
  const choices = foldChoices(result.folds);
  const tags: Record<string, string> = { "candidate.family": result.family };
  if (choices.varying.length > 0) {
    tags[VARYING_PARAMS_TAG] = choices.varying.join(",");
    tags[FOLD_PARAMS_TAG] = JSON.stringify(choices.byFold);
  }
  return {
    name: result.name,
    kind: "candidate",
    params: { ...choices.params, family: result.family },
    tags,
    summary: cvSummary(summary),
    steps: finiteSteps(result.folds.flatMap((f) => [
      { key: "fold_rmse", value: f.metrics.rmse, step: f.fold },
      { key: "fold_mae", value: f.metrics.mae, step: f.fold },
      { key: "fold_r2", value: f.metrics.r2, step: f.fold },
    ])),
    children: foldStudies(result).flatMap((study) =>
      trialRuns(`${result.name} ${study.label}`, study)
    ),
  };
}

/** The tag with a trial's number in its study. */
export const TRIAL_TAG = "tuning.trial";
/** The tag with a trial's state: `complete`, or `pruned` when stopped after some inner folds. */
export const TRIAL_STATE_TAG = "tuning.state";
/** The tag naming a trial's study (e.g. `fold 3`, or `final`). */
export const STUDY_TAG = "tuning.study";

/**
 * The runs of a study's trials: each trial's params, its inner folds' scores and their
 * running mean by step, its inner-CV score when it completed, and its number, state and
 * study as tags.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trialRuns } from "./tracked_runs.ts";
 *
 * const trial = (score: number, state: "complete" | "pruned") => ({
 *   params: { alpha: score }, score, foldScores: [score, score], state,
 * });
 * const tuning = {
 *   best: { alpha: 1 }, bestScore: 1, stoppedEarly: false, skipped: 0, elapsedMs: 1,
 *   trials: [trial(1, "complete"), trial(3, "pruned")],
 * };
 * const [done, pruned] = trialRuns("ridge fold 2", { label: "fold 2", tuning });
 * assert.equal(done.name, "ridge fold 2 trial 1");
 * assert.deepEqual(done.summary, { inner_cv_rmse: 1 });
 * assert.deepEqual(pruned.summary, {}); // a pruned trial has no inner-CV score
 * assert.equal(pruned.tags["tuning.state"], "pruned");
 * ```
 */
export function trialRuns(prefix: string, study: Study): TrackedRun[] {
  return study.tuning.trials.map((trial, i): TrackedRun => {
    let sum = 0;
    const steps = trial.foldScores.flatMap((value, k) => {
      sum += value;
      return [
        { key: "inner_fold_rmse", value, step: k + 1 },
        { key: "inner_running_rmse", value: sum / (k + 1), step: k + 1 },
      ];
    });
    return {
      name: `${prefix} trial ${i + 1}`,
      kind: "trial",
      params: hyperParams(trial.params),
      tags: {
        [TRIAL_TAG]: String(i + 1),
        [TRIAL_STATE_TAG]: trial.state,
        [STUDY_TAG]: study.label,
      },
      summary: trial.state === "complete" ? finiteFigures({ inner_cv_rmse: trial.score }) : {},
      steps: finiteSteps(steps),
      children: [],
    };
  });
}

/** The trial runs of a fit's own search, labelled `final`. */
function finalTrialRuns(name: string, fitted: FittedCandidate): TrackedRun[] {
  return fitted.tuning ? trialRuns(name, { label: "final", tuning: fitted.tuning }) : [];
}

/**
 * The final fit's run (`final: <name>`): the hyper-parameters it used and the selected
 * candidate's `cv_*` summary; under it its tuning trials and, for an ensemble, a run per
 * member with that member's trials.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { FittedCandidate } from "./cross_validate.ts";
 * import { finalRun } from "./tracked_runs.ts";
 *
 * const ridge = {
 *   params: { alpha: 1 },
 *   tuning: { best: { alpha: 1 }, bestScore: 0.2, trials: [
 *     { params: { alpha: 1 }, score: 0.2, foldScores: [0.1, 0.3], state: "complete" },
 *   ] },
 * } as unknown as FittedCandidate;
 * const run = finalRun("ensemble", {
 *   params: {},
 *   members: [{ name: "ridge", fitted: ridge }],
 * } as unknown as FittedCandidate, { rmse: 0.19 });
 * assert.equal(run.name, "final: ensemble");
 * assert.deepEqual(run.summary, { cv_rmse: 0.19 });
 * const [member] = run.children;
 * assert.equal(member.name, "final: ridge");
 * assert.deepEqual(member.children.map((t) => [t.name, t.summary]), [
 *   ["ridge trial 1", { inner_cv_rmse: 0.2 }],
 * ]);
 * ```
 */
export function finalRun(
  name: string,
  fitted: FittedCandidate,
  summary: Readonly<Record<string, number>>,
): TrackedRun {
  const members: TrackedRun[] = (fitted.members ?? []).map((member) => ({
    name: `final: ${member.name}`,
    kind: "member",
    params: hyperParams(member.fitted.params),
    tags: { "candidate.member": "true" },
    summary: {},
    steps: [],
    children: finalTrialRuns(member.name, member.fitted),
  }));
  return {
    name: `final: ${name}`,
    kind: "final",
    params: hyperParams(fitted.params),
    tags: { "candidate.final": "true" },
    summary: cvSummary(summary),
    steps: [],
    children: [...finalTrialRuns(name, fitted), ...members],
  };
}
