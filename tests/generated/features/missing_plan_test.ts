// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { planMissing } from "../../../pipeline/features/missing_plan.ts";

Deno.test("missing plan: drop removes mostly-missing columns, indicators flags them", () => {
  const columns = new Map([
    ["full", new Float64Array([0.1, 0.2, 0.3, 0.4])],
    ["sparse", new Float64Array([NaN, NaN, NaN, 0.4])],
  ]);
  const base = { mostly_missing_threshold: 0.5, outlier_z: 6 };
  const drop = planMissing(columns, { ...base, missing_strategy: "drop" });
  assert.deepEqual(drop.kept, ["full"]);
  assert.deepEqual(drop.dropped, [{ name: "sparse", missingRate: 0.75 }]);
  const flag = planMissing(columns, { ...base, missing_strategy: "indicators" });
  assert.deepEqual(flag.kept, ["full", "sparse"]);
  assert.deepEqual(flag.indicators, ["sparse"]);
  assert.deepEqual(planMissing(columns, { ...base, missing_strategy: "impute" }).indicators, []);
});
