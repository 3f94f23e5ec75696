/**
 * A model bundle read from a file on disk. Re-reading it on reload picks up a bundle
 * replaced in place; an unchanged checksum means there is nothing to swap.
 *
 * @module
 */
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
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
      return {
        bundle,
        identity: {
          name: bundle.name,
          version: checksumVersion(bundle),
          origin: "file",
          location: path,
        },
      };
    },
  };
}

/** Reads a bundle file, turning the usual failures into one-line reasons. */
export async function readBundleText(path: string | URL): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw new Error(`${path}: no such bundle file`);
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new Error(`${path}: not allowed to read the bundle file (${error.message})`);
    }
    throw new Error(`${path}: cannot read the bundle file (${(error as Error).message})`);
  }
}
