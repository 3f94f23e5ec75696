/**
 * The MLflow implementation of the training {@link Tracker}: one child run per
 * candidate (per-fold metrics as steps), nested under the training run, and one run per
 * tuning trial nested under its candidate's run (or under the final fit's), with the
 * study's history and parameter importances as interactive pages when a page renderer
 * is given.
 *
 * @module
 */
import type { MlflowClient } from "../mlflow/client.ts";
import type { MetricPoint } from "../mlflow/log_batch.ts";
import type { RunStarter } from "../mlflow/tracking.ts";
import { foldChoices, hyperParams } from "./mlflow_params.ts";
import type { Trial } from "./sampler.ts";
import type { Study } from "./study.ts";
import { importanceFigure, type StudyFigure, studyHistoryFigure } from "./study_figures.ts";
import type { Tracker } from "./tracker.ts";

/**
 * The key a cross-validation summary figure has in MLflow: `rmse` becomes `cv_rmse`, the
 * key the training run gives the selected model's figure, so that the parent and its
 * candidates' runs can be compared column by column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cvMetricKey } from "./mlflow_tracker.ts";
 *
 * assert.equal(cvMetricKey("rmse"), "cv_rmse");
 * assert.equal(cvMetricKey("fold_rmse_std"), "cv_fold_rmse_std");
 * ```
 */
export function cvMetricKey(summaryKey: string): string {
  return `cv_${summaryKey}`;
}

function summaryMetrics(summary: Record<string, number>, step = 0): MetricPoint[] {
  return Object.entries(summary).filter(([, v]) => Number.isFinite(v)).map(([key, value]) => ({
    key: cvMetricKey(key),
    value,
    step,
  }));
}

/** The tag listing the hyper-parameters a candidate's folds chose differently. */
export const VARYING_PARAMS_TAG = "tuning.varying_params";
/** The tag with each fold's choice of those hyper-parameters (JSON, by fold id). */
export const FOLD_PARAMS_TAG = "tuning.fold_params";

/** The tag with a trial's number in its study. */
export const TRIAL_TAG = "tuning.trial";
/** The tag with a trial's state: `complete`, or `pruned` when stopped after some inner folds. */
export const TRIAL_STATE_TAG = "tuning.state";
/** The tag naming a trial's study (e.g. `fold 3`, or `final`). */
export const STUDY_TAG = "tuning.study";

/** Renders a figure as a self-contained HTML page (`standalonePlotlyPage` with plotly.js). */
export type PageRenderer = (title: string, figure: StudyFigure) => string;

/** Trials logged at once: the server answers a few requests in parallel. */
const CONCURRENT_TRIALS = 8;

/** A trial's metrics: each inner fold's score and the running mean as steps, and the final score. */
function trialMetrics(trial: Trial<unknown>): MetricPoint[] {
  let sum = 0;
  const steps = trial.foldScores.flatMap((value, k) => {
    sum += value;
    return [
      { key: "inner_fold_rmse", value, step: k + 1 },
      { key: "inner_running_rmse", value: sum / (k + 1), step: k + 1 },
    ];
  });
  const final = trial.state === "complete"
    ? [{ key: "inner_cv_rmse", value: trial.score, step: 0 }]
    : [];
  return [...final, ...steps].filter((m) => Number.isFinite(m.value));
}

/**
 * Logs candidates and the final fit as nested runs of `parentRunId`, started and ended
 * through `runs` (by default the client's tracking API). A candidate's run has its
 * hyper-parameters as params (the value most outer folds chose, see
 * {@linkcode foldChoices}), its summary as `cv_*` metrics and each fold's figures as
 * `fold_*` metrics with the fold as step; a final fit and a tuning trial have the
 * hyper-parameters they used. A trial's run is a child of its candidate's (or final
 * fit's) run, tagged with its study, number and state ({@linkcode TRIAL_STATE_TAG});
 * with `page`, the candidate's run also gets `tuning/history.html` and
 * `tuning/importance.html` (study_figures.ts).
 */
export function mlflowTracker(
  client: MlflowClient,
  experimentId: string,
  parentRunId: string,
  runs: RunStarter = client.tracking,
  page?: PageRenderer,
): Tracker {
  const child = async (name: string, parent: string, tags: Record<string, string> = {}) => {
    const run = await runs.createRun({ experimentId, runName: name, parentRunId: parent, tags });
    return { runId: run.info.run_id, artifactUri: run.info.artifact_uri };
  };
  /** Candidate runs opened early by `trials`, to be completed by `candidate`. */
  const opened = new Map<string, string>();
  const logTrial = async (
    prefix: string,
    study: string,
    trial: Trial<Record<string, unknown>>,
    i: number,
    parent: string,
  ) => {
    const { runId } = await child(`${prefix} trial ${i + 1}`, parent, {
      [TRIAL_TAG]: String(i + 1),
      [TRIAL_STATE_TAG]: trial.state,
      [STUDY_TAG]: study,
    });
    await client.tracking.logBatch(runId, {
      params: hyperParams(trial.params),
      metrics: trialMetrics(trial),
    });
    await runs.terminateRun(runId);
  };
  const logStudies = async (
    name: string,
    studies: readonly Study[],
    parent: { runId: string; artifactUri: string },
    prefix: (study: Study) => string,
  ) => {
    const jobs = studies.flatMap((study) =>
      study.tuning.trials.map((trial, i) => () =>
        logTrial(prefix(study), study.label, trial, i, parent.runId)
      )
    );
    for (let start = 0; start < jobs.length; start += CONCURRENT_TRIALS) {
      await Promise.all(jobs.slice(start, start + CONCURRENT_TRIALS).map((job) => job()));
    }
    if (!page) return;
    const pages: [string, string, StudyFigure][] = [
      ["tuning/history.html", `${name}: tuning history`, studyHistoryFigure(name, studies)],
      ["tuning/importance.html", `${name}: parameter importance`, importanceFigure(name, studies)],
    ];
    for (const [artifact, title, figure] of pages) {
      await client.artifacts.upload(parent.artifactUri, artifact, page(title, figure));
    }
  };
  const logFinalTrials = async (
    name: string,
    tuning: Study["tuning"] | undefined,
    parent: { runId: string; artifactUri: string },
  ) => {
    if (tuning) await logStudies(name, [{ label: "final", tuning }], parent, () => name);
  };
  return {
    async trials(name, studies) {
      const run = await child(name, parentRunId);
      opened.set(name, run.runId);
      await logStudies(name, studies, run, (study) => `${name} ${study.label}`);
    },
    async candidate(result, summary) {
      const choices = foldChoices(result.folds);
      const tags: Record<string, string> = { "candidate.family": result.family };
      if (choices.varying.length > 0) {
        tags[VARYING_PARAMS_TAG] = choices.varying.join(",");
        tags[FOLD_PARAMS_TAG] = JSON.stringify(choices.byFold);
      }
      const runId = opened.get(result.name) ?? (await child(result.name, parentRunId)).runId;
      opened.delete(result.name);
      const foldMetrics = result.folds.flatMap((f) => [
        { key: "fold_rmse", value: f.metrics.rmse, step: f.fold },
        { key: "fold_mae", value: f.metrics.mae, step: f.fold },
        { key: "fold_r2", value: f.metrics.r2, step: f.fold },
      ]);
      await client.tracking.logBatch(runId, {
        params: { ...choices.params, family: result.family },
        tags,
        metrics: [...summaryMetrics(summary), ...foldMetrics],
      });
      await runs.terminateRun(runId);
    },
    async final(name, fitted, summary) {
      const run = await child(`final: ${name}`, parentRunId, { "candidate.final": "true" });
      await client.tracking.logBatch(run.runId, {
        params: hyperParams(fitted.params),
        metrics: summaryMetrics(summary),
      });
      await logFinalTrials(name, fitted.tuning, run);
      // An ensemble's members were tuned one by one: their trials nest under a run each.
      for (const member of fitted.members ?? []) {
        const memberRun = await child(`final: ${member.name}`, run.runId, {
          "candidate.member": "true",
        });
        await client.tracking.logBatch(memberRun.runId, {
          params: hyperParams(member.fitted.params),
        });
        await logFinalTrials(member.name, member.fitted.tuning, memberRun);
        await runs.terminateRun(memberRun.runId);
      }
      await runs.terminateRun(run.runId);
    },
  };
}
