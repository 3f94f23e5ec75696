/**
 * The MLflow implementation of the training {@link Tracker}: one child run per
 * candidate (per-fold metrics as steps) and one per tuning trial of the final fit,
 * nested under the training run.
 *
 * @module
 */
import type { MlflowClient } from "../mlflow/client.ts";
import type { MetricPoint } from "../mlflow/log_batch.ts";
import type { RunStarter } from "../mlflow/tracking.ts";
import type { FittedCandidate } from "./cross_validate.ts";
import { foldChoices, hyperParams } from "./mlflow_params.ts";
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

/**
 * Logs candidates and the final fit as nested runs of `parentRunId`, started and ended
 * through `runs` (by default the client's tracking API). A candidate's run has its
 * hyper-parameters as params (the value most outer folds chose, see
 * {@linkcode foldChoices}), its summary as `cv_*` metrics and each fold's figures as
 * `fold_*` metrics with the fold as step; a final fit and a tuning trial have the
 * hyper-parameters they used.
 */
export function mlflowTracker(
  client: MlflowClient,
  experimentId: string,
  parentRunId: string,
  runs: RunStarter = client.tracking,
): Tracker {
  const child = async (name: string, parent: string, tags: Record<string, string> = {}) =>
    (await runs.createRun({ experimentId, runName: name, parentRunId: parent, tags })).info.run_id;
  const logTrials = async (name: string, fitted: FittedCandidate, parent: string) => {
    for (const [i, trial] of (fitted.tuning?.scores ?? []).entries()) {
      const trialId = await child(`${name} trial ${i + 1}`, parent, {
        "tuning.trial": String(i + 1),
      });
      await client.tracking.logBatch(trialId, {
        params: hyperParams(trial.params),
        metrics: [
          { key: "inner_cv_rmse", value: trial.score, step: 0 },
          ...trial.foldScores.map((value, k) => ({ key: "inner_fold_rmse", value, step: k + 1 })),
        ],
      });
      await runs.terminateRun(trialId);
    }
  };
  return {
    async candidate(result, summary) {
      const choices = foldChoices(result.folds);
      const tags: Record<string, string> = { "candidate.family": result.family };
      if (choices.varying.length > 0) {
        tags[VARYING_PARAMS_TAG] = choices.varying.join(",");
        tags[FOLD_PARAMS_TAG] = JSON.stringify(choices.byFold);
      }
      const runId = await child(result.name, parentRunId, tags);
      const foldMetrics = result.folds.flatMap((f) => [
        { key: "fold_rmse", value: f.metrics.rmse, step: f.fold },
        { key: "fold_mae", value: f.metrics.mae, step: f.fold },
        { key: "fold_r2", value: f.metrics.r2, step: f.fold },
      ]);
      await client.tracking.logBatch(runId, {
        params: { ...choices.params, family: result.family },
        metrics: [...summaryMetrics(summary), ...foldMetrics],
      });
      await runs.terminateRun(runId);
    },
    async final(name, fitted, summary) {
      const runId = await child(`final: ${name}`, parentRunId, { "candidate.final": "true" });
      await client.tracking.logBatch(runId, {
        params: hyperParams(fitted.params),
        metrics: summaryMetrics(summary),
      });
      await logTrials(name, fitted, runId);
      // An ensemble's members were tuned one by one: their trials nest under a run each.
      for (const member of fitted.members ?? []) {
        const memberId = await child(`final: ${member.name}`, runId, {
          "candidate.member": "true",
        });
        await client.tracking.logBatch(memberId, { params: hyperParams(member.fitted.params) });
        await logTrials(member.name, member.fitted, memberId);
        await runs.terminateRun(memberId);
      }
      await runs.terminateRun(runId);
    },
  };
}
