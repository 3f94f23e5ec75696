import assert from "node:assert/strict";
import { type Matrix, matrix, selectColumns } from "../../pipeline/core/matrix.ts";
import { loadLinearModel } from "../../pipeline/models/linear/linear_model.ts";
import { olsEstimator } from "../../pipeline/models/ols/ols.ts";
import { loadOls } from "../../pipeline/models/ols/ols_model.ts";
import { linearTarget, maxAbsDiff, uniformMatrix } from "../support/linear_data.ts";

/** `x` with column `source` appended again, optionally nudged at one row. */
function withCopyOf(x: Matrix, source: number, nudgeRow = -1, nudge = 0): Matrix {
  const out = selectColumns(x, [...Array(x.cols).keys(), source]);
  if (nudgeRow >= 0) out.data[nudgeRow * out.cols + x.cols] += nudge;
  return out;
}

Deno.test("ols recovers a noiseless linear function exactly", () => {
  const x = uniformMatrix(40, 5, 1);
  const truth = [1, -2, 3, 0, 0.25];
  const model = olsEstimator.fit(x, linearTarget(x, truth, 0.5), {}, 0);
  assert.ok(maxAbsDiff(model.coefficients, truth) < 1e-9, `${model.coefficients}`);
  assert.ok(Math.abs(model.intercept - 0.5) < 1e-9);
});

Deno.test("ols splits the weight of an exactly duplicated column equally", () => {
  const base = uniformMatrix(30, 3, 2);
  const y = linearTarget(base, [2, -1, 0.5], 1);
  const x = withCopyOf(base, 0);
  const model = olsEstimator.fit(x, y, {}, 0);
  assert.ok(model.coefficients.every(Number.isFinite));
  assert.ok(maxAbsDiff(model.coefficients, [1, -1, 0.5, 1]) < 1e-9, `${model.coefficients}`);
  assert.ok(maxAbsDiff(model.predict(x), y) < 1e-9);
});

Deno.test("ols on a near-duplicate column matches the fit with the difference as a column", () => {
  // b = a + d·e_k spans the same space as {a, e_k}, so both designs give the same fit,
  // and the coefficients follow from β_a·a + β_b·b = (β_a + β_b)·a + d·β_b·e_k.
  const base = uniformMatrix(60, 4, 3);
  const y = linearTarget(base, [1, 2, -1, 0.5], 0.2, 0.1, 4);
  const k = 17;
  const d = 0.01;
  const nearDuplicate = withCopyOf(base, 0, k, d);
  const indicator = withCopyOf(base, 0);
  for (let i = 0; i < indicator.rows; i++) indicator.data[i * indicator.cols + 4] = i === k ? 1 : 0;
  const near = olsEstimator.fit(nearDuplicate, y, {}, 0);
  const reference = olsEstimator.fit(indicator, y, {}, 0);
  assert.ok(maxAbsDiff(near.predict(nearDuplicate), reference.predict(indicator)) < 1e-8);
  const betaB = reference.coefficients[4] / d;
  assert.ok(Math.abs(near.coefficients[4] - betaB) < 1e-5);
  assert.ok(Math.abs(near.coefficients[0] - (reference.coefficients[0] - betaB)) < 1e-5);
  // Row k is fitted exactly: the extra direction only touches that row.
  assert.ok(Math.abs(near.predict(nearDuplicate)[k] - y[k]) < 1e-9);
});

Deno.test("ols gives a constant column a zero coefficient", () => {
  const base = uniformMatrix(25, 2, 5);
  const y = linearTarget(base, [3, -2], 0);
  const x = selectColumns(base, [0, 1, 0]);
  for (let i = 0; i < x.rows; i++) x.data[i * 3 + 2] = 0.7;
  const model = olsEstimator.fit(x, y, {}, 0);
  assert.equal(model.coefficients[2], 0);
  assert.ok(maxAbsDiff(model.coefficients.slice(0, 2), [3, -2]) < 1e-9);
});

Deno.test("ols rejects a missing value, naming its column", () => {
  const x = uniformMatrix(10, 3, 6);
  x.data[4 * 3 + 2] = NaN;
  assert.throws(() => olsEstimator.fit(x, new Float64Array(10), {}, 0), /column 2/);
  const model = olsEstimator.fit(uniformMatrix(10, 3, 7), new Float64Array(10).fill(1), {}, 0);
  assert.throws(() => model.predict(x), /column 2/);
  assert.throws(() => model.predict(matrix(1, 2)), /3 columns/);
});

Deno.test("ols round-trips through JSON with identical predictions", () => {
  const x = uniformMatrix(30, 4, 8);
  const model = olsEstimator.fit(x, linearTarget(x, [1, 2, 3, 4], 0, 0.2), {}, 0);
  const text = JSON.stringify(model.serialize());
  const loaded = loadOls(JSON.parse(text));
  assert.equal(loaded.family, "ols");
  assert.deepEqual(loaded.predict(x), model.predict(x));
  assert.deepEqual(loadLinearModel(JSON.parse(text)).predict(x), model.predict(x));
});
