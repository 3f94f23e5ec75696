import assert from "node:assert/strict";
import { FIXTURES, runDeno } from "./notebook_tools.ts";

Deno.test("type errors are reported at their notebook cell and line", async () => {
  const result = await runDeno("tools/notebooks/check_notebooks.ts", [
    `${FIXTURES}/type_error.ipynb`,
  ]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Type 'number' is not assignable to type 'string'/);
  assert.match(result.stderr, /at tests\/fixtures\/notebooks\/type_error\.ipynb cell 4 line 2:7/);
  assert.doesNotMatch(result.stderr, /nbcheck/);
});

Deno.test("well-typed notebooks pass, repeated imports and top-level await included", async () => {
  const result = await runDeno("tools/notebooks/check_notebooks.ts", [
    `${FIXTURES}/many_outputs.ipynb`,
    `${FIXTURES}/export_cells_project/notebooks/features.ipynb`,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /2 notebook\(s\) type-check/);
  const leftovers = [...Deno.readDirSync(FIXTURES)].filter((entry) =>
    entry.name.endsWith(".nbcheck.ts")
  );
  assert.deepEqual(leftovers, []);
});
