/**
 * The bundle embedded in a compiled binary. `tools/compile.ts` copies the chosen bundle to
 * {@linkcode EMBEDDED_BUNDLE_URL} and passes it to `deno compile --include`, which makes
 * it readable at the same path relative to this module inside the binary. Outside a
 * compiled binary there is nothing embedded, and the source says so rather than reading
 * the source tree.
 *
 * @module
 */
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import {
  checksumVersion,
  EMBEDDED_URI,
  type FetchedBundle,
  type ModelSource,
} from "./model_source.ts";
import { readBundleText } from "./model_source_file.ts";

/** Where the compile step stages the bundle it embeds. */
export const EMBEDDED_BUNDLE_URL: URL = new URL(
  "../../dist/embedded/model_bundle.json",
  import.meta.url,
);

/** Whether this process is a compiled binary with a bundle embedded in it. */
export async function hasEmbeddedBundle(): Promise<boolean> {
  if (!Deno.build.standalone) return false;
  try {
    return (await Deno.stat(EMBEDDED_BUNDLE_URL)).isFile;
  } catch {
    return false;
  }
}

/** The embedded bundle; it never changes, so a reload finds nothing new. */
export function embeddedSource(): ModelSource {
  return {
    uri: EMBEDDED_URI,
    async fetch(current?: FetchedBundle): Promise<FetchedBundle | undefined> {
      if (current) return undefined;
      if (!await hasEmbeddedBundle()) {
        throw new Error(
          "no bundle is embedded: only a binary compiled with `deno task compile --bundle <path>` " +
            "has one; pass --model with a bundle path or a models:/ URI instead",
        );
      }
      const bundle = await openBundle(await readBundleText(EMBEDDED_BUNDLE_URL), "embedded bundle");
      return {
        bundle,
        identity: {
          name: bundle.name,
          version: checksumVersion(bundle),
          origin: "embedded",
          location: EMBEDDED_URI,
        },
      };
    },
  };
}
