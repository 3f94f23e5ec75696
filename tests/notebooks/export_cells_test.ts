import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES, runDeno, type ToolResult } from "./notebook_tools.ts";

const NOTEBOOK = "notebooks/features.ipynb";
const MODULE = "pipeline/features/interactions.ts";

const EXPECTED_MODULE = `\
// Generated from notebooks/features.ipynb by \`deno task export-cells\`: do not edit; edit the notebook and export again.

/**
 * Pairwise products of feature columns.
 *
 * @module
 */
import { round } from "../core/units.ts";

/** Multiplies every pair of columns \`i < j\` of each row. */
export function interactions(rows: readonly number[][]): number[][] {
  return rows.map((row) =>
    row.flatMap((a, i) => row.slice(i + 1).map((b) => round(a * b)))
  );
}
`;

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

function exportCells(root: string, ...args: string[]): Promise<ToolResult> {
  return runDeno("tools/export_cells/export_cells.ts", ["--root", root, ...args]);
}

async function withProject(test: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await copyTree(`${FIXTURES}/export_cells_project`, root);
    await test(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("export-cells writes the exported cells in order, directives removed, imports rewritten", () =>
  withProject(async (root) => {
    const result = await exportCells(root);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await Deno.readTextFile(join(root, MODULE)), EXPECTED_MODULE);
    const names = await Deno.readTextFile(join(root, "pipeline/features/names.ts"));
    assert.match(names, /^\/\/ Generated from notebooks\/features\.ipynb /);
    assert.match(names, /export function interactionNames/);
    assert.doesNotMatch(names, /\/\/\|/);
  }));

Deno.test("exported test cells become Deno tests that pass outside the notebook", () =>
  withProject(async (root) => {
    assert.equal((await exportCells(root)).code, 0);
    const tests = await Deno.readTextFile(
      join(root, "tests/generated/features/interactions_test.ts"),
    );
    assert.match(tests, /Deno\.test\("interactions multiplies each pair of columns once", \(\) =>/);
    assert.match(
      tests,
      /import \{ interactions \} from "\.\.\/\.\.\/\.\.\/pipeline\/features\/interactions\.ts";/,
    );
    assert.equal(tests.match(/import assert from "node:assert\/strict";/g)?.length, 1);
    // The test cell below the `features/names` cell tests that module.
    const names = await Deno.readTextFile(join(root, "tests/generated/features/names_test.ts"));
    assert.match(names, /Deno\.test\("notebooks\/features\.ipynb cell 9", async \(\) =>/);
    assert.match(
      names,
      /import \{\s+type Column,\s+interactionNames,\s+\} from "\.\.\/\.\.\/\.\.\/pipeline\/features\/names\.ts";/,
    );
    assert.doesNotMatch(tests, /cell 9/);
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--no-config", "tests/generated/"],
      cwd: root,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const output = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    assert.ok(run.success, output);
    assert.match(output, /2 passed \| 0 failed/);
  }));

Deno.test("export-cells --check passes after exporting and names a hand-edited module", () =>
  withProject(async (root) => {
    assert.equal((await exportCells(root)).code, 0);
    const clean = await exportCells(root, "--check");
    assert.equal(clean.code, 0, clean.stderr);

    await Deno.writeTextFile(join(root, MODULE), "export const patched = true;\n", {
      append: true,
    });
    const edited = await exportCells(root, "--check");
    assert.equal(edited.code, 1);
    assert.match(edited.stderr, /pipeline\/features\/interactions\.ts: differs from its notebook/);
    assert.doesNotMatch(edited.stderr, /names\.ts|_test\.ts/);
    assert.equal(
      await Deno.readTextFile(join(root, MODULE)),
      EXPECTED_MODULE + "export const patched = true;\n",
    );
  }));

Deno.test("export-cells --check names missing and stale files, and exporting removes stale ones", () =>
  withProject(async (root) => {
    assert.equal((await exportCells(root)).code, 0);
    const notebookPath = join(root, NOTEBOOK);
    const notebook = await Deno.readTextFile(notebookPath);
    await Deno.writeTextFile(
      notebookPath,
      notebook.replace("//| export features/names", "//| export features/labels"),
    );
    const check = await exportCells(root, "--check");
    assert.equal(check.code, 1);
    assert.match(check.stderr, /pipeline\/features\/labels\.ts: missing/);
    assert.match(check.stderr, /pipeline\/features\/names\.ts: stale/);
    assert.doesNotMatch(check.stderr, /units\.ts/);

    assert.equal((await exportCells(root)).code, 0);
    await assert.rejects(Deno.stat(join(root, "pipeline/features/names.ts")), Deno.errors.NotFound);
    assert.ok((await Deno.stat(join(root, "pipeline/core/units.ts"))).isFile);
    assert.equal((await exportCells(root, "--check")).code, 0);
  }));

Deno.test("export-cells reports a directive error with the notebook cell and exits 2", () =>
  withProject(async (root) => {
    const notebookPath = join(root, NOTEBOOK);
    const notebook = await Deno.readTextFile(notebookPath);
    await Deno.writeTextFile(
      notebookPath,
      notebook.replace("//| default_exp features/interactions", "//| default_exp"),
    );
    const result = await exportCells(root);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /notebooks\/features\.ipynb cell 2: `\/\/\| default_exp` needs a module path/,
    );
  }));

Deno.test("export-cells --check names a hand-written file in a generated folder", () =>
  withProject(async (root) => {
    assert.equal((await exportCells(root)).code, 0);
    await Deno.mkdir(join(root, "pipeline/evaluation"), { recursive: true });
    await Deno.writeTextFile(join(root, "pipeline/evaluation/bias.ts"), "export const b = 1;\n");
    await Deno.writeTextFile(join(root, "tests/generated/features/extra_test.ts"), "// notes\n");
    const check = await exportCells(root, "--check");
    assert.equal(check.code, 1);
    assert.match(
      check.stderr,
      /pipeline\/evaluation\/bias\.ts: in a generated folder .* not generated/,
    );
    assert.match(check.stderr, /tests\/generated\/features\/extra_test\.ts: in a generated folder/);
    assert.doesNotMatch(check.stderr, /interactions|names\.ts|units\.ts/);

    // Exporting cannot fix it and says so, but keeps the hand-written file.
    const exported = await exportCells(root);
    assert.equal(exported.code, 1);
    assert.match(exported.stderr, /bias\.ts: in a generated folder/);
    assert.equal(
      await Deno.readTextFile(join(root, "pipeline/evaluation/bias.ts")),
      "export const b = 1;\n",
    );
  }));

Deno.test("export-cells --check names a hand-written file that carries the generated header", () =>
  withProject(async (root) => {
    assert.equal((await exportCells(root)).code, 0);
    const forged = EXPECTED_MODULE.split("\n")[0] + "\nexport const forged = true;\n";
    for (
      const path of ["pipeline/core/forged.ts", "tests/unit/forged_test.ts", "serve/forged.ts"]
    ) {
      await Deno.mkdir(join(root, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(root, path), forged);
    }
    const check = await exportCells(root, "--check");
    assert.equal(check.code, 1);
    for (
      const path of ["pipeline/core/forged.ts", "tests/unit/forged_test.ts", "serve/forged.ts"]
    ) {
      assert.match(
        check.stderr,
        new RegExp(
          `${path.replace(/[./]/g, "\\$&")}: carries the generated header but no notebook`,
        ),
      );
    }
    const exported = await exportCells(root);
    assert.equal(exported.code, 1);
    assert.equal(await Deno.readTextFile(join(root, "serve/forged.ts")), forged);
  }));

Deno.test("export-cells refuses a notebook that exports outside the generated folders", () =>
  withProject(async (root) => {
    const notebookPath = join(root, NOTEBOOK);
    const notebook = await Deno.readTextFile(notebookPath);
    await Deno.writeTextFile(
      notebookPath,
      notebook.replace("//| export features/names", "//| export core/names"),
    );
    const result = await exportCells(root, "--check");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /exports pipeline\/core\/names\.ts, outside the generated folders/);
  }));
