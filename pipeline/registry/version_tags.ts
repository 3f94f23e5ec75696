/**
 * The tags every registered model version carries: where it came from (commit, data and
 * params hashes, the CV folds) and its headline metrics, so versions can be compared in
 * the registry UI and by the promotion gates without downloading them.
 *
 * @module
 */
import type { ModelBundle } from "../bundle/bundle_schema.ts";
import type { SplitPlan } from "../artefacts/split_plan.ts";

/** Tag keys shared by registration and promotion. */
export const TAG = {
  gitCommit: "git_commit",
  dataHash: "data_sha256",
  paramsHash: "params_sha256",
  family: "family",
  cvFolds: "split.cv_folds",
  holdoutFold: "split.holdout_fold",
} as const;

/** Metrics copied from the bundle onto the version as `metric.<name>` tags. */
export const HEADLINE_METRICS = [
  "cv_rmse",
  "cv_r2",
  "cv_mae",
  "cv_fold_rmse_max",
  "holdout_rmse",
  "holdout_r2",
] as const;

/** A version's fold layout from its tags, as one comparable string; empty when untagged. */
export function splitOfTags(tags: Readonly<Record<string, string>>): string {
  const cv = tags[TAG.cvFolds];
  const holdout = tags[TAG.holdoutFold];
  return cv === undefined || holdout === undefined ? "" : `cv=${cv};holdout=${holdout}`;
}

/**
 * The tags of a new version of `bundle`, trained on the folds of `split`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBundleFile } from "../artefacts/model_bundles.ts";
 *
 * const tags = versionTags(await readBundleFile("examples/model_bundle.json"), {
 *   cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
 *   holdoutFold: 10,
 * });
 * assert.equal(tags["split.cv_folds"], "1,2,3,4,5,6,7,8,9,10");
 * assert.equal(tags.family, "ridge");
 * ```
 */
export function versionTags(
  bundle: ModelBundle,
  split: Pick<SplitPlan, "cvFolds" | "holdoutFold">,
): Record<string, string> {
  const tags: Record<string, string> = {
    [TAG.gitCommit]: bundle.provenance.gitCommit,
    [TAG.dataHash]: bundle.provenance.dataHash,
    [TAG.paramsHash]: bundle.provenance.paramsHash,
    [TAG.family]: bundle.family,
    [TAG.cvFolds]: split.cvFolds.join(","),
    [TAG.holdoutFold]: String(split.holdoutFold),
  };
  for (const name of HEADLINE_METRICS) {
    const value = bundle.metrics[name];
    if (value !== undefined) tags[`metric.${name}`] = value.toFixed(6);
  }
  return tags;
}
