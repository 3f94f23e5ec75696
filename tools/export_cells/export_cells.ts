/**
 * Exports notebook cells into pipeline modules and tests.
 *
 * Every notebook under `<root>/notebooks/` is read; cells marked `//| export` are
 * written, in order, to `<root>/pipeline/<module>.ts` and cells marked `//| test` to
 * `<root>/tests/generated/<module>_test.ts` (see `directives.ts`). Generated files
 * that no notebook produces any more are deleted.
 *
 * Usage: `deno run -A tools/export_cells/export_cells.ts [--check] [--root DIR]`
 *
 * `--check` writes nothing and exits 1, naming each generated file that is missing,
 * differs from what its notebook produces, or is stale, each file in a generated folder
 * that no notebook produces, and each file elsewhere that carries the generated header.
 * Without it, those last two are named too (exit 1): exporting cannot fix them.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findNotebooks, parseNotebook } from "../notebooks/notebook.ts";
import { describeMismatch, findMismatches, GENERATED_DIRS, inGeneratedDir } from "./check.ts";
import { collectNotebooks, type Target } from "./collect.ts";
import { format, renderModule, renderTest } from "./render.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Renders every generated file of the project at `root`: path relative to `root` →
 * formatted content.
 */
export async function renderAll(root: string): Promise<Map<string, string>> {
  const notebooks = await Promise.all(
    (await findNotebooks(root, "notebooks")).map(async (path) =>
      parseNotebook(await Deno.readTextFile(join(root, path)), path)
    ),
  );
  const targets = collectNotebooks(notebooks);
  for (const target of targets) {
    if (!inGeneratedDir(target.path)) {
      throw new Error(
        `${target.notebook} exports ${target.path}, outside the generated folders ` +
          `(${GENERATED_DIRS.join(", ")})`,
      );
    }
  }
  const modulesOf = (notebook: string): Target[] =>
    targets.filter((target) => target.kind === "module" && target.notebook === notebook);
  const rendered = new Map<string, string>();
  for (const target of targets) {
    const text = target.kind === "module"
      ? renderModule(target, modulesOf(target.notebook))
      : renderTest(target, modulesOf(target.notebook));
    rendered.set(target.path, await format(text, root, target.path));
  }
  return rendered;
}

/** Checks the generated files under `root`; returns the process exit code. */
export async function check(root: string): Promise<number> {
  const rendered = await renderAll(root);
  const mismatches = await findMismatches(root, rendered);
  for (const mismatch of mismatches) console.error(describeMismatch(mismatch));
  if (mismatches.length) return 1;
  console.log(`${rendered.size} generated file(s) match their notebooks`);
  return 0;
}

/**
 * Writes the generated files under `root` that changed and removes stale ones; returns
 * the process exit code (1 when a file needs a person: see `Mismatch` in `check.ts`).
 */
export async function exportCells(root: string): Promise<number> {
  const rendered = await renderAll(root);
  let code = 0;
  for (const mismatch of await findMismatches(root, rendered)) {
    const { path, problem } = mismatch;
    if (problem === "hand-written" || problem === "not-generated") {
      console.error(describeMismatch(mismatch));
      code = 1;
      continue;
    }
    if (problem === "stale") {
      await Deno.remove(join(root, path));
      console.log(`removed ${path} (no notebook generates it any more)`);
      continue;
    }
    await Deno.mkdir(dirname(join(root, path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), rendered.get(path)!);
    console.log(`wrote ${path}`);
  }
  return code;
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: { check: { type: "boolean", default: false }, root: { type: "string" } },
    });
    const root = values.root ?? PROJECT_ROOT;
    if (values.check) Deno.exit(await check(root));
    Deno.exit(await exportCells(root));
  } catch (error) {
    console.error(`export-cells: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
