/**
 * Compares freshly rendered files with the tree. `export-cells --check` fails on a
 * generated file that is missing, differs (a hand edit, or a notebook changed without
 * exporting) or is stale (its notebook no longer produces it); on a file in a generated
 * folder that no notebook produces; and on a hand-written file anywhere under
 * `pipeline/`, `tests/` or `serve/` that carries the generated header.
 *
 * @module
 */
import { join, relative } from "node:path";
import { isGenerated } from "./render.ts";

/**
 * Folders, relative to the root, that hold only generated files: the modules that encode
 * a data-science decision and their tests. Everything else is written by hand.
 */
export const GENERATED_DIRS = [
  "pipeline/features",
  "pipeline/evaluation",
  "tests/generated",
] as const;

/** Folders searched for files that carry the generated header without being generated. */
export const SEARCHED_DIRS = ["pipeline", "tests", "serve"] as const;

/** A file that does not match what exporting produces. */
export interface Mismatch {
  /** Path relative to the root. */
  readonly path: string;
  /**
   * `missing`, `differs` or `stale` (generated, but no notebook produces it any more)
   * are fixed by exporting; `hand-written` (a file in a generated folder without the
   * header) and `not-generated` (the header on a file outside them) need a person.
   */
  readonly problem: "missing" | "differs" | "stale" | "hand-written" | "not-generated";
}

/** Whether `path` (relative to the root) lies in one of the generated folders. */
export function inGeneratedDir(path: string): boolean {
  return GENERATED_DIRS.some((dir) => path.startsWith(`${dir}/`));
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** A file under the searched folders, and whether it carries the generated header. */
interface Found {
  readonly path: string;
  readonly generated: boolean;
}

async function findFiles(root: string): Promise<Found[]> {
  const found: Found[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      const relativePath = relative(root, path);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && (entry.name.endsWith(".ts") || inGeneratedDir(relativePath))) {
        found.push({ path: relativePath, generated: isGenerated(await Deno.readTextFile(path)) });
      }
    }
  };
  for (const dir of SEARCHED_DIRS) {
    await walk(join(root, dir)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Lists the `.ts` files under the searched folders that carry the generated header. */
export async function findGeneratedFiles(root: string): Promise<string[]> {
  return (await findFiles(root)).filter((file) => file.generated).map((file) => file.path);
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
  for (const { path, generated } of await findFiles(root)) {
    if (expected.has(path)) continue;
    if (!inGeneratedDir(path)) {
      if (generated) mismatches.push({ path, problem: "not-generated" });
    } else mismatches.push({ path, problem: generated ? "stale" : "hand-written" });
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
    case "hand-written":
      return `${mismatch.path}: in a generated folder (${GENERATED_DIRS.join(", ")}) but ` +
        "not generated: export it from a notebook, or move it out";
    case "not-generated":
      return `${mismatch.path}: carries the generated header but no notebook generates it ` +
        `(only ${GENERATED_DIRS.join(", ")} hold generated files): remove the header`;
  }
}
