// Generated from notebooks/04_evaluation.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { groupErrors, quantileBands } from "../../../pipeline/evaluation/group_errors.ts";

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
