import assert from "node:assert/strict";
import { pearson } from "../../pipeline/core/statistics.ts";
import { robustOutliers } from "../../pipeline/features/outliers.ts";
import { selectFeatures } from "../../pipeline/features/select_features.ts";

const a = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]);
const nearCopy = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.51]);
const other = new Float64Array([0.5, 0.1, 0.4, 0.2, 0.3]);
const columns = new Map([["medIncome", a], ["medFamInc", nearCopy], ["PctUnemployed", other]]);
const candidates = ["medIncome", "medFamInc", "PctUnemployed"];

Deno.test("pearson matches a hand-computed value and skips missing pairs", () => {
  assert.ok(Math.abs(pearson(a, a) - 1) < 1e-12);
  // Hand-computed: x = [1,2,3], y = [1,3,2]: cov = 1, var = 2 each -> r = 0.5.
  const r = pearson(new Float64Array([1, 2, 3, NaN]), new Float64Array([1, 3, 2, 9]));
  assert.ok(Math.abs(r - 0.5) < 1e-12);
});

Deno.test("near-duplicates are dropped with the partner and r in the reason", () => {
  const params = {
    groups: ["income", "education_employment"],
    correlation_threshold: 0.98,
    interactions: [],
  };
  const selection = selectFeatures(candidates, columns, params);
  assert.deepEqual(selection.features, ["medIncome", "PctUnemployed"]);
  const dropped = selection.decisions.find((d) => d.name === "medFamInc")!;
  assert.equal(dropped.kept, false);
  assert.match(dropped.reason, /with medIncome > 0.98/);
});

Deno.test("unselected groups are dropped and unknown groups are refused", () => {
  const params = { groups: ["income"], correlation_threshold: 1, interactions: [] };
  const selection = selectFeatures(candidates, columns, params);
  assert.deepEqual(selection.features, ["medIncome", "medFamInc"]);
  assert.match(
    selection.decisions.find((d) => d.name === "PctUnemployed")!.reason,
    /group is not selected/,
  );
  assert.throws(
    () => selectFeatures(candidates, columns, { ...params, groups: ["incme"] }),
    /unknown group\(s\) incme/,
  );
});

Deno.test("an interaction must name selected features", () => {
  const params = {
    groups: ["income"],
    correlation_threshold: 0.98,
    interactions: [["medIncome", "medFamInc"] as [string, string]],
  };
  assert.throws(() => selectFeatures(candidates, columns, params), /"medFamInc" is not a selected/);
});

Deno.test("robust outliers flag values far from the median", () => {
  const values = new Float64Array([0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 1.0]);
  const summary = robustOutliers("x", values, 6);
  assert.equal(summary.count, 1);
  assert.ok(summary.maxRobustZ > 6);
  assert.equal(robustOutliers("flat", new Float64Array([0, 0, 0, 1]), 6).count, 0);
});
