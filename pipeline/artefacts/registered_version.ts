/**
 * `models/registered_version.json`, written by `register`: the registered model and the
 * version this pipeline run made `challenger`.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** The registered version. */
export const RegisteredVersionSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
});

/** The registered version file. */
export const REGISTERED_VERSION = jsonArtefact(
  "models/registered_version.json",
  RegisteredVersionSchema,
);
