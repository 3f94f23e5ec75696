/**
 * Where the served model comes from: the MLflow registry (`models:/<name>@<alias>` or
 * `models:/<name>/<version>`), a bundle file, or the bundle embedded in a compiled binary.
 * Each source fetches a checked bundle together with the identity it is served under.
 *
 * @module
 */
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";

/** How the bundle being served was obtained. */
export type ModelOrigin = "mlflow" | "cache" | "file" | "embedded";

/** What a served model is called, which version it is, and where it was read from. */
export interface ModelIdentity {
  /** The registered model name, or the bundle's own name for files. */
  readonly name: string;
  /** The registry version, or the first 12 hex digits of the bundle checksum. */
  readonly version: string;
  /** The registry alias the version was resolved through, if any. */
  readonly alias?: string;
  readonly origin: ModelOrigin;
  /** The artifact URI, file path or cache file the bundle was read from. */
  readonly location: string;
}

/** A bundle whose shape and checksum were verified, with its identity. */
export interface FetchedBundle {
  readonly bundle: ModelBundle;
  readonly identity: ModelIdentity;
  /** Why this is not the preferred copy (e.g. the registry was down and a cache was used). */
  readonly warning?: string;
}

/** Fetches bundles; see {@linkcode parseModelUri} for the URI forms. */
export interface ModelSource {
  /** The model URI, for logs and `/model/info`. */
  readonly uri: string;
  /**
   * Fetches the bundle the source points at, or `undefined` if that is still `current`.
   * Throws an error naming the source when it cannot.
   */
  fetch(current?: FetchedBundle): Promise<FetchedBundle | undefined>;
  /** Called once a fetched bundle passed its checks and is being served. */
  accepted?(fetched: FetchedBundle): Promise<void>;
}

/** A parsed model URI. */
export type ModelLocator =
  | { readonly kind: "registry"; readonly name: string; readonly alias: string }
  | { readonly kind: "registry"; readonly name: string; readonly version: string }
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "embedded" };

/** The model served when neither `--model` nor an embedded bundle says otherwise. */
export const DEFAULT_MODEL_URI = "models:/communities-crime@champion";

/** The model URI meaning "the bundle embedded in this binary". */
export const EMBEDDED_URI = "embedded";

/**
 * Parses a model URI: `models:/<name>@<alias>`, `models:/<name>/<version>`, `embedded`,
 * or a bundle path (optionally as a `file:` URL). Throws on a malformed `models:/` URI.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseModelUri } from "./model_source.ts";
 *
 * assert.deepEqual(parseModelUri("models:/communities-crime@champion"), {
 *   kind: "registry",
 *   name: "communities-crime",
 *   alias: "champion",
 * });
 * assert.deepEqual(parseModelUri("models/model_bundle.json"), {
 *   kind: "file",
 *   path: "models/model_bundle.json",
 * });
 * ```
 */
export function parseModelUri(uri: string): ModelLocator {
  if (uri === EMBEDDED_URI) return { kind: "embedded" };
  if (uri.startsWith("file:")) {
    return { kind: "file", path: decodeURIComponent(new URL(uri).pathname) };
  }
  if (!uri.startsWith("models:/")) return { kind: "file", path: uri };
  const rest = uri.slice("models:/".length);
  const byAlias = /^([^/@]+)@([^/@]+)$/.exec(rest);
  if (byAlias) return { kind: "registry", name: byAlias[1], alias: byAlias[2] };
  const byVersion = /^([^/@]+)\/(\d+)$/.exec(rest);
  if (byVersion) return { kind: "registry", name: byVersion[1], version: byVersion[2] };
  throw new Error(
    `model URI "${uri}" is not of the form models:/<name>@<alias> or models:/<name>/<version>`,
  );
}

/** The version under which a bundle without a registry version is served. */
export function checksumVersion(bundle: ModelBundle): string {
  return bundle.checksum.slice(0, 12);
}
