import assert from "node:assert/strict";
import { olsEstimator } from "../../pipeline/models/ols/ols.ts";
import { ridgeEstimator } from "../../pipeline/models/ridge/ridge.ts";
import { loadRidge } from "../../pipeline/models/ridge/ridge_model.ts";
import { linearTarget, maxAbsDiff, norm, uniformMatrix } from "../support/linear_data.ts";

const x = uniformMatrix(50, 6, 21);
const y = linearTarget(x, [2, -1, 0.5, 0, 3, -2], 0.3, 0.1, 22);

Deno.test("ridge with a vanishing penalty equals OLS", () => {
  const ols = olsEstimator.fit(x, y, {});
  const ridge = ridgeEstimator.fit(x, y, { alpha: 1e-10 });
  assert.ok(maxAbsDiff(ridge.coefficients, ols.coefficients) < 1e-7);
  assert.ok(Math.abs(ridge.intercept - ols.intercept) < 1e-7);
});

Deno.test("ridge shrinks the coefficient norm as the penalty grows", () => {
  const norms = [0.01, 0.1, 1, 10, 100].map((alpha) =>
    norm(ridgeEstimator.fit(x, y, { alpha }).coefficients)
  );
  for (let i = 1; i < norms.length; i++) assert.ok(norms[i] < norms[i - 1], `${norms}`);
});

Deno.test("ridge solves the penalised normal equations", () => {
  // The gradient of Σ(y − ŷ)² + α|β|² vanishes at the optimum: Xᵀ(y − ŷ) = αβ, Σ(y − ŷ) = 0.
  const alpha = 2.5;
  const model = ridgeEstimator.fit(x, y, { alpha });
  const residual = model.predict(x).map((p, i) => y[i] - p);
  const gradient = model.coefficients.map((b, j) => {
    let xr = 0;
    for (let i = 0; i < x.rows; i++) xr += x.data[i * x.cols + j] * residual[i];
    return xr - alpha * b;
  });
  assert.ok(norm(gradient) < 1e-10, `${gradient}`);
  assert.ok(Math.abs(residual.reduce((s, r) => s + r, 0)) < 1e-10);
});

Deno.test("ridge does not penalise the intercept", () => {
  // With a huge penalty every slope vanishes and the model predicts the target mean.
  const shifted = y.map((v) => v + 100);
  const model = ridgeEstimator.fit(x, shifted, { alpha: 1e12 });
  const mean = shifted.reduce((s, v) => s + v, 0) / shifted.length;
  assert.ok(Math.abs(model.intercept - mean) < 1e-6);
});

Deno.test("ridge survives an exactly duplicated column", () => {
  const duplicated = uniformMatrix(20, 2, 23);
  for (let i = 0; i < 20; i++) duplicated.data[i * 2 + 1] = duplicated.data[i * 2];
  const model = ridgeEstimator.fit(duplicated, linearTarget(duplicated, [1, 1], 0), {
    alpha: 0.1,
  });
  assert.ok(Math.abs(model.coefficients[0] - model.coefficients[1]) < 1e-12);
});

Deno.test("ridge rejects a non-positive penalty and round-trips through JSON", () => {
  assert.throws(() => ridgeEstimator.fit(x, y, { alpha: 0 }));
  const model = ridgeEstimator.fit(x, y, { alpha: 0.7 });
  const loaded = loadRidge(JSON.parse(JSON.stringify(model.serialize())));
  assert.deepEqual(loaded.predict(x), model.predict(x));
  assert.throws(() => loadRidge(olsEstimator.fit(x, y, {}).serialize()), /ridge/);
});
