/**
 * `data/processed/features.json`, written by `features`: the model's input features,
 * their interactions and missing indicators, and why every candidate was kept or
 * dropped. Read by `train`.
 *
 * @module
 */
import { z } from "zod";
import type { FeatureSelection } from "../features/select_features.ts";
import { jsonArtefact } from "./json_artefact.ts";

/** The feature list as stored: a selection plus the indicators of its features. */
export const FeatureListSchema = z.strictObject({
  features: z.array(z.string()).min(1).readonly(),
  interactions: z.array(z.tuple([z.string(), z.string()]).readonly()).readonly(),
  decisions: z.array(z.strictObject({ name: z.string(), kept: z.boolean(), reason: z.string() }))
    .readonly(),
  indicators: z.array(z.string()).readonly(),
}) satisfies z.ZodType<FeatureSelection & { indicators: readonly string[] }>;

/** A checked feature list. */
export type FeatureList = z.infer<typeof FeatureListSchema>;

/** The feature list file. */
export const FEATURE_LIST = jsonArtefact("data/processed/features.json", FeatureListSchema);
