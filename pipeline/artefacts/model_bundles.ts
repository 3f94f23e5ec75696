/**
 * `models/model_bundle.json` and `models/holdout_bundle.json`, written by `train`: the
 * served model and the one fitted without the held-out fold. Read by `evaluate` and
 * `register`; checked against the bundle schema and checksum (`bundle/bundle_io.ts`).
 *
 * @module
 */
import { openBundle } from "../bundle/bundle_io.ts";
import type { ModelBundle } from "../bundle/bundle_schema.ts";
import { readArtefactText } from "./json_artefact.ts";

/** The served model's bundle. */
export const MODEL_BUNDLE_PATH = "models/model_bundle.json";
/** The bundle of the same configuration fitted on the development folds only. */
export const HOLDOUT_BUNDLE_PATH = "models/holdout_bundle.json";

/** Reads and checks a bundle file. */
export async function readBundleFile(path: string): Promise<ModelBundle> {
  return await openBundle(await readArtefactText(path), path);
}
