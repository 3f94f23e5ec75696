import assert from "node:assert/strict";
import { mae, mape, r2, regressionMetrics, rmse } from "../../pipeline/evaluation/metrics.ts";

const actual = [1, 2, 3];
const predicted = [1, 2, 5];

Deno.test("rmse, mae and r2 match hand-computed values", () => {
  // Errors 0, 0, 2: squared sum 4, absolute sum 2; the mean of [1, 2, 3] is 2, SST = 2.
  assert.ok(Math.abs(rmse(actual, predicted) - Math.sqrt(4 / 3)) < 1e-15);
  assert.ok(Math.abs(mae(actual, predicted) - 2 / 3) < 1e-15);
  assert.ok(Math.abs(r2(actual, predicted) - (1 - 4 / 2)) < 1e-15);
  assert.equal(r2(actual, actual), 1);
  assert.equal(rmse(actual, actual), 0);
});

Deno.test("r2 is zero for the mean prediction and NaN for a constant target", () => {
  assert.ok(Math.abs(r2([1, 2, 3, 6], [3, 3, 3, 3])) < 1e-15);
  assert.ok(Number.isNaN(r2([2, 2], [1, 3])));
});

Deno.test("mape skips non-positive targets and counts them", () => {
  // |2 − 1| / 2 = 0.5 and |4 − 5| / 4 = 0.25; the zero target is excluded.
  assert.deepEqual(mape([0, 2, 4], [1, 1, 5]), { value: 0.375, used: 2, excluded: 1 });
  const none = mape([0, 0], [1, 2]);
  assert.ok(Number.isNaN(none.value));
  assert.equal(none.excluded, 2);
});

Deno.test("metrics reject mismatched or empty inputs", () => {
  assert.throws(() => rmse([1, 2], [1]), /2 actual values but 1 predictions/);
  assert.throws(() => mae([], []), /zero/);
});

Deno.test("regressionMetrics bundles the individual metrics", () => {
  const all = regressionMetrics(actual, predicted);
  assert.equal(all.rmse, rmse(actual, predicted));
  assert.equal(all.mae, mae(actual, predicted));
  assert.equal(all.r2, r2(actual, predicted));
  assert.deepEqual(all.mape, mape(actual, predicted));
});
