/**
 * Sealing (adding the checksum) and opening (schema check, checksum check) model bundles.
 *
 * @module
 */
import { parseWith } from "../config/schema_error.ts";
import { type ModelBundle, ModelBundleSchema } from "./bundle_schema.ts";
import { canonicalJson } from "../core/canonical_json.ts";
import { sha256Hex } from "../core/sha256.ts";
import { UserError } from "../core/user_error.ts";

/** A file that is not a valid model bundle: not JSON, not of the schema, or altered. */
export class BundleError extends UserError {
  override name = "BundleError";
}

/** A bundle before its checksum is computed. */
export type UnsealedBundle = Omit<ModelBundle, "checksum">;

/** The checksum of a bundle's content (every field but `checksum`). */
export function bundleChecksum(bundle: UnsealedBundle): Promise<string> {
  const { checksum: _, ...content } = bundle as ModelBundle;
  return sha256Hex(canonicalJson(content));
}

/** Adds the checksum, returning the complete bundle. */
export async function sealBundle(bundle: UnsealedBundle): Promise<ModelBundle> {
  return { ...bundle, checksum: await bundleChecksum(bundle) };
}

/**
 * Parses bundle JSON text, validating its shape and checksum; `source` names it in errors.
 *
 * @example
 * ```ts ignore
 * const path = "models/model_bundle.json"; // written by the pipeline's train stage
 * const bundle = await openBundle(await Deno.readTextFile(path), path);
 * ```
 */
export async function openBundle(text: string, source: string): Promise<ModelBundle> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BundleError(
      `${source}: not a model bundle (invalid JSON: ${(error as Error).message})`,
    );
  }
  const bundle = parseWith(ModelBundleSchema, raw, source);
  const actual = await bundleChecksum(bundle);
  if (actual !== bundle.checksum) {
    throw new BundleError(
      `${source}: checksum mismatch (stored ${bundle.checksum.slice(0, 12)}…, ` +
        `content ${actual.slice(0, 12)}…): the bundle is corrupt or was edited`,
    );
  }
  return bundle;
}
