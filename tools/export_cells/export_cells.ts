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
 * differs from what its notebook produces, or is stale.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { findNotebooks, parseNotebook } from "../notebooks/notebook.ts";
import { describeMismatch, findMismatches } from "./check.ts";
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

/** Writes the generated files under `root` that changed and removes stale ones. */
export async function exportCells(root: string): Promise<void> {
  const rendered = await renderAll(root);
  for (const { path, problem } of await findMismatches(root, rendered)) {
    if (problem === "stale") {
      await Deno.remove(join(root, path));
      console.log(`removed ${path} (no notebook generates it any more)`);
      continue;
    }
    await Deno.mkdir(dirname(join(root, path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), rendered.get(path)!);
    console.log(`wrote ${path}`);
  }
}

if (import.meta.main) {
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: { check: { type: "boolean", default: false }, root: { type: "string" } },
    });
    const root = values.root ?? PROJECT_ROOT;
    if (values.check) Deno.exit(await check(root));
    await exportCells(root);
  } catch (error) {
    console.error(`export-cells: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
