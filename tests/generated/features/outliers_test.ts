// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { robustOutliers } from "../../../pipeline/features/outliers.ts";

Deno.test("robust outliers flag values far from the median", () => {
  const values = new Float64Array([0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 1.0]);
  const summary = robustOutliers("x", values, 6);
  assert.equal(summary.count, 1);
  assert.ok(summary.maxRobustZ > 6);
  assert.equal(robustOutliers("flat", new Float64Array([0, 0, 0, 1]), 6).count, 0);
});
