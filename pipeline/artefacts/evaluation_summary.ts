/**
 * `reports/evaluation.json`, written by `evaluate` (a DVC metrics file): the headline
 * evaluation figures only, so that `dvc metrics show` stays a short table. The residual
 * analysis and the importances behind them are in `reports/evaluation_analysis.json`
 * (`evaluation_analysis.ts`). Read by `register` for the model card.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** The evaluation metrics file. */
export const EvaluationSummarySchema = z.strictObject({
  /** The state (name) of the highest RMSE among those with enough rows. */
  worst_state: z.string(),
  worst_state_rmse: z.number(),
  racial_band_rmse_max: z.number(),
  racial_band_rmse_min: z.number(),
  top_feature: z.string(),
  top_feature_importance: z.number(),
});

/** A checked evaluation summary. */
export type EvaluationSummary = z.infer<typeof EvaluationSummarySchema>;

/** The evaluation metrics file. */
export const EVALUATION_SUMMARY = jsonArtefact("reports/evaluation.json", EvaluationSummarySchema);
