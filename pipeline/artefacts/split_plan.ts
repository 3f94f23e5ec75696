/**
 * `data/processed/split.json`, written by the `split` stage: the cross-validation folds,
 * the held-out fold and the rows of each. Read by `features`, `train`, `evaluate` and
 * `register`.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** The split declared in params, with row counts per fold. */
export const SplitPlanSchema = z.strictObject({
  cvFolds: z.array(z.number().int()).min(2),
  holdoutFold: z.number().int(),
  rowsPerFold: z.record(z.string(), z.number().int().positive()),
});

/** A checked split plan. */
export type SplitPlan = z.infer<typeof SplitPlanSchema>;

/** The split plan file. */
export const SPLIT_PLAN = jsonArtefact("data/processed/split.json", SplitPlanSchema);
