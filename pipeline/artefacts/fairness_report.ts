/**
 * `reports/fairness.json`, written by `train`: the selected model against the same
 * configuration trained without the sensitive features, on the same folds' out-of-fold
 * predictions (`fairness/fairness_comparison.ts`), with the blind candidate's cost.
 * Read by `register` for the model card. Not a DVC metrics file: it holds tables.
 *
 * @module
 */
import { z } from "zod";
import type { FairnessComparison } from "../fairness/fairness_comparison.ts";
import { jsonArtefact } from "./json_artefact.ts";

const EstimateSchema = z.strictObject({
  estimate: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
});

const ModelSchema = z.strictObject({
  name: z.string(),
  rmse: EstimateSchema,
  r2: EstimateSchema,
  groupings: z.record(
    z.string(),
    z.strictObject({
      groups: z.array(
        z.strictObject({ group: z.string(), count: z.number().int(), rmse: EstimateSchema }),
      ),
      gap: EstimateSchema,
      worst: z.string(),
      best: z.string(),
    }),
  ),
});

/** The comparison as stored (NaN, which JSON cannot hold, as null). */
export const FairnessComparisonSchema = z.strictObject({
  models: z.tuple([ModelSchema, ModelSchema]),
  difference: z.strictObject({
    rmse: EstimateSchema,
    gaps: z.record(z.string(), EstimateSchema),
  }),
  rows: z.number().int(),
  resamples: z.number().int(),
  minGroupRows: z.number().int(),
});

/** The comparison of a run with it switched on. */
export const FairnessRunSchema = z.strictObject({
  enabled: z.literal(true),
  /** The features the second candidate left out. */
  leftOut: z.array(z.string()),
  /** What each grouping is, by its key in the comparison. */
  groupings: z.record(z.string(), z.string()),
  comparison: FairnessComparisonSchema,
});

/** The fairness file: the comparison, or a note that `train.fairness.enabled` is off. */
export const FairnessReportSchema = z.union([
  FairnessRunSchema,
  z.strictObject({ enabled: z.literal(false) }),
]);

/** A checked fairness report. */
export type FairnessReport = z.infer<typeof FairnessReportSchema>;
/** The report of a run with the comparison. */
export type FairnessRun = z.infer<typeof FairnessRunSchema>;
/** The comparison as stored. */
export type StoredFairnessComparison = z.infer<typeof FairnessComparisonSchema>;

/** The comparison with every NaN as null, ready for JSON. */
export function storedComparison(comparison: FairnessComparison): StoredFairnessComparison {
  return JSON.parse(
    JSON.stringify(comparison, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)),
  );
}

/** The fairness file. */
export const FAIRNESS_REPORT = jsonArtefact("reports/fairness.json", FairnessReportSchema);
