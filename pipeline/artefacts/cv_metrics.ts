/**
 * `reports/cv_metrics.json`, written by `train` (a DVC metrics file): the selected
 * model's headline metrics only, so that `dvc metrics show` and `dvc metrics diff` read
 * as a short table and a rerun with the same result diffs empty. Every candidate's
 * summary is in `reports/cv_candidates.json` (`cv_candidates.ts`); timings and run ids
 * are in MLflow. Read by `register` for the model card.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/**
 * The selected model's headline metrics (as the bundle keeps them), each named by the
 * protocol that produced it:
 * - `cv_*`: pooled out-of-fold over every CV fold, the final configuration (chosen on the
 *   development folds, weights included) refitted without each fold in turn;
 * - `dev_cv_*`: pooled out-of-fold over the development folds, the figure the
 *   configuration was selected by;
 * - `holdout_*`: the held-out fold, scored once by the fit on the development folds.
 */
export const HeadlineMetricsSchema = z.strictObject({
  cv_rmse: z.number(),
  cv_mae: z.number(),
  cv_r2: z.number(),
  cv_mape: z.number(),
  cv_fold_rmse_std: z.number(),
  cv_fold_rmse_max: z.number(),
  dev_cv_rmse: z.number(),
  dev_cv_r2: z.number(),
  holdout_rmse: z.number(),
  holdout_r2: z.number(),
});

/** Headline metrics of the selected model. */
export type HeadlineMetrics = z.infer<typeof HeadlineMetricsSchema>;

/** The metrics file. */
export const CvMetricsSchema = z.strictObject({
  // Name and family first: the order the file is read in.
  selected: z.strictObject({
    name: z.string(),
    family: z.string(),
    ...HeadlineMetricsSchema.pick({
      cv_rmse: true,
      cv_mae: true,
      cv_r2: true,
      cv_fold_rmse_std: true,
      dev_cv_rmse: true,
      holdout_rmse: true,
      holdout_r2: true,
    }).shape,
  }),
});

/** Checked cross-validation metrics. */
export type CvMetrics = z.infer<typeof CvMetricsSchema>;

/**
 * The metrics file's content for the selected model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const metrics = cvMetrics("ridge", "ridge", {
 *   cv_rmse: 0.136, cv_mae: 0.095, cv_r2: 0.66, cv_mape: 0.77,
 *   cv_fold_rmse_std: 0.012, cv_fold_rmse_max: 0.16, dev_cv_rmse: 0.137, dev_cv_r2: 0.65,
 *   holdout_rmse: 0.13, holdout_r2: 0.62,
 * });
 * assert.deepEqual(Object.keys(metrics.selected), [
 *   "name", "family", "cv_rmse", "cv_mae", "cv_r2", "cv_fold_rmse_std", "dev_cv_rmse",
 *   "holdout_rmse", "holdout_r2",
 * ]);
 * ```
 */
export function cvMetrics(name: string, family: string, headline: HeadlineMetrics): CvMetrics {
  const { cv_rmse, cv_mae, cv_r2, cv_fold_rmse_std, dev_cv_rmse, holdout_rmse, holdout_r2 } =
    headline;
  return {
    selected: {
      name,
      family,
      cv_rmse,
      cv_mae,
      cv_r2,
      cv_fold_rmse_std,
      dev_cv_rmse,
      holdout_rmse,
      holdout_r2,
    },
  };
}

/** The cross-validation metrics file. */
export const CV_METRICS = jsonArtefact("reports/cv_metrics.json", CvMetricsSchema);
