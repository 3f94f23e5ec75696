import assert from "node:assert/strict";
import { column, type Matrix, matrix } from "../../pipeline/core/matrix.ts";
import {
  elasticNetEstimator,
  fitElasticNet,
} from "../../pipeline/models/elastic_net/elastic_net.ts";
import { loadElasticNet } from "../../pipeline/models/elastic_net/elastic_net_model.ts";
import { lassoEstimator } from "../../pipeline/models/lasso/lasso.ts";
import { loadLasso } from "../../pipeline/models/lasso/lasso_model.ts";
import { loadLinearModel } from "../../pipeline/models/linear/linear_model.ts";
import { olsEstimator } from "../../pipeline/models/ols/ols.ts";
import { ridgeEstimator } from "../../pipeline/models/ridge/ridge.ts";
import { linearTarget, maxAbsDiff, uniformMatrix } from "../support/linear_data.ts";

const x = uniformMatrix(200, 10, 31);
const y = linearTarget(x, [3, -2, 1.5, 0, 0, 0, 0, 0, 0, 0], 0.4, 0.05, 32);

/** Each column rescaled to mean 0 and population standard deviation 1. */
function standardised(m: Matrix): Matrix {
  const out = matrix(m.rows, m.cols, Float64Array.from(m.data));
  for (let j = 0; j < m.cols; j++) {
    const values = column(m, j);
    const mean = values.reduce((s, v) => s + v, 0) / m.rows;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / m.rows);
    for (let i = 0; i < m.rows; i++) out.data[i * m.cols + j] = (values[i] - mean) / sd;
  }
  return out;
}

Deno.test("lasso zeroes the irrelevant features and keeps the relevant ones", () => {
  const model = lassoEstimator.fit(x, y, { alpha: 0.02 });
  assert.deepEqual(model.coefficients.slice(3), [0, 0, 0, 0, 0, 0, 0]);
  assert.ok(model.coefficients[0] > 2 && model.coefficients[1] < -1 && model.coefficients[2] > 0.5);
  assert.equal(model.family, "lasso");
});

Deno.test("elastic net meets the optimality conditions in the standardised scale", () => {
  const alpha = 0.05;
  const l1Ratio = 0.6;
  const z = standardised(x);
  const { model, converged } = fitElasticNet(z, y, { alpha, l1Ratio, tol: 1e-14 });
  assert.ok(converged);
  const residual = model.predict(z).map((p, i) => y[i] - p);
  model.coefficients.forEach((b, j) => {
    let gradient = 0;
    for (let i = 0; i < z.rows; i++) gradient += z.data[i * z.cols + j] * residual[i];
    gradient /= z.rows;
    if (b !== 0) {
      const expected = alpha * l1Ratio * Math.sign(b) + alpha * (1 - l1Ratio) * b;
      assert.ok(Math.abs(gradient - expected) < 1e-8, `column ${j}: ${gradient} vs ${expected}`);
    } else {
      assert.ok(Math.abs(gradient) <= alpha * l1Ratio + 1e-8, `column ${j}: ${gradient}`);
    }
  });
});

Deno.test("elastic net with l1Ratio 0 equals ridge with the penalty scaled by n", () => {
  const z = standardised(x);
  const alpha = 0.3;
  const net = elasticNetEstimator.fit(z, y, { alpha, l1Ratio: 0, tol: 1e-14 });
  const ridge = ridgeEstimator.fit(z, y, { alpha: alpha * z.rows });
  assert.ok(maxAbsDiff(net.coefficients, ridge.coefficients) < 1e-6);
});

Deno.test("elastic net with a vanishing penalty equals OLS, in the original scale", () => {
  const stretched = matrix(x.rows, x.cols, x.data.map((v, k) => v * (k % x.cols + 1) * 10));
  const net = elasticNetEstimator.fit(stretched, y, { alpha: 1e-12, tol: 1e-13 });
  const ols = olsEstimator.fit(stretched, y, {});
  assert.ok(maxAbsDiff(net.coefficients, ols.coefficients) < 1e-8);
  assert.ok(Math.abs(net.intercept - ols.intercept) < 1e-8);
});

Deno.test("elastic net reports running out of sweeps", () => {
  const result = fitElasticNet(x, y, { alpha: 1e-4, maxIter: 1 });
  assert.equal(result.iterations, 1);
  assert.equal(result.converged, false);
  const full = fitElasticNet(x, y, { alpha: 1e-4 });
  assert.ok(full.converged && full.iterations > 1);
});

Deno.test("elastic net and lasso reject missing inputs and unknown params", () => {
  const holed = matrix(x.rows, x.cols, Float64Array.from(x.data));
  holed.data[5 * x.cols + 7] = NaN;
  assert.throws(() => elasticNetEstimator.fit(holed, y, {}), /column 7/);
  assert.throws(() => lassoEstimator.fit(x, y, { l1Ratio: 0.5 } as never));
  assert.throws(() => elasticNetEstimator.fit(x, y, { alpha: 0 }), /alpha/);
});

Deno.test("elastic net and lasso round-trip under their own family names", () => {
  const net = elasticNetEstimator.fit(x, y, { alpha: 0.01 });
  const lasso = lassoEstimator.fit(x, y, { alpha: 0.01 });
  const netJson = JSON.parse(JSON.stringify(net.serialize()));
  const lassoJson = JSON.parse(JSON.stringify(lasso.serialize()));
  assert.deepEqual(loadElasticNet(netJson).predict(x), net.predict(x));
  assert.deepEqual(loadLasso(lassoJson).predict(x), lasso.predict(x));
  assert.equal(loadLinearModel(lassoJson).family, "lasso");
  assert.throws(() => loadLasso(netJson), /lasso/);
});
