/**
 * `reports/evaluation_analysis.json`, written by `evaluate` (a plain DVC output, kept in
 * git): the residual analysis and the permutation importance of the held-out-fold model,
 * the tables behind the headline figures of `reports/evaluation.json`. Read by
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

/** The analysis file. */
export const EvaluationAnalysisSchema = z.strictObject({
  analysis: ResidualAnalysisSchema,
  /** The most important features, most important first. */
  importance: z.array(ImportanceSchema).readonly(),
});

/** A checked evaluation analysis. */
export type EvaluationAnalysis = z.infer<typeof EvaluationAnalysisSchema>;

/** The analysis file. */
export const EVALUATION_ANALYSIS = jsonArtefact(
  "reports/evaluation_analysis.json",
  EvaluationAnalysisSchema,
);
