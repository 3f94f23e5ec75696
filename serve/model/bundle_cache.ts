/**
 * A local copy of the last bundle served from the registry, so that a restart still
 * serves a model while MLflow is unreachable. One file per model URI, replaced
 * atomically; reading it checks the bundle's checksum again.
 *
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import type { FetchedBundle } from "./model_source.ts";

const CachedEntry = z.object({
  cachedAt: z.string(),
  identity: z.object({
    name: z.string(),
    version: z.string(),
    alias: z.string().optional(),
    location: z.string(),
  }),
  bundle: z.unknown(),
});

/** A bundle read back from the cache, with when it was stored. */
export interface CachedBundle {
  readonly fetched: FetchedBundle;
  readonly cachedAt: string;
}

/** The bundle cache in one directory. */
export class BundleCache {
  readonly dir: string;

  /** Uses `dir`, created on the first write. */
  constructor(dir: string) {
    this.dir = dir;
  }

  /** The cache file for a model URI. */
  fileFor(uri: string): string {
    return join(this.dir, `${encodeURIComponent(uri)}.json`);
  }

  /** Stores what was fetched for `uri`, replacing any earlier copy. */
  async write(uri: string, fetched: FetchedBundle, now = new Date()): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
    const file = this.fileFor(uri);
    const { origin: _, ...identity } = fetched.identity;
    const entry = { cachedAt: now.toISOString(), identity, bundle: fetched.bundle };
    // Written aside and renamed, so a crash mid-write never leaves a truncated cache file.
    const partial = `${file}.${crypto.randomUUID()}.partial`;
    await Deno.writeTextFile(partial, JSON.stringify(entry));
    await Deno.rename(partial, file);
  }

  /** The cached copy for `uri`, `undefined` if there is none; throws if it is damaged. */
  async read(uri: string): Promise<CachedBundle | undefined> {
    const file = this.fileFor(uri);
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    let entry: z.infer<typeof CachedEntry>;
    try {
      entry = CachedEntry.parse(JSON.parse(text));
    } catch {
      throw new Error(`${file}: not a bundle cache file`);
    }
    const bundle = await openBundle(JSON.stringify(entry.bundle), file);
    return {
      cachedAt: entry.cachedAt,
      fetched: { bundle, identity: { ...entry.identity, origin: "cache", location: file } },
    };
  }
}
