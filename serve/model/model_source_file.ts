/**
 * A model bundle read from a file on disk. Re-reading it on reload picks up a bundle
 * replaced in place; an unchanged checksum means there is nothing to swap. A bundle that
 * `register` registered is served under its registered name and version, when the
 * registration record beside it names this very bundle (by checksum); any other bundle
 * under the first 12 hex digits of its checksum.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import {
  REGISTRATION_RECORD_FILE,
  registrationOf,
} from "../../pipeline/bundle/registration_record.ts";
import { checksumVersion, type FetchedBundle, type ModelSource } from "./model_source.ts";

/**
 * Reads the bundle at `path`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSource } from "./model_source_file.ts";
 *
 * const fetched = await fileSource("examples/model_bundle.json").fetch();
 * assert.equal(fetched?.identity.origin, "file");
 * ```
 */
export function fileSource(path: string): ModelSource {
  return {
    uri: path,
    async fetch(current?: FetchedBundle): Promise<FetchedBundle | undefined> {
      // The path came from SERVE_MODEL (--model): say so where it cannot be read.
      const text = await readBundleText(path).catch((error: Error) => {
        throw new Error(`${error.message}; check SERVE_MODEL (--model)`);
      });
      const bundle = await openBundle(text, path);
      if (current?.bundle.checksum === bundle.checksum) return undefined;
      const registered = await registrationBeside(path, bundle);
      return {
        bundle,
        identity: {
          name: registered?.name ?? bundle.name,
          version: registered?.version ?? checksumVersion(bundle),
          origin: "file",
          location: path,
        },
      };
    },
  };
}

/** The registered name and version of `bundle`, from the record beside `path`, if it names it. */
async function registrationBeside(
  path: string,
  bundle: ModelBundle,
): Promise<{ readonly name: string; readonly version: string } | undefined> {
  const text = await Deno.readTextFile(join(dirname(path), REGISTRATION_RECORD_FILE))
    .catch(() => undefined);
  return text === undefined ? undefined : registrationOf(text, bundle.checksum);
}

/**
 * Why the bundle file at `path` cannot be served at all (missing, a directory, not
 * readable), or `undefined`. Such a file is not worth retrying, unlike a registry.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bundleFileProblem } from "./model_source_file.ts";
 *
 * assert.equal(await bundleFileProblem("examples/model_bundle.json"), undefined);
 * assert.equal(await bundleFileProblem("missing.json"), "missing.json: no such bundle file");
 * ```
 */
export async function bundleFileProblem(path: string): Promise<string | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
    // Opened, not only looked up: a file without read permission stats fine.
    if (!info.isDirectory) (await Deno.open(path, { read: true })).close();
  } catch (error) {
    return readFailure(path, error).message;
  }
  return info.isDirectory ? `${path}: a directory, not a bundle file` : undefined;
}

/** Reads a bundle file, turning the usual failures into one-line reasons. */
export async function readBundleText(path: string | URL): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw readFailure(path, error);
  }
}

/** A one-line reason for a failure to read the bundle file at `path`. */
function readFailure(path: string | URL, error: unknown): Error {
  if (error instanceof Deno.errors.NotFound) return new Error(`${path}: no such bundle file`);
  if (error instanceof Deno.errors.PermissionDenied) {
    return new Error(`${path}: not allowed to read the bundle file (${error.message})`);
  }
  return new Error(`${path}: cannot read the bundle file (${(error as Error).message})`);
}
