// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { selectFeatures } from "../../../pipeline/features/select_features.ts";

Deno.test("near-duplicates are dropped with the partner and r in the reason", () => {
  const a = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]);
  const nearCopy = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.51]);
  const other = new Float64Array([0.5, 0.1, 0.4, 0.2, 0.3]);
  const columns = new Map([["medIncome", a], ["medFamInc", nearCopy], ["PctUnemployed", other]]);
  const candidates = ["medIncome", "medFamInc", "PctUnemployed"];
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
  const a = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]);
  const nearCopy = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.51]);
  const other = new Float64Array([0.5, 0.1, 0.4, 0.2, 0.3]);
  const columns = new Map([["medIncome", a], ["medFamInc", nearCopy], ["PctUnemployed", other]]);
  const candidates = ["medIncome", "medFamInc", "PctUnemployed"];
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
  const a = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]);
  const nearCopy = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.51]);
  const other = new Float64Array([0.5, 0.1, 0.4, 0.2, 0.3]);
  const columns = new Map([["medIncome", a], ["medFamInc", nearCopy], ["PctUnemployed", other]]);
  const candidates = ["medIncome", "medFamInc", "PctUnemployed"];
  const params = {
    groups: ["income"],
    correlation_threshold: 0.98,
    interactions: [["medIncome", "medFamInc"] as [string, string]],
  };
  assert.throws(() => selectFeatures(candidates, columns, params), /"medFamInc" is not a selected/);
});
