import assert from "node:assert/strict";
import {
  mae,
  mape,
  meanStd,
  median,
  pearson,
  r2,
  regressionMetrics,
  rmse,
} from "../../pipeline/core/statistics.ts";

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

Deno.test("pearson matches a hand-computed case and skips missing pairs", () => {
  const handX = new Float64Array([1, 2, 3, 4]);
  const handY = new Float64Array([2, 4, 5, 4]);
  const expectedR = 3.5 / Math.sqrt(5 * 4.75);
  assert.ok(Math.abs(pearson(handX, handY) - expectedR) < 1e-12);
  assert.ok(Math.abs(pearson(handY, handX) - expectedR) < 1e-12);
  const withGapX = new Float64Array([1, 2, 3, 4, NaN]);
  const withGapY = new Float64Array([2, 4, 5, 4, 9]);
  assert.ok(Math.abs(pearson(withGapX, withGapY) - expectedR) < 1e-12);
  assert.ok(Number.isNaN(pearson(handX, new Float64Array([1, 1, 1, 1]))));
});

Deno.test("meanStd gives the sample (n - 1) standard deviation", () => {
  assert.deepEqual(meanStd([1, 2, 3]), { mean: 2, std: 1 });
  assert.deepEqual(meanStd([2, 4]), { mean: 3, std: Math.SQRT2 });
});

Deno.test("meanStd of a single value has no spread", () => {
  assert.deepEqual(meanStd([0.5]), { mean: 0.5, std: 0 });
});

Deno.test("median skips missing values and averages the middle pair", () => {
  assert.equal(median([3, NaN, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([NaN])));
});

Deno.test("pearson of a column with itself is 1, and of a permuted case 0.5", () => {
  const a = new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.ok(Math.abs(pearson(a, a) - 1) < 1e-12);
  // Hand-computed: x = [1,2,3], y = [1,3,2]: cov = 1, var = 2 each -> r = 0.5.
  const r = pearson(new Float64Array([1, 2, 3, NaN]), new Float64Array([1, 3, 2, 9]));
  assert.ok(Math.abs(r - 0.5) < 1e-12);
});
