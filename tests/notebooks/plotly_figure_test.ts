import assert from "node:assert/strict";
import { plotlyBundle } from "../../pipeline/notebook/plotly_figure.ts";
import { executeNotebook, FIXTURES } from "./notebook_tools.ts";

const FIGURE = {
  data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }],
  layout: { title: { text: "</script> stays text" } },
};

Deno.test("a figure's bundle holds Plotly JSON, an HTML fallback and a summary", () => {
  const bundle = plotlyBundle(FIGURE, { plotlyScript: "assets/plotly.min.js" });
  assert.deepEqual(bundle["application/vnd.plotly.v1+json"], { ...FIGURE, config: {} });
  assert.equal(bundle["text/plain"], "Plotly figure: 1 trace(s) (bar)");
  const html = String(bundle["text/html"]);
  assert.match(html, /loader\.src = "assets\/plotly\.min\.js";/);
  assert.equal(html.match(/<\/script>/g)?.length, 1, "the title must not close the script");
  assert.match(html, /\\u003c\/script> stays text/);
});

Deno.test("the HTML element id depends only on the figure", () => {
  const id = (figure: typeof FIGURE) =>
    String(plotlyBundle(figure)["text/html"]).match(/id="(plotly-[0-9a-f]{8})"/)?.[1];
  assert.equal(id(FIGURE), id(structuredClone(FIGURE)));
  assert.notEqual(id(FIGURE), id({ ...FIGURE, layout: { title: { text: "other" } } }));
});

Deno.test("the Deno kernel displays a figure with all three renderings", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const output = `${dir}/plotly.ipynb`;
    const result = await executeNotebook([`${FIXTURES}/plotly_figure.ipynb`, "--output", output]);
    assert.equal(result.code, 0, result.stderr);
    const cell = JSON.parse(await Deno.readTextFile(output)).cells[1];
    assert.equal(cell.outputs.length, 1);
    const data = cell.outputs[0].data;
    assert.deepEqual(Object.keys(data).sort(), [
      "application/vnd.plotly.v1+json",
      "text/html",
      "text/plain",
    ]);
    assert.deepEqual(data["application/vnd.plotly.v1+json"], { ...FIGURE, config: {} });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
