/**
 * MLflow's own run and experiment tags (the `mlflow.` ones its UI reads): who started a
 * run, from which entry point and commit, and which kind of work an experiment holds.
 * The keys are those of MLflow's `mlflow/utils/mlflow_tags.py`; the experiment kind is
 * the one MLflow 3 records for custom model development (training runs, metrics,
 * params), as its UI's experiment-type setting writes it. (MLflow 3.17's own UI opens
 * the view its sidebar switch says: see `ui_links.ts`.)
 *
 * @module
 */

/** MLflow's system tag keys of a run. */
export const SYSTEM_TAG = {
  user: "mlflow.user",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  gitCommit: "mlflow.source.git.commit",
  gitBranch: "mlflow.source.git.branch",
  gitRepoUrl: "mlflow.source.git.repoURL",
  runName: "mlflow.runName",
} as const;

/** The project's tag telling that the commit had uncommitted changes to tracked files. */
export const GIT_DIRTY_TAG = "pipeline.git_dirty";

/** The experiment tag MLflow 3's UI reads to choose an experiment's view. */
export const EXPERIMENT_KIND_TAG = "mlflow.experimentKind";

/** The experiment kind of model training (MLflow 3's "custom model development"). */
export const CUSTOM_MODEL_DEVELOPMENT = "custom_model_development";

/** The experiment tags of an experiment that holds model training runs. */
export const TRAINING_EXPERIMENT_TAGS: Readonly<Record<string, string>> = {
  [EXPERIMENT_KIND_TAG]: CUSTOM_MODEL_DEVELOPMENT,
};

/** MLflow's `SourceType`: `LOCAL` for a run started by hand, `JOB` for one under CI. */
export type SourceType = "LOCAL" | "JOB" | "NOTEBOOK" | "PROJECT" | "UNKNOWN";

/** Where a run comes from, as its system tags record it. */
export interface RunSource {
  readonly user: string;
  /** The entry point, e.g. `pipeline/stages/train.ts`. */
  readonly sourceName: string;
  readonly sourceType: SourceType;
  /** The full commit hash (without a `-dirty` mark); absent outside git. */
  readonly gitCommit?: string;
  /** Whether tracked files differed from the commit. */
  readonly gitDirty?: boolean;
  readonly gitBranch?: string;
  /** The remote's URL, without user info. */
  readonly gitRepoUrl?: string;
}

/**
 * The system tags of a run from `source`: absent facts give no tag rather than an
 * empty one, which the UI would show as a blank value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { systemTags } from "./system_tags.ts";
 *
 * assert.deepEqual(
 *   systemTags({ user: "ana", sourceName: "pipeline/stages/train.ts", sourceType: "LOCAL" }),
 *   {
 *     "mlflow.user": "ana",
 *     "mlflow.source.name": "pipeline/stages/train.ts",
 *     "mlflow.source.type": "LOCAL",
 *   },
 * );
 * const tags = systemTags({
 *   user: "ci",
 *   sourceName: "pipeline/stages/train.ts",
 *   sourceType: "JOB",
 *   gitCommit: "0123456789abcdef0123456789abcdef01234567",
 *   gitDirty: false,
 *   gitBranch: "main",
 * });
 * assert.equal(tags["mlflow.source.git.branch"], "main");
 * assert.equal(tags["pipeline.git_dirty"], "false");
 * ```
 */
export function systemTags(source: RunSource): Record<string, string> {
  const tags: Record<string, string> = {
    [SYSTEM_TAG.user]: source.user,
    [SYSTEM_TAG.sourceName]: source.sourceName,
    [SYSTEM_TAG.sourceType]: source.sourceType,
  };
  if (source.gitCommit) tags[SYSTEM_TAG.gitCommit] = source.gitCommit;
  if (source.gitDirty !== undefined) tags[GIT_DIRTY_TAG] = `${source.gitDirty}`;
  if (source.gitBranch) tags[SYSTEM_TAG.gitBranch] = source.gitBranch;
  if (source.gitRepoUrl) tags[SYSTEM_TAG.gitRepoUrl] = source.gitRepoUrl;
  return tags;
}
