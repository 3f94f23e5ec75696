/**
 * `reports/evaluation.json`, written by `evaluate` (a DVC metrics file): the headline
 * evaluation metrics, the residual analysis and the permutation importance. Read by
 * `register` for the model card.
 *
 * @module
 */
import { z } from "zod";
import type { Importance } from "../evaluation/permutation_importance.ts";
import type { ResidualAnalysis } from "../evaluation/residual_analysis.ts";
import { jsonArtefact } from "./json_artefact.ts";

const GroupErrorSchema = z.strictObject({
  group: z.string(),
  count: z.number().int().positive(),
  rmse: z.number(),
  meanResidual: z.number(),
  meanActual: z.number(),
});

/** The residual analysis as stored; its type is the evaluation module's. */
export const ResidualAnalysisSchema = z.strictObject({
  byState: z.array(GroupErrorSchema).readonly(),
  byRacialBand: z.array(GroupErrorSchema.extend({ feature: z.string() })).readonly(),
  byFeatureGroup: z.array(
    z.strictObject({ group: z.string(), feature: z.string(), correlation: z.number() }),
  ).readonly(),
}) satisfies z.ZodType<ResidualAnalysis>;

/** Permutation importance as stored. */
export const ImportanceSchema = z.strictObject({
  feature: z.string(),
  importance: z.number(),
  std: z.number(),
}) satisfies z.ZodType<Importance>;

/** The evaluation file. */
export const EvaluationSummarySchema = z.strictObject({
  worst_state: z.string(),
  worst_state_rmse: z.number(),
  racial_band_rmse_max: z.number(),
  racial_band_rmse_min: z.number(),
  top_feature: z.string(),
  top_feature_importance: z.number(),
  analysis: ResidualAnalysisSchema,
  importance: z.array(ImportanceSchema).readonly(),
});

/** A checked evaluation summary. */
export type EvaluationSummary = z.infer<typeof EvaluationSummarySchema>;

/** The evaluation file. */
export const EVALUATION_SUMMARY = jsonArtefact("reports/evaluation.json", EvaluationSummarySchema);
