import assert from "node:assert/strict";
import { fromRows, matrix } from "../../pipeline/core/matrix.ts";
import { randomForestEstimator } from "../../pipeline/models/random_forest/random_forest.ts";
import { loadRandomForest } from "../../pipeline/models/random_forest/random_forest_model.ts";
import { uniformMatrix } from "../support/linear_data.ts";

// Column 0 drives a staircase with steps at 0.3 and 0.7; column 1 is noise to ignore.
const x = uniformMatrix(120, 2, 3);
const step = (v: number) => v < 0.3 ? 0 : v < 0.7 ? 1 : 2;
const y = Float64Array.from({ length: x.rows }, (_, i) => step(x.data[i * 2]));

Deno.test("random forest fits a step function away from the steps", () => {
  // Below the root, each step is a perfect split: the trees must take those too.
  const forest = randomForestEstimator.fit(x, y, { nEstimators: 5, maxFeatures: 1 }, 1);
  const probe = fromRows([[0.1, 0.5], [0.2, 0.9], [0.4, 0.1], [0.6, 0.7], [0.8, 0.2], [0.95, 0.5]]);
  const expected = [0, 0, 1, 1, 2, 2];
  forest.predict(probe).forEach((p, i) => {
    assert.ok(Math.abs(p - expected[i]) < 0.05, `row ${i}: ${p}`);
  });
});

Deno.test("random forest round-trips through JSON with identical predictions", () => {
  const forest = randomForestEstimator.fit(x, y, { nEstimators: 4, maxFeatures: 0.5 }, 2);
  const restored = loadRandomForest(JSON.parse(JSON.stringify(forest.serialize())));
  const grid = uniformMatrix(50, 2, 9);
  assert.deepEqual(restored.predict(grid), forest.predict(grid));
  assert.equal(restored.nEstimators, 4);
});

Deno.test("the first trees of a forest equal a smaller forest with the same seed", () => {
  const large = randomForestEstimator.fit(x, y, { nEstimators: 4, maxFeatures: 0.5 }, 5);
  const small = randomForestEstimator.fit(x, y, { nEstimators: 2, maxFeatures: 0.5 }, 5);
  const grid = uniformMatrix(30, 2, 11);
  assert.deepEqual(large.predictWithTrees(grid, 2), small.predict(grid));
  assert.notDeepEqual(large.predict(grid), small.predict(grid));
  assert.throws(() => large.predictWithTrees(grid, 5), /\[1, 4\]/);
});

Deno.test("random forest rejects missing values, wrong widths and bad params", () => {
  const withNaN = matrix(2, 2, new Float64Array([0.1, NaN, 0.2, 0.3]));
  assert.throws(
    () => randomForestEstimator.fit(withNaN, new Float64Array(2), {}, 1),
    /imputed.*row 0, column 1/,
  );
  const forest = randomForestEstimator.fit(x, y, { nEstimators: 2 }, 1);
  assert.throws(() => forest.predict(withNaN), /imputed/);
  assert.throws(() => forest.predict(matrix(1, 3)), /2 features, got 3/);
  assert.throws(() => randomForestEstimator.fit(x, y, { trees: 3 } as never, 1));
  assert.throws(() => loadRandomForest({ family: "gbm", formatVersion: 1, state: {} }), /gbm/);
});
