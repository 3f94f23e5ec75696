// Generated from notebooks/04_evaluation.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { uniformMatrix } from "../../support/linear_data.ts";
import { permutationImportance } from "../../../pipeline/evaluation/permutation_importance.ts";

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
