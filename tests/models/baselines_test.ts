import assert from "node:assert/strict";
import { matrix } from "../../pipeline/core/matrix.ts";
import { meanEstimator } from "../../pipeline/models/mean/mean_baseline.ts";
import { loadMeanBaseline } from "../../pipeline/models/mean/mean_model.ts";
import { medianEstimator } from "../../pipeline/models/median/median_baseline.ts";
import { loadMedianBaseline } from "../../pipeline/models/median/median_model.ts";

const y = new Float64Array([0.1, 0.9, 0.2, 0.4, 0.0, 0.3]);
const x = matrix(6, 2);

Deno.test("mean baseline predicts the training mean for every row", () => {
  const model = meanEstimator.fit(x, y, {});
  const expected = (0.1 + 0.9 + 0.2 + 0.4 + 0.0 + 0.3) / 6;
  assert.ok(Math.abs(model.value - expected) < 1e-15);
  assert.deepEqual(Array.from(model.predict(matrix(3, 2))), [
    model.value,
    model.value,
    model.value,
  ]);
});

Deno.test("median baseline predicts the middle of the sorted targets", () => {
  // Sorted: 0, 0.1, 0.2, 0.3, 0.4, 0.9 → (0.2 + 0.3) / 2.
  assert.ok(Math.abs(medianEstimator.fit(x, y, {}).value - 0.25) < 1e-15);
  assert.equal(medianEstimator.fit(matrix(3, 1), new Float64Array([5, -1, 2]), {}).value, 2);
});

Deno.test("baselines check the row count and reject unknown params", () => {
  assert.throws(() => meanEstimator.fit(matrix(5, 2), y, {}), /5 rows/);
  assert.throws(() => medianEstimator.fit(matrix(0, 2), new Float64Array(0), {}), /zero rows/);
  assert.throws(() => meanEstimator.fit(x, y, { alpha: 1 } as never));
});

Deno.test("baselines round-trip through JSON and refuse another family", () => {
  const mean = meanEstimator.fit(x, y, {});
  const median = medianEstimator.fit(x, y, {});
  const meanJson = JSON.parse(JSON.stringify(mean.serialize()));
  assert.deepEqual(loadMeanBaseline(meanJson).predict(x), mean.predict(x));
  assert.deepEqual(loadMedianBaseline(median.serialize()).predict(x), median.predict(x));
  assert.throws(() => loadMedianBaseline(meanJson), /median/);
  assert.throws(() => loadMeanBaseline({ ...meanJson, formatVersion: 99 }), /version/);
});
