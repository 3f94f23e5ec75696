/**
 * Tests of the hand-written helpers the feature modules build on (`pipeline/core/statistics.ts`,
 * `pipeline/folds/`), kept from the feature tests whose other assertions moved into the
 * `//| test` cells of `notebooks/02_features.ipynb`.
 */
import assert from "node:assert/strict";
import { pearson } from "../../pipeline/core/statistics.ts";
import { foldSplits } from "../../pipeline/folds/fold_split.ts";

Deno.test("pearson matches a hand-computed value and skips missing pairs", () => {
  const a = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.ok(Math.abs(pearson(a, a) - 1) < 1e-12);
  // Hand-computed: x = [1,2,3], y = [1,3,2]: cov = 1, var = 2 each -> r = 0.5.
  const r = pearson(new Float64Array([1, 2, 3, NaN]), new Float64Array([1, 3, 2, 9]));
  assert.ok(Math.abs(r - 0.5) < 1e-12);
});

Deno.test("fold splits test each fold once and train on the others", () => {
  const splits = foldSplits([1, 2, 3, 1, 2, 3, 4], [1, 2, 3]);
  assert.deepEqual(splits.map((s) => Array.from(s.test)), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(Array.from(splits[0].train), [1, 2, 4, 5]);
});
