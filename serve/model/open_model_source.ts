/**
 * The model source a model URI names (`model_source.ts`): the embedded bundle, a bundle
 * file, or a registry alias or version through MLflow with a disk cache. Used by the
 * server and by the offline monitoring report.
 *
 * @module
 */
import { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { BundleCache } from "./bundle_cache.ts";
import {
  DEFAULT_MODEL_URI,
  EMBEDDED_URI,
  type ModelSource,
  parseModelUri,
} from "./model_source.ts";
import { embeddedSource, hasEmbeddedBundle } from "./model_source_embedded.ts";
import { fileSource } from "./model_source_file.ts";
import { mlflowSource } from "./model_source_mlflow.ts";

/** Where registry bundles come from and are cached. */
export interface RegistryAccess {
  readonly mlflowUri: string;
  readonly cacheDir: string;
}

/**
 * The source of `uri`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openModelSource } from "./open_model_source.ts";
 *
 * // A `models:/<name>@<alias>` URI opens the registry at `mlflowUri` instead.
 * const source = openModelSource("examples/model_bundle.json", {
 *   mlflowUri: "http://127.0.0.1:5000",
 *   cacheDir: ".serve/model-cache",
 * });
 * const fetched = await source.fetch();
 * assert.equal(fetched?.identity.origin, "file");
 * ```
 */
export function openModelSource(uri: string, registry: RegistryAccess): ModelSource {
  const locator = parseModelUri(uri);
  switch (locator.kind) {
    case "embedded":
      return embeddedSource();
    case "file":
      return fileSource(locator.path);
    case "registry":
      return mlflowSource({
        client: new MlflowClient(registry.mlflowUri),
        locator,
        cache: new BundleCache(registry.cacheDir),
      });
  }
}

/**
 * The model URI to use: `configured` if given, else the embedded bundle of a compiled
 * binary that has one, else {@linkcode DEFAULT_MODEL_URI}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseModelUri } from "./open_model_source.ts";
 *
 * assert.equal(await chooseModelUri("models/model_bundle.json"), "models/model_bundle.json");
 * assert.equal(await chooseModelUri(undefined), "models:/communities-crime@champion");
 * ```
 */
export async function chooseModelUri(configured: string | undefined): Promise<string> {
  return configured ?? (await hasEmbeddedBundle() ? EMBEDDED_URI : DEFAULT_MODEL_URI);
}
