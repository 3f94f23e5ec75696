/**
 * Downloads the bundle of a registered model version, wherever the version keeps it:
 * among the artifacts of the logged model it was registered from (`models:/<modelId>`),
 * or in the run artifact folder that is the source of an older version. Promotion and
 * the server both read bundles this way.
 *
 * @module
 */
import type { ArtifactsApi } from "../mlflow/artifacts.ts";
import { joinArtifactPath } from "../mlflow/artifacts.ts";
import type { RegistryApi } from "../mlflow/registry.ts";
import type { ModelVersion } from "../mlflow/registry_schemas.ts";
import { BUNDLE_FILE, LOGGED_MODEL_BUNDLE } from "./bundle_artifact.ts";

/** A version's bundle as bytes, and the artifact URI it came from. */
export interface VersionBundle {
  readonly bytes: Uint8Array;
  /** The bundle's artifact URI (may carry user info: redact it before showing it). */
  readonly location: string;
}

/**
 * Whether a version was registered from a logged model rather than from run artifacts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(fromLoggedModel({ source: "models:/m-0123abcd" }), true);
 * assert.equal(fromLoggedModel({ source: "mlflow-artifacts:/1/abc/artifacts/model" }), false);
 * ```
 */
export function fromLoggedModel(version: Pick<ModelVersion, "source">): boolean {
  return version.source.startsWith("models:/");
}

/**
 * Downloads the version's bundle file (unparsed: the caller opens and checks it).
 *
 * @example Needs a tracking server
 * ```ts ignore
 * const { bytes, location } = await downloadVersionBundle(client, version);
 * ```
 */
export async function downloadVersionBundle(
  client: { readonly registry: RegistryApi; readonly artifacts: ArtifactsApi },
  version: Pick<ModelVersion, "name" | "version" | "source">,
): Promise<VersionBundle> {
  const [root, path] = fromLoggedModel(version)
    ? [
      await client.registry.getModelVersionDownloadUri(version.name, version.version),
      LOGGED_MODEL_BUNDLE,
    ]
    : [version.source, BUNDLE_FILE];
  return {
    bytes: await client.artifacts.download(root, path),
    location: joinArtifactPath(root, path),
  };
}
