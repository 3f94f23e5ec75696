/**
 * The evaluation report as a reader sees it: its header and figures in the page, and the
 * page drawn by headless Chromium with plotly.js beside it (as the `evaluate` stage
 * ships it), without a network request; likewise a figure page as logged to MLflow,
 * plotly.js inlined. The Chromium tests are skipped, with the reason, without Chromium.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { ResidualAnalysis } from "../../pipeline/evaluation/residual_analysis.ts";
import { PATHS } from "../../pipeline/paths.ts";
import {
  evaluationFigures,
  evaluationReport,
  type ReportInputs,
} from "../../pipeline/report/evaluation_report.ts";
import { standalonePlotlyPage } from "../../pipeline/report/plotly_html.ts";
import { chromiumMissing, renderPage } from "../support/headless_chromium.ts";

const group = (name: string, count: number, rmse: number, meanResidual = 0) => ({
  group: name,
  count,
  rmse,
  meanResidual,
  meanActual: 0.2,
});
const analysis: ResidualAnalysis = {
  byState: [group("6", 20, 0.1, 0.02), group("36", 9, 0.4), group("28", 12, 0.3, -0.18)],
  byRacialBand: [
    { ...group("q1", 10, 0.05, -0.01), feature: "racepctblack" },
    { ...group("q4", 10, 0.25, 0.03), feature: "racepctblack" },
  ],
  byFeatureGroup: [{ group: "income", feature: "medIncome", correlation: -0.12 }],
};
const n = 200;
const actual = Float64Array.from({ length: n }, (_, i) => (i % 20) / 20);
const inputs: ReportInputs = {
  summary: {
    model: "ensemble (ensemble), target ViolentCrimesPerPop",
    version: "commit 0123456789ab, MLflow training run 5ea7b640",
    trainedAt: "2026-12-01T16:21:43.225Z",
    evaluatedAt: "2026-12-01T16:30:00.000Z",
    metrics: [{ label: "CV RMSE", value: 0.13194 }, { label: "held-out R²", value: 0.6172 }],
  },
  actual,
  predicted: actual.map((v, i) => v + ((i % 7) - 3) / 50),
  analysis,
  importance: [
    { feature: "PctKids2Par", importance: 0.02, std: 0.001 },
    { feature: "racePctWhite", importance: 0.01, std: 0.002 },
  ],
  repeats: 5,
  minGroupRows: 10,
};

Deno.test("the report's header names the model, version, dates and metrics", () => {
  const html = evaluationReport(inputs);
  for (
    const text of [
      "ensemble (ensemble), target ViolentCrimesPerPop",
      "commit 0123456789ab, MLflow training run 5ea7b640",
      "2026-12-01T16:21:43.225Z",
      "2026-12-01T16:30:00.000Z",
      "<span>CV RMSE</span><b>0.1319</b>",
      "<span>held-out R²</span><b>0.6172</b>",
    ]
  ) assert.ok(html.includes(text), text);
});

Deno.test("the report loads plotly.js from beside it, names states and leaves small ones out", () => {
  const html = evaluationReport(inputs);
  assert.match(html, /loader\.src = "plotly\.min\.js";/);
  assert.doesNotMatch(html, /src="https?:/, "nothing from a CDN");
  assert.match(html, /"Mississippi"/);
  assert.match(html, /"California"/);
  assert.doesNotMatch(html, /"New York"/, "9 rows: below min_group_rows");
  const names = evaluationFigures(inputs).map((f) => f.name);
  assert.equal(html.match(/<section id=/g)?.length, names.length);
  for (const name of ["predicted_vs_actual", "residual_histogram", "bias_by_state", "importance"]) {
    assert.ok(names.includes(name), name);
  }
});

async function withPage<T>(files: Record<string, string>, check: (url: string) => Promise<T>) {
  const dir = await Deno.makeTempDir({ prefix: "evaluation_report_" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, name), text);
    }
    return await check(`file://${dir}/${Object.keys(files)[0]}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const skipped = chromiumMissing ? ` (skipped: ${chromiumMissing})` : "";

Deno.test({
  name: `Chromium draws every figure of the report from plotly.js beside it${skipped}`,
  ignore: chromiumMissing !== undefined,
  async fn() {
    const plotly = await Deno.readTextFile(PATHS.plotlyLibrary);
    const { dom, networkRequests } = await withPage(
      { "evaluation.html": evaluationReport(inputs), "plotly.min.js": plotly },
      (url) => renderPage(url),
    );
    assert.deepEqual(networkRequests, [], "the page made no network request");
    const figures = evaluationFigures(inputs).length;
    // plotly.js draws each figure into a container holding its `.main-svg` layers.
    assert.equal(dom.match(/class="plot-container plotly"/g)?.length, figures, "every figure");
    assert.ok((dom.match(/class="main-svg"/g)?.length ?? 0) >= figures);
    assert.match(dom, /class="xtick"/, "axes have ticks");
    assert.doesNotMatch(dom, /; loading plotly\.min\.js/, "no figure left undrawn");
  },
});

Deno.test({
  name: `Chromium draws a figure page as logged to MLflow, plotly.js inlined${skipped}`,
  ignore: chromiumMissing !== undefined,
  async fn() {
    const plotly = await Deno.readTextFile(PATHS.plotlyLibrary);
    const [figure] = evaluationFigures(inputs);
    // Alone in its folder: nothing beside the page to load.
    const { dom, networkRequests } = await withPage(
      { "figure.html": standalonePlotlyPage(figure.title, figure.figure, plotly) },
      (url) => renderPage(url),
    );
    assert.deepEqual(networkRequests, []);
    assert.equal(dom.match(/class="plot-container plotly"/g)?.length, 1);
    assert.match(dom, /class="main-svg"/);
  },
});
