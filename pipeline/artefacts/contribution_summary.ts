/**
 * `reports/contributions.json`, written by `evaluate`: mean absolute contribution per
 * feature over the held-out fold beside permutation importance
 * (`../evaluation/contribution_summary.ts`).
 *
 * @module
 */
import { z } from "zod";
import type { ContributionSummary } from "../evaluation/contribution_summary.ts";
import { jsonArtefact } from "./json_artefact.ts";

/** The file's shape. */
export const ContributionSummarySchema = z.strictObject({
  rows: z.number().int().min(0),
  features: z.array(z.strictObject({
    feature: z.string(),
    meanAbsContribution: z.number().min(0),
    contributionRank: z.number(),
    permutationImportance: z.number(),
    permutationRank: z.number(),
  })).readonly(),
  spearman: z.number(),
  topShared: z.strictObject({ top: z.number().int(), shared: z.number().int() }),
  maxLocalAccuracyError: z.number().min(0),
}) satisfies z.ZodType<ContributionSummary>;

/** The contribution summary file. */
export const CONTRIBUTION_SUMMARY = jsonArtefact(
  "reports/contributions.json",
  ContributionSummarySchema,
);
