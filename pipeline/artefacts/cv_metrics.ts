/**
 * `reports/cv_metrics.json`, written by `train` (a DVC metrics file): the selected
 * model's headline metrics and every candidate's summary. Read by `register` for the
 * model card.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** The selected model's headline metrics, pooled out-of-fold and on the held-out fold. */
export const HeadlineMetricsSchema = z.strictObject({
  cv_rmse: z.number(),
  cv_mae: z.number(),
  cv_r2: z.number(),
  cv_mape: z.number(),
  cv_fold_rmse_std: z.number(),
  cv_fold_rmse_max: z.number(),
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
    ...HeadlineMetricsSchema.shape,
  }),
  /** The ensemble's members, comma-separated ("" when the ensemble is off). */
  ensemble_members: z.string(),
  /** Each candidate's flat summary (`training/summarize_results.ts`). */
  candidates: z.record(z.string(), z.record(z.string(), z.number())),
});

/** Checked cross-validation metrics. */
export type CvMetrics = z.infer<typeof CvMetricsSchema>;

/** The cross-validation metrics file. */
export const CV_METRICS = jsonArtefact("reports/cv_metrics.json", CvMetricsSchema);
