import assert from "node:assert/strict";
import { FIXTURES, runPython } from "./notebook_tools.ts";

async function withOutputs(path: string): Promise<void> {
  const notebook = JSON.parse(await Deno.readTextFile(`${FIXTURES}/failing_cell.ipynb`));
  notebook.cells[0].outputs = [{ name: "stdout", output_type: "stream", text: ["saved\n"] }];
  notebook.cells[0].execution_count = 1;
  notebook.cells[2].metadata.execution = { "iopub.status.idle": "2026-01-01T00:00:00Z" };
  await Deno.writeTextFile(path, JSON.stringify(notebook, null, 1));
}

Deno.test("the strip check names a notebook saved with outputs and leaves it alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.copyFile(`${FIXTURES}/many_outputs.ipynb`, `${dir}/clean.ipynb`);
    await withOutputs(`${dir}/dirty.ipynb`);
    const before = await Deno.readTextFile(`${dir}/dirty.ipynb`);
    const result = await runPython("strip_outputs.py", ["--check", dir]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /dirty\.ipynb: outputs in cells 1; execution counts in cells 1; execution metadata in cells 3/,
    );
    assert.doesNotMatch(result.stderr, /clean\.ipynb/);
    assert.equal(await Deno.readTextFile(`${dir}/dirty.ipynb`), before);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stripping restores the committed file byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withOutputs(`${dir}/dirty.ipynb`);
    const strip = await runPython("strip_outputs.py", [`${dir}/dirty.ipynb`]);
    assert.equal(strip.code, 0, strip.stderr);
    assert.equal(
      await Deno.readTextFile(`${dir}/dirty.ipynb`),
      await Deno.readTextFile(`${FIXTURES}/failing_cell.ipynb`),
    );
    const check = await runPython("strip_outputs.py", ["--check", dir]);
    assert.equal(check.code, 0, check.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
