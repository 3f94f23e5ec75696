/**
 * `reports/contributions.json`, written by `evaluate`: mean absolute contribution per
 * feature over the held-out fold beside permutation importance
 * (`../report/contribution_summary.ts`).
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** One feature's two global measures and their ranks (1 = largest; ties share the average). */
export const FeatureAttributionSchema = z.strictObject({
  feature: z.string(),
  meanAbsContribution: z.number().min(0),
  contributionRank: z.number(),
  permutationImportance: z.number(),
  permutationRank: z.number(),
});

/** The file's shape. */
export const ContributionSummarySchema = z.strictObject({
  /** Rows explained. */
  rows: z.number().int().min(0),
  /** The used features, by mean absolute contribution, largest first. */
  features: z.array(FeatureAttributionSchema).readonly(),
  /** Spearman correlation of the two rankings over the used features. */
  spearman: z.number(),
  /** How many of the `top` features of one ranking are among the other's `top`. */
  topShared: z.strictObject({ top: z.number().int(), shared: z.number().int() }),
  /** Largest |base + Σ contributions - output| over the rows. */
  maxLocalAccuracyError: z.number().min(0),
});

/** One feature's measures. */
export type FeatureAttribution = z.infer<typeof FeatureAttributionSchema>;
/** The contribution summary. */
export type ContributionSummary = z.infer<typeof ContributionSummarySchema>;

/** The contribution summary file. */
export const CONTRIBUTION_SUMMARY = jsonArtefact(
  "reports/contributions.json",
  ContributionSummarySchema,
);
