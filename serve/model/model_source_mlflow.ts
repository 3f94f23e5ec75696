/**
 * A model version from the MLflow registry, by alias or by number. The version is
 * registered from an MLflow logged model (`models:/<modelId>`), whose artifacts hold the
 * bundle (`…/models/<modelId>/artifacts/artifacts/model_bundle.json`); an older version's
 * source is a training run's `…/artifacts/model` folder holding `model_bundle.json`. Either
 * is downloaded through the tracking server's artifact proxy
 * (`pipeline/bundle/version_bundle.ts`).
 * The last bundle served is cached on disk: at start-up, when the registry cannot be
 * reached, the cached copy is served instead (with a warning), so a restart does not
 * depend on MLflow being up.
 *
 * Secrets stay out of what this source reports (errors, warnings, the bundle's location):
 * the client keeps the tracking URI's user info out of its messages (see
 * `pipeline/mlflow/auth.ts`), and artifact locations are shown through `redactUri`.
 *
 * @module
 */
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import { downloadVersionBundle } from "../../pipeline/bundle/version_bundle.ts";
import { MlflowError } from "../../pipeline/mlflow/client.ts";
import type { ArtifactsApi } from "../../pipeline/mlflow/artifacts.ts";
import { redactUri } from "../../pipeline/mlflow/redact_uri.ts";
import type { RegistryApi } from "../../pipeline/mlflow/registry.ts";
import type { ModelVersion } from "../../pipeline/mlflow/registry_schemas.ts";
import type { BundleCache } from "./bundle_cache.ts";
import type { FetchedBundle, ModelLocator, ModelSource } from "./model_source.ts";

// The settings to look at when a registry model cannot be loaded (see ../config.ts).
const MODEL_SETTING = "SERVE_MODEL (--model)";
const REGISTRY_SETTING = "MLFLOW_TRACKING_URI (--mlflow-uri)";

/** What {@linkcode mlflowSource} needs. */
export interface MlflowSourceOptions {
  /** The registry and artifact halves of an `MlflowClient`. */
  readonly client: { readonly registry: RegistryApi; readonly artifacts: ArtifactsApi };
  readonly locator: Extract<ModelLocator, { kind: "registry" }>;
  readonly cache: BundleCache;
}

/**
 * Fetches a registered model version's bundle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MlflowClient } from "../../pipeline/mlflow/client.ts";
 * import { BundleCache } from "./bundle_cache.ts";
 * import { mlflowSource } from "./model_source_mlflow.ts";
 *
 * const source = mlflowSource({
 *   client: new MlflowClient("http://127.0.0.1:5000"),
 *   locator: { kind: "registry", name: "communities-crime", alias: "champion" },
 *   cache: new BundleCache(".serve/model-cache"),
 * });
 * assert.equal(source.uri, "models:/communities-crime@champion"); // nothing fetched until fetch()
 * ```
 */
export function mlflowSource(options: MlflowSourceOptions): ModelSource {
  const { client, locator, cache } = options;
  const uri = "alias" in locator
    ? `models:/${locator.name}@${locator.alias}`
    : `models:/${locator.name}/${locator.version}`;
  const alias = "alias" in locator ? locator.alias : undefined;

  async function resolve(): Promise<ModelVersion> {
    const version = "alias" in locator
      ? await client.registry.getModelVersionByAlias(locator.name, locator.alias)
      : await client.registry.getModelVersion(locator.name, locator.version);
    if (!version) {
      throw new Error(
        `${uri}: no such model or alias in the registry; check ${MODEL_SETTING} and ${REGISTRY_SETTING}`,
      );
    }
    if (version.status !== "READY") {
      throw new Error(`${uri}: version ${version.version} is ${version.status}, not READY`);
    }
    return version;
  }

  async function download(version: ModelVersion): Promise<FetchedBundle> {
    const downloaded = await downloadVersionBundle(client, version);
    const bytes = downloaded.bytes;
    // Shown in /model/info and in errors: an artifact store URI may carry a password too.
    const location = redactUri(downloaded.location);
    const bundle = await openBundle(new TextDecoder().decode(bytes), `${uri} (${location})`);
    return {
      bundle,
      identity: { name: locator.name, version: version.version, alias, origin: "mlflow", location },
    };
  }

  async function fromCache(cause: MlflowError): Promise<FetchedBundle> {
    let cached: Awaited<ReturnType<BundleCache["read"]>>;
    try {
      cached = await cache.read(uri);
    } catch (error) {
      // Left in place: it may be the only copy there is; the next fetch from MLflow
      // replaces it.
      throw new Error(
        `${uri}: the registry is unreachable (${cause.message}) and the cached bundle at ` +
          `${cache.fileFor(uri)} cannot be used (${(error as Error).message}); check ` +
          `${REGISTRY_SETTING}`,
      );
    }
    if (!cached) {
      throw new Error(
        `${uri}: the registry is unreachable (${cause.message}) and no cached bundle exists ` +
          `at ${cache.fileFor(uri)}; check ${REGISTRY_SETTING}`,
      );
    }
    return {
      ...cached.fetched,
      warning: `the registry was unreachable at start-up (${cause.message}); serving the ` +
        `cached version ${cached.fetched.identity.version} stored at ${cached.cachedAt}`,
    };
  }

  return {
    uri,
    async fetch(current?: FetchedBundle): Promise<FetchedBundle | undefined> {
      try {
        const version = await resolve();
        if (current?.identity.version === version.version) return undefined;
        return await download(version);
      } catch (error) {
        // Only a first load falls back: once serving, keeping the current model is better.
        if (!current && isUnreachable(error)) return await fromCache(error);
        throw error;
      }
    },
    async accepted(fetched: FetchedBundle): Promise<void> {
      if (fetched.identity.origin === "mlflow") await cache.write(uri, fetched);
    },
  };
}

/** Whether the registry could not answer at all, as opposed to answering "no". */
function isUnreachable(error: unknown): error is MlflowError {
  return error instanceof MlflowError && (error.status === undefined || error.status >= 500);
}
