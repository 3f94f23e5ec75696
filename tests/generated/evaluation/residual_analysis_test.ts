// Generated from notebooks/04_evaluation.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { analyseResiduals } from "../../../pipeline/evaluation/residual_analysis.ts";

Deno.test("residual analysis reports states, racial bands and feature groups", () => {
  const n = 40;
  const actual = Float64Array.from({ length: n }, (_, i) => i / n);
  const predicted = actual.map((v, i) => v + (i % 2 === 0 ? 0.1 : -0.1));
  const states = Float64Array.from({ length: n }, (_, i) => (i < 20 ? 6 : 36));
  const columns = new Map([
    ["racepctblack", Float64Array.from({ length: n }, (_, i) => i / n)],
    ["medIncome", Float64Array.from({ length: n }, (_, i) => (i % 2) / 2)],
  ]);
  const analysis = analyseResiduals(actual, predicted, states, columns);
  assert.deepEqual(analysis.byState.map((g) => g.group), ["6", "36"]);
  assert.equal(analysis.byRacialBand.length, 4);
  const income = analysis.byFeatureGroup.find((g) => g.group === "income")!;
  assert.ok(Math.abs(Math.abs(income.correlation) - 1) < 1e-9);
});
