/**
 * `data/processed/preprocess_plan.json`, written by `preprocess`: which columns were
 * kept, dropped or flagged for missing values. Read by `features`.
 *
 * @module
 */
import { z } from "zod";
import { PreprocessParamsSchema } from "../config/params_schema.ts";
import type { MissingPlan } from "../features/missing_plan.ts";
import { jsonArtefact } from "./json_artefact.ts";

/** The missing-value plan as stored; its type is the features module's `MissingPlan`. */
export const MissingPlanSchema = z.strictObject({
  strategy: PreprocessParamsSchema.shape.missing_strategy.unwrap(),
  kept: z.array(z.string()).readonly(),
  dropped: z.array(z.strictObject({ name: z.string(), missingRate: z.number().min(0).max(1) }))
    .readonly(),
  indicators: z.array(z.string()).readonly(),
}) satisfies z.ZodType<MissingPlan>;

/** The missing-value plan file. */
export const MISSING_PLAN = jsonArtefact("data/processed/preprocess_plan.json", MissingPlanSchema);
