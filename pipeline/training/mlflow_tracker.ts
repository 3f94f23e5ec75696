/**
 * The MLflow implementation of the training {@link Tracker}: one child run per
 * candidate (per-fold metrics as steps) and one per tuning trial of the final fit,
 * nested under the training run. What each run holds is `tracked_runs.ts`'s.
 *
 * @module
 */
import type { MlflowClient } from "../mlflow/client.ts";
import type { RunStarter } from "../mlflow/tracking.ts";
import { candidateRun, finalRun, type TrackedRun } from "./tracked_runs.ts";
import type { Tracker } from "./tracker.ts";

/**
 * Logs candidates and the final fit as nested runs of `parentRunId`, started and ended
 * through `runs` (by default the client's tracking API). A run's summary figures are
 * metrics at step 0, its figures by step metrics at their step, its params and tags
 * MLflow's; the runs under it nest under it.
 */
export function mlflowTracker(
  client: MlflowClient,
  experimentId: string,
  parentRunId: string,
  runs: RunStarter = client.tracking,
): Tracker {
  const log = async (run: TrackedRun, parent: string): Promise<void> => {
    const runId = (await runs.createRun({
      experimentId,
      runName: run.name,
      parentRunId: parent,
      tags: { ...run.tags },
    })).info.run_id;
    await client.tracking.logBatch(runId, {
      params: run.params,
      metrics: [
        ...Object.entries(run.summary).map(([key, value]) => ({ key, value, step: 0 })),
        ...run.steps,
      ],
    });
    for (const child of run.children) await log(child, runId);
    await runs.terminateRun(runId);
  };
  return {
    candidate: (result, summary) => log(candidateRun(result, summary), parentRunId),
    final: (name, fitted, summary) => log(finalRun(name, fitted, summary), parentRunId),
  };
}
