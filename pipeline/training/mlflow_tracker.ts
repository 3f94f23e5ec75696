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
import type { Tracker } from "./tracker.ts";

function flatParams(params: Record<string, unknown>, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map((
      [k, v],
    ) => [`${prefix}${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

function summaryMetrics(summary: Record<string, number>, step = 0): MetricPoint[] {
  return Object.entries(summary).filter(([, v]) => Number.isFinite(v)).map(([key, value]) => ({
    key,
    value,
    step,
  }));
}

/**
 * Logs candidates and the final fit as nested runs of `parentRunId`, started and ended
 * through `runs` (by default the client's tracking API).
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
        params: flatParams(trial.params),
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
      const runId = await child(result.name, parentRunId, { "candidate.family": result.family });
      const foldMetrics = result.folds.flatMap((f) => [
        { key: "fold_rmse", value: f.metrics.rmse, step: f.fold },
        { key: "fold_mae", value: f.metrics.mae, step: f.fold },
        { key: "fold_r2", value: f.metrics.r2, step: f.fold },
      ]);
      const chosen = Object.fromEntries(
        result.folds.map((f) => [`fold_${f.fold}_params`, JSON.stringify(f.params)]),
      );
      await client.tracking.logBatch(runId, {
        params: { family: result.family, ...chosen },
        metrics: [...summaryMetrics(summary), ...foldMetrics],
      });
      await runs.terminateRun(runId);
    },
    async final(name, fitted, summary) {
      const runId = await child(`final: ${name}`, parentRunId, { "candidate.final": "true" });
      await client.tracking.logBatch(runId, {
        params: flatParams(fitted.params),
        metrics: summaryMetrics(summary),
      });
      await logTrials(name, fitted, runId);
      // An ensemble's members were tuned one by one: their trials nest under a run each.
      for (const member of fitted.members ?? []) {
        const memberId = await child(`final: ${member.name}`, runId, {
          "candidate.member": "true",
        });
        await client.tracking.logBatch(memberId, { params: flatParams(member.fitted.params) });
        await logTrials(member.name, member.fitted, memberId);
        await runs.terminateRun(memberId);
      }
      await runs.terminateRun(runId);
    },
  };
}
