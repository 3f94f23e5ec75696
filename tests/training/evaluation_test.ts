import assert from "node:assert/strict";
import { analyseResiduals } from "../../pipeline/evaluation/residual_analysis.ts";
import { evaluationReport } from "../../pipeline/report/evaluation_report.ts";

// The assertions on the analysis itself are test cells of notebooks/04_evaluation.ipynb.
Deno.test("the evaluation report draws the residual analysis", () => {
  const n = 40;
  const actual = Float64Array.from({ length: n }, (_, i) => i / n);
  const predicted = actual.map((v, i) => v + (i % 2 === 0 ? 0.1 : -0.1));
  const states = Float64Array.from({ length: n }, (_, i) => (i < 20 ? 6 : 36));
  const columns = new Map([
    ["racepctblack", Float64Array.from({ length: n }, (_, i) => i / n)],
    ["medIncome", Float64Array.from({ length: n }, (_, i) => (i % 2) / 2)],
  ]);
  const analysis = analyseResiduals(actual, predicted, states, columns);
  const html = evaluationReport({ actual, predicted, analysis, importance: [] });
  assert.match(html, /<svg/);
  assert.match(html, /state 6 \(n=20\)/);
});
