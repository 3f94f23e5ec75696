/**
 * A tracked run as Weights & Biases runs. W&B does not nest runs: the run and every run
 * under it become runs of one group (the training), with the kind of run as the job type.
 * MLflow's params and tags, both text attributes of a run, become the W&B config (the
 * tags' keys, `candidate.*` and `tuning.*`, are apart from the hyper-parameters' names);
 * the figures with one value become the summary, the figures by step the history.
 *
 * @module
 */
import type { TrackedRun } from "./tracked_runs.ts";

/** One W&B run as the bridge process (`wandb_bridge.py`) records it. */
export interface WandbRun {
  readonly name: string;
  readonly job_type: TrackedRun["kind"];
  readonly config: Readonly<Record<string, string>>;
  readonly summary: Readonly<Record<string, number>>;
  /** The figures of each step, in increasing step order (W&B requires it). */
  readonly history: readonly { step: number; values: Record<string, number> }[];
}

/**
 * `run` and the runs nested under it, parents first, as W&B runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wandbRuns } from "./wandb_runs.ts";
 *
 * const [candidate] = wandbRuns({
 *   name: "ridge",
 *   kind: "candidate",
 *   params: { alpha: "1" },
 *   tags: { "candidate.family": "ridge" },
 *   summary: { cv_rmse: 0.2 },
 *   steps: [
 *     { key: "fold_rmse", value: 0.3, step: 2 },
 *     { key: "fold_rmse", value: 0.1, step: 1 },
 *     { key: "fold_r2", value: 0.6, step: 1 },
 *   ],
 *   children: [],
 * });
 * assert.deepEqual(candidate.config, { alpha: "1", "candidate.family": "ridge" });
 * assert.deepEqual(candidate.history, [
 *   { step: 1, values: { fold_rmse: 0.1, fold_r2: 0.6 } },
 *   { step: 2, values: { fold_rmse: 0.3 } },
 * ]);
 * ```
 */
export function wandbRuns(run: TrackedRun): WandbRun[] {
  const byStep = new Map<number, Record<string, number>>();
  for (const { key, value, step } of run.steps) {
    const values = byStep.get(step) ?? {};
    values[key] = value;
    byStep.set(step, values);
  }
  const self: WandbRun = {
    name: run.name,
    job_type: run.kind,
    config: { ...run.params, ...run.tags },
    summary: run.summary,
    history: [...byStep].sort(([a], [b]) => a - b).map(([step, values]) => ({ step, values })),
  };
  return [self, ...run.children.flatMap(wandbRuns)];
}
