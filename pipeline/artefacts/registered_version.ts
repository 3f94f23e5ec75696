/**
 * `models/registered_version.json`, written by `register`: the registered model and the
 * version this pipeline run made `challenger`, with the bundle's checksum, so that a server
 * serving `models/model_bundle.json` as a file reports that version
 * (`pipeline/bundle/registration_record.ts`).
 *
 * @module
 */
import { RegistrationRecordSchema } from "../bundle/registration_record.ts";
import { jsonArtefact } from "./json_artefact.ts";

/** The registered version (and the checksum of the bundle registered). */
export const RegisteredVersionSchema = RegistrationRecordSchema;

/** The registered version file. */
export const REGISTERED_VERSION = jsonArtefact(
  "models/registered_version.json",
  RegisteredVersionSchema,
);
