/**
 * Compares freshly rendered files with the tree: a generated file that is missing,
 * differs (a hand edit, or a notebook changed without exporting) or is stale (its
 * notebook no longer produces it) makes `export-cells --check` fail.
 *
 * @module
 */
import { join, relative } from "node:path";
import { isGenerated } from "./render.ts";

/** Folders, relative to the root, that may hold generated files. */
export const GENERATED_DIRS = ["pipeline", "tests/generated"] as const;

/** A generated file that does not match what exporting produces. */
export interface Mismatch {
  /** Path relative to the root. */
  readonly path: string;
  readonly problem: "missing" | "differs" | "stale";
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Lists the `.ts` files under the generated folders that carry the generated header. */
export async function findGeneratedFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (
        entry.isFile && entry.name.endsWith(".ts") && isGenerated(await Deno.readTextFile(path))
      ) {
        found.push(relative(root, path));
      }
    }
  };
  for (const dir of GENERATED_DIRS) {
    await walk(join(root, dir)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  return found.sort();
}

/** Compares `expected` (path relative to `root` → content) with the files on disk. */
export async function findMismatches(
  root: string,
  expected: ReadonlyMap<string, string>,
): Promise<Mismatch[]> {
  const mismatches: Mismatch[] = [];
  for (const [path, content] of expected) {
    const actual = await readOrUndefined(join(root, path));
    if (actual === undefined) mismatches.push({ path, problem: "missing" });
    else if (actual !== content) mismatches.push({ path, problem: "differs" });
  }
  for (const path of await findGeneratedFiles(root)) {
    if (!expected.has(path)) mismatches.push({ path, problem: "stale" });
  }
  return mismatches.sort((a, b) => a.path.localeCompare(b.path));
}

/** A one-line explanation of a mismatch. */
export function describeMismatch(mismatch: Mismatch): string {
  switch (mismatch.problem) {
    case "missing":
      return `${mismatch.path}: missing; run \`deno task export-cells\``;
    case "differs":
      return `${mismatch.path}: differs from its notebook (edited by hand, or the notebook ` +
        "changed without `deno task export-cells`)";
    case "stale":
      return `${mismatch.path}: stale; no notebook generates it any more`;
  }
}
