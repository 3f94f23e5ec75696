/**
 * Zod schemas of the model registry entities the MLflow REST API returns; field names
 * stay as MLflow sends them, tag and alias lists become records.
 *
 * @module
 */
import { z } from "zod";
import { KeyValues } from "./schemas.ts";

/** Registration states of a model version; only `READY` versions can be served. */
export const ModelVersionStatus = z.enum(["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"]);
/** Registration states of a model version. */
export type ModelVersionStatus = z.output<typeof ModelVersionStatus>;

/** One version of a registered model. */
export const ModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number().optional(),
  description: z.string().default(""),
  source: z.string(),
  run_id: z.string().default(""),
  status: ModelVersionStatus,
  status_message: z.string().optional(),
  tags: KeyValues,
  aliases: z.array(z.string()).default([]),
});
/** One version of a registered model. */
export type ModelVersion = z.output<typeof ModelVersion>;

/** A registered model; `aliases` maps alias to version. */
export const RegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number().optional(),
  description: z.string().default(""),
  tags: KeyValues,
  aliases: z
    .array(z.object({ alias: z.string(), version: z.string() }))
    .default([])
    .transform((pairs) => Object.fromEntries(pairs.map((a) => [a.alias, a.version]))),
});
/** A registered model. */
export type RegisteredModel = z.output<typeof RegisteredModel>;
