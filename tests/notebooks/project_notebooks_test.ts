import assert from "node:assert/strict";
import { findNotebooks } from "../../tools/notebooks/notebook.ts";
import { executeNotebook, ROOT } from "./notebook_tools.ts";

const PLOTLY = "application/vnd.plotly.v1+json";
/** Sections that need an external service print this instead of drawing their chart. */
const SKIPPED = /Skipped: /;

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
}

function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

/** Everything the cell printed or returned as text, where a skip notice would be. */
function printed(cell: Cell): string {
  return (cell.outputs ?? []).map((output) =>
    output.output_type === "stream" ? text(output.text) : text(
      output.data?.["text/plain"] as string | string[] | undefined,
    )
  ).join("");
}

const notebooks = await findNotebooks(ROOT, "notebooks");

Deno.test("the project has notebooks to run", () => {
  assert.ok(notebooks.length > 0, "no notebook under notebooks/");
});

for (const notebook of notebooks) {
  Deno.test(`${notebook} runs headless and draws every chart`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const output = `${dir}/executed.ipynb`;
      const result = await executeNotebook([`${ROOT}${notebook}`, "--output", output]);
      assert.equal(result.code, 0, `${notebook} failed:\n${result.stderr}`);
      const cells: Cell[] = JSON.parse(await Deno.readTextFile(output)).cells;
      const code = cells.map((cell, i) => ({ cell, number: i + 1 }))
        .filter(({ cell }) => cell.cell_type === "code");
      assert.ok(code.length > 0, `${notebook} has no code cell`);
      for (const { cell, number } of code) {
        const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error");
        assert.deepEqual(
          errors.map((e) => `${e.ename}: ${e.evalue}`),
          [],
          `${notebook} cell ${number} raised`,
        );
        if (!text(cell.source).includes("plotlyFigure(")) continue;
        const charted = (cell.outputs ?? []).some((o) => o.data?.[PLOTLY] !== undefined);
        assert.ok(
          charted || SKIPPED.test(printed(cell)),
          `${notebook} cell ${number} calls plotlyFigure but shows no ${PLOTLY} output`,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
