// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { selectFeatures } from "../../../pipeline/features/select_features.ts";

Deno.test("selectFeatures drops near-duplicates and unselected groups, refuses unknown groups and interactions of dropped features", () => {
  const a = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]);
  const nearCopy = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.51]);
  const other = new Float64Array([0.5, 0.1, 0.4, 0.2, 0.3]);
  const columns = new Map([["medIncome", a], ["medFamInc", nearCopy], ["PctUnemployed", other]]);
  const candidates = ["medIncome", "medFamInc", "PctUnemployed"];
  const params = {
    groups: ["income", "education_employment"],
    correlation_threshold: 0.98,
    interactions: [] as [string, string][],
  };

  // Near-duplicates: the later of the pair goes, with the partner and r in the reason.
  const selection = selectFeatures(candidates, columns, params);
  assert.deepEqual(selection.features, ["medIncome", "PctUnemployed"]);
  const dropped = selection.decisions.find((d) => d.name === "medFamInc")!;
  assert.equal(dropped.kept, false);
  assert.match(dropped.reason, /with medIncome > 0.98/);

  // Unselected groups are dropped; a threshold of 1 keeps the near-copy.
  const incomeOnly = { ...params, groups: ["income"], correlation_threshold: 1 };
  const byGroup = selectFeatures(candidates, columns, incomeOnly);
  assert.deepEqual(byGroup.features, ["medIncome", "medFamInc"]);
  assert.match(
    byGroup.decisions.find((d) => d.name === "PctUnemployed")!.reason,
    /group is not selected/,
  );

  // Config errors name the key: an unknown group, an interaction of a dropped feature.
  assert.throws(
    () => selectFeatures(candidates, columns, { ...incomeOnly, groups: ["incme"] }),
    /features\.groups: unknown group\(s\) incme/,
  );
  const interaction = { ...params, interactions: [["medIncome", "medFamInc"] as [string, string]] };
  assert.throws(
    () => selectFeatures(candidates, columns, interaction),
    /features\.interactions: medIncome x medFamInc: "medFamInc" is not a selected/,
  );
});
