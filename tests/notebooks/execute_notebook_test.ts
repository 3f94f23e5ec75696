import assert from "node:assert/strict";
import { executeNotebook, FIXTURES } from "./notebook_tools.ts";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}

interface ExecutedCell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: Output[];
}

const RUNS = 5;
const CODE_CELLS = 30;

function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

async function readCells(path: string): Promise<ExecutedCell[]> {
  return JSON.parse(await Deno.readTextFile(path)).cells;
}

/** Every output of cell `i`, grouped so that stream interleaving does not matter. */
function summarize(outputs: readonly Output[]) {
  const of = (type: string) => outputs.filter((output) => output.output_type === type);
  const stream = (name: string) =>
    of("stream").filter((output) => output.name === name).map((output) => text(output.text)).join(
      "",
    );
  return {
    stdout: stream("stdout"),
    stderr: stream("stderr"),
    displays: of("display_data").map((output) => text(output.data?.["text/plain"])),
    results: of("execute_result").map((output) => text(output.data?.["text/plain"])),
    errors: of("error").length,
  };
}

function expected(i: number) {
  const lines = [1, 2, 3, 4].map((line) => `cell ${i} stdout ${line}\n`).join("");
  return {
    stdout: `${lines}cell ${i} stdout after display\n`,
    stderr: `cell ${i} stderr\n`,
    displays: [`cell ${i} display`],
    results: [`"cell ${i} result"`],
    errors: 0,
  };
}

Deno.test("every cell keeps exactly its own outputs over repeated runs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Concurrent runs load the machine, which is when late outputs used to go astray.
    const runs = await Promise.all(
      Array.from({ length: RUNS }, async (_, run) => {
        const output = `${dir}/run_${run}.ipynb`;
        const result = await executeNotebook([
          `${FIXTURES}/many_outputs.ipynb`,
          "--output",
          output,
        ]);
        assert.equal(result.code, 0, `run ${run} failed:\n${result.stderr}`);
        return await readCells(output);
      }),
    );
    for (const [run, cells] of runs.entries()) {
      const code = cells.filter((cell) => cell.cell_type === "code");
      assert.equal(code.length, CODE_CELLS);
      code.forEach((cell, i) => {
        assert.deepEqual(
          summarize(cell.outputs ?? []),
          expected(i + 1),
          `run ${run}, code cell ${i + 1}`,
        );
        assert.equal(cell.execution_count, i + 1);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing cell stops the run and is named without a Python traceback", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const output = `${dir}/failed.ipynb`;
    const result = await executeNotebook([`${FIXTURES}/failing_cell.ipynb`, "--output", output]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /failing_cell\.ipynb: cell 3 failed: RangeError: threshold must be positive, got -1/,
    );
    assert.doesNotMatch(result.stderr, /Traceback/);
    assert.ok(!result.stderr.includes("\x1b["), "ANSI escape codes in the error message");
    const cells = await readCells(output);
    assert.equal(text(cells[0].outputs?.[0]?.text), "before the failure\n");
    assert.equal(cells[2].outputs?.[0]?.output_type, "error");
    assert.deepEqual(cells[3].outputs, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the export fixture notebook runs in the kernel from its own folder", async () => {
  const result = await executeNotebook([
    `${FIXTURES}/export_cells_project/notebooks/features.ipynb`,
  ]);
  assert.equal(result.code, 0, result.stderr);
});

async function writeNotebook(dir: string, ...sources: string[]): Promise<string> {
  const cells = sources.map((source) => ({
    cell_type: "code",
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  }));
  const path = `${dir}/scratch.ipynb`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }),
  );
  return path;
}

Deno.test("a cell that outlives the timeout fails naming the cell", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const notebook = await writeNotebook(
      dir,
      "1 + 1",
      "await new Promise((resolve) => setTimeout(resolve, 60_000));",
    );
    const result = await executeNotebook([notebook, "--timeout", "2"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cell 2 did not finish within 2 s/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a kernel that exits mid-cell is reported instead of waited for", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const notebook = await writeNotebook(dir, "1 + 1", "Deno.exit(3);", '"unreachable"');
    const result = await executeNotebook([notebook, "--timeout", "60"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the kernel died while running cell 2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
