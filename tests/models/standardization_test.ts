import assert from "node:assert/strict";
import { column, fromRows } from "../../pipeline/core/matrix.ts";
import {
  fitStandardization,
  standardize,
} from "../../pipeline/models/neural_network/standardization.ts";

Deno.test("standardisation centres and scales with training statistics", () => {
  const train = fromRows([[1, 5], [3, 5], [5, 5]]);
  const s = fitStandardization(train);
  assert.deepEqual(s.mean, [3, 5]);
  assert.equal(s.scale[1], 1, "a constant column keeps scale 1");
  const scaled = standardize(train, s);
  const first = column(scaled, 0);
  assert.ok(Math.abs(first.reduce((a, v) => a + v * v, 0) / 3 - 1) < 1e-12);
  assert.deepEqual(Array.from(column(scaled, 1)), [0, 0, 0]);
  assert.deepEqual(Array.from(standardize(fromRows([[3, 7]]), s).data), [0, 2]);
  assert.throws(() => standardize(fromRows([[1]]), s), /2 columns/);
});
