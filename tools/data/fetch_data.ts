/**
 * `deno task fetch-data`: refreshes the raw snapshot from the UCI repository. Each file is
 * downloaded, checked against `data/raw/SHA256SUMS`, and only then written, so a changed
 * or truncated download never replaces the committed copy.
 *
 * ```sh
 * deno task fetch-data                       # from the UCI website
 * deno task fetch-data --base-url http://mirror.example/communities
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { sha256Hex } from "../../pipeline/core/sha256.ts";

/** Where the UCI repository serves the two files. */
export const UCI_BASE_URL = "https://archive.ics.uci.edu/ml/machine-learning-databases/communities";

/** Parses `sha256  name` lines into a map from name to digest. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = line.trim().match(/^([0-9a-f]{64})\s+\*?(\S+)$/);
    if (match) sums.set(match[2], match[1]);
  }
  return sums;
}

/** Downloads every file listed in the checksum file and writes those that match. */
export async function fetchData(baseUrl: string, rawDir: string): Promise<string[]> {
  const sums = parseChecksums(await Deno.readTextFile(join(rawDir, "SHA256SUMS")));
  const verified: { name: string; bytes: Uint8Array }[] = [];
  for (const [name, expected] of sums) {
    const url = `${baseUrl.replace(/\/$/, "")}/${name}`;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new Error(`cannot reach ${url}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const actual = await sha256Hex(bytes);
    if (actual !== expected) {
      throw new Error(
        `${url}: checksum mismatch (expected ${expected}, got ${actual}); nothing was written`,
      );
    }
    verified.push({ name, bytes });
  }
  for (const { name, bytes } of verified) await Deno.writeFile(join(rawDir, name), bytes);
  return verified.map((v) => v.name);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { "base-url": { type: "string", default: UCI_BASE_URL } },
  });
  try {
    const written = await fetchData(values["base-url"]!, "data/raw");
    console.log(`fetch-data: ${written.join(", ")} verified and written to data/raw`);
  } catch (error) {
    console.error(`fetch-data failed: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
