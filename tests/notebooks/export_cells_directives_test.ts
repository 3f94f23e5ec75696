import assert from "node:assert/strict";
import { collectNotebook } from "../../tools/export_cells/collect.ts";
import { parseCell } from "../../tools/export_cells/directives.ts";
import { exportedNames, rewriteImports, splitImports } from "../../tools/export_cells/imports.ts";
import { renderModule, renderTest } from "../../tools/export_cells/render.ts";
import { parseNotebook } from "../../tools/notebooks/notebook.ts";

function notebook(...sources: string[]) {
  const cells = sources.map((source) => ({ cell_type: "code", source, outputs: [] }));
  return parseNotebook(JSON.stringify({ cells, nbformat: 4 }), "notebooks/x.ipynb");
}

Deno.test("leading directive lines are parsed and removed from the cell", () => {
  assert.deepEqual(parseCell("//| export features/scale\nexport const k = 2;", "c"), {
    directives: [{ kind: "export", module: "features/scale" }],
    body: "export const k = 2;",
  });
  assert.deepEqual(parseCell("//| test doubles values\nassert.ok(true);", "c").directives, [
    { kind: "test", name: "doubles values" },
  ]);
  assert.deepEqual(parseCell("const a = 1;\n//| export", "c").directives, []);
});

Deno.test("malformed directives are rejected naming the cell", () => {
  assert.throws(
    () => parseCell("//| exprot", "x.ipynb cell 4"),
    /x\.ipynb cell 4: unknown directive `\/\/\| exprot`/,
  );
  assert.throws(
    () => parseCell("//| export Features/Scale.ts", "x.ipynb cell 4"),
    /module path "Features\/Scale\.ts" must be snake_case/,
  );
});

Deno.test("cells are grouped by target in notebook order", () => {
  const targets = collectNotebook(notebook(
    "//| default_exp features/scale",
    "//| export\nexport const a = 1;",
    "const scratch = 0;",
    "//| export features/other\nexport const b = 2;",
    "//| export\nexport const c = 3;",
    "//| test\nassert.equal(a, 1);",
  ));
  assert.deepEqual(
    targets.map((target) => [target.path, target.cells.map((cell) => cell.cell)]),
    [
      ["pipeline/features/scale.ts", [2, 5]],
      ["pipeline/features/other.ts", [4]],
      ["tests/generated/features/scale_test.ts", [6]],
    ],
  );
});

Deno.test("a test cell tests the module of the nearest exported cell above it", () => {
  const targets = collectNotebook(notebook(
    "//| test before any export\nassert.ok(true);",
    "//| default_exp features/scale",
    "//| export features/other\nexport const b = 2;",
    "//| test of other\nassert.equal(b, 2);",
    "//| export\nexport const a = 1;",
    "const scratch = 0;",
    "//| test of scale\nassert.equal(a, 1);",
  ));
  assert.deepEqual(
    targets.filter((target) => target.kind === "test").map((target) => [
      target.path,
      target.cells.map((cell) => cell.name),
    ]),
    [
      ["tests/generated/features/scale_test.ts", ["before any export", "of scale"]],
      ["tests/generated/features/other_test.ts", ["of other"]],
    ],
  );
  assert.throws(
    () => collectNotebook(notebook("//| test\nassert.ok(true);")),
    /cell 1: `\/\/\| test` needs a module/,
  );
});

Deno.test("exporting without a default module, or twice from one cell, is an error", () => {
  assert.throws(
    () => collectNotebook(notebook("//| export\nexport const a = 1;")),
    /cell 1: `\/\/\| export` needs a module/,
  );
  assert.throws(
    () =>
      collectNotebook(notebook("//| default_exp a", "//| export\n//| test\nexport const a = 1;")),
    /cell 2: a cell can carry only one/,
  );
  assert.throws(
    () => collectNotebook(notebook("//| default_exp a", "//| default_exp b")),
    /more than one/,
  );
});

Deno.test("relative imports are rewritten from the notebook folder to the output folder", () => {
  const code = [
    'import { round } from "../pipeline/core/units.ts";',
    'import type { Matrix } from "../pipeline/core/matrix.ts";',
    'import { z } from "zod";',
    'const lazy = await import("./helpers/lazy.ts");',
  ].join("\n");
  assert.equal(
    rewriteImports(code, "notebooks", "pipeline/features/scale.ts", "c"),
    [
      'import { round } from "../core/units.ts";',
      'import type { Matrix } from "../core/matrix.ts";',
      'import { z } from "zod";',
      'const lazy = await import("../../notebooks/helpers/lazy.ts");',
    ].join("\n"),
  );
  assert.throws(
    () =>
      rewriteImports(
        'import { a } from "../pipeline/x.ts";',
        "notebooks",
        "pipeline/x.ts",
        "nb cell 3",
      ),
    /nb cell 3 imports \.\.\/pipeline\/x\.ts, the file it is exported into/,
  );
});

Deno.test("import statements are split off and exported names found", () => {
  const { imports, rest } = splitImports(
    'import assert from "node:assert/strict";\nimport {\n  a,\n  b,\n} from "./x.ts";\nassert.ok(a);',
  );
  assert.deepEqual(imports, [
    'import assert from "node:assert/strict";',
    'import {\n  a,\n  b,\n} from "./x.ts";',
  ]);
  assert.equal(rest, "assert.ok(a);");
  assert.deepEqual(
    exportedNames(
      "export async function fit() {}\nexport interface Options {}\nexport const k = 1;\nexport { x as y, z };",
    ),
    [
      { name: "fit", typeOnly: false },
      { name: "Options", typeOnly: true },
      { name: "k", typeOnly: false },
      { name: "y", typeOnly: false },
      { name: "z", typeOnly: false },
    ],
  );
});

Deno.test("a module imports what it uses from the notebook's other modules", () => {
  const [other, scale] = collectNotebook(notebook(
    "//| export features/other\n/** Other. @module */\nexport interface Row {\n  a: number;\n}\n" +
      "export const b = 2;\nexport const unused = 0;",
    "//| export features/scale\n/** Scale. @module */\n" +
      'import { round } from "../pipeline/core/units.ts";',
    "//| export features/scale\n// unused, b.unused and { unused: 1 } are not uses\n" +
      "export const k = (row: Row) => round(row.a * b);",
  ));
  const text = renderModule(scale, [other, scale]);
  assert.match(
    text,
    /import \{ round \} from "\.\.\/core\/units\.ts";\nimport \{ type Row, b \} from "\.\/other\.ts";/,
  );
  assert.doesNotMatch(renderModule(other, [other, scale]), /import/);
});

Deno.test("test files import what the tests use from the modules and their imports", () => {
  const targets = collectNotebook(notebook(
    "//| export features/scale\n/** Scale. @module */\n" +
      'import { type Matrix, matrix } from "../pipeline/core/matrix.ts";\n' +
      "export const k = (m: Matrix) => m.rows;",
    '//| test wrapped\nimport assert from "node:assert/strict";\n\n{\n' +
      "  const m = matrix(1, 1);\n  assert.equal(k(m), 1);\n}",
  ));
  const test = renderTest(targets[1], [targets[0]]);
  assert.match(test, /import \{ k \} from "\.\.\/\.\.\/\.\.\/pipeline\/features\/scale\.ts";/);
  assert.match(test, /import \{ matrix \} from "\.\.\/\.\.\/\.\.\/pipeline\/core\/matrix\.ts";/);
  assert.doesNotMatch(test, /Matrix/);
  assert.match(test, /Deno\.test\("wrapped", \(\) => \{\n\s*const m = matrix\(1, 1\);/);
});

Deno.test("doc comment examples keep their specifiers, written from the module", () => {
  const code = '/**\n * ```ts\n * import { k } from "./scale.ts";\n * ```\n */\n' +
    'import { round } from "../pipeline/core/units.ts";';
  assert.equal(
    rewriteImports(code, "notebooks", "pipeline/features/scale.ts", "c"),
    code.replace("../pipeline/core/units.ts", "../core/units.ts"),
  );
});
