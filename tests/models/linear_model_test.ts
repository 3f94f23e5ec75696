import assert from "node:assert/strict";
import { fromRows } from "../../pipeline/core/matrix.ts";
import { linearModel, loadLinearModel } from "../../pipeline/models/linear/linear_model.ts";

Deno.test("linear model predicts intercept plus the dot product", () => {
  const model = linearModel("ridge", new Float64Array([2, -1]), 0.5);
  assert.deepEqual(Array.from(model.predict(fromRows([[1, 1], [3, 0], [0, 4]]))), [1.5, 6.5, -3.5]);
});

Deno.test("linear model refuses non-finite coefficients", () => {
  assert.throws(() => linearModel("ols", new Float64Array([1, NaN]), 0));
  assert.throws(() => linearModel("ols", new Float64Array([1]), Infinity));
});

Deno.test("loadLinearModel reads every linear family and rejects the rest", () => {
  const state = { intercept: 1, coefficients: [2] };
  for (const family of ["ols", "ridge", "lasso", "elastic_net"]) {
    const model = loadLinearModel({ family, formatVersion: 1, state });
    assert.equal(model.family, family);
    assert.deepEqual(Array.from(model.predict(fromRows([[3]]))), [7]);
  }
  assert.throws(() => loadLinearModel({ family: "gbm", formatVersion: 1, state }), /gbm/);
  assert.throws(() => loadLinearModel({ family: "ols", formatVersion: 2, state }), /version/);
  assert.throws(() =>
    loadLinearModel({ family: "ols", formatVersion: 1, state: { intercept: 1 } })
  );
  assert.throws(
    () => loadLinearModel({ family: "ols", formatVersion: 1, state }, "ridge"),
    /ridge/,
  );
});
