import assert from "node:assert/strict";
import { groupErrors, quantileBands } from "../../pipeline/evaluation/group_errors.ts";
import { permutationImportance } from "../../pipeline/evaluation/permutation_importance.ts";
import { analyseResiduals } from "../../pipeline/evaluation/residual_analysis.ts";
import { evaluationReport } from "../../pipeline/report/evaluation_report.ts";
import { uniformMatrix } from "../support/linear_data.ts";

Deno.test("group errors match hand-computed RMSE and bias", () => {
  const actual = new Float64Array([1, 2, 3, 4]);
  const predicted = new Float64Array([1, 1, 3, 6]);
  const groups = groupErrors(actual, predicted, (i) => (i < 2 ? "a" : "b"));
  // a: residuals 0, 1 -> rmse sqrt(0.5), mean 0.5; b: residuals 0, -2 -> rmse sqrt(2), mean -1.
  assert.deepEqual(groups.map((g) => g.group), ["a", "b"]);
  assert.ok(Math.abs(groups[0].rmse - Math.sqrt(0.5)) < 1e-12);
  assert.equal(groups[1].meanResidual, -1);
});

Deno.test("quantile bands split values into equal-count bands", () => {
  const values = Float64Array.from({ length: 8 }, (_, i) => i / 10);
  const band = quantileBands(values, 4);
  assert.deepEqual(Array.from({ length: 8 }, (_, i) => band(i)), [
    "q1",
    "q1",
    "q2",
    "q2",
    "q3",
    "q3",
    "q4",
    "q4",
  ]);
});

Deno.test("permutation importance ranks the feature the model uses first", () => {
  const x = uniformMatrix(200, 3, 2);
  const predict = (m: typeof x) =>
    Float64Array.from({ length: m.rows }, (_, i) => 2 * m.data[i * 3 + 1]);
  const y = predict(x);
  const ranked = permutationImportance(predict, x, y, ["a", "b", "c"], 3, 1);
  assert.equal(ranked[0].feature, "b");
  assert.ok(ranked[0].importance > 0.3);
  assert.equal(ranked[1].importance, 0);
});

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
  const html = evaluationReport({ actual, predicted, analysis, importance: [] });
  assert.match(html, /<svg/);
  assert.match(html, /state 6 \(n=20\)/);
});
