/**
 * The neural network's sampled Shapley values against brute force: on a small network
 * (4 inputs, two hidden layers), the exact interventional Shapley values against the
 * background rows are computed by enumerating every subset for every background row;
 * the estimate's reported standard error must cover them at the rate it claims.
 */
import assert from "node:assert/strict";
import { fromRows, type Matrix, matrix } from "../../pipeline/core/matrix.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import {
  neuralNetworkRegressor,
  type NeuralNetworkState,
} from "../../pipeline/models/neural_network/neural_network_model.ts";
import { samplingShapleyExplainer } from "../../pipeline/models/neural_network/sampling_shapley.ts";

const P = 4;

function tinyNetwork(seed: number): NeuralNetworkState {
  const rng = seededRandom(seed);
  const weights = (n: number) => Array.from({ length: n }, () => rng.next() * 2 - 1);
  return {
    inputs: { mean: [0.5, 0.4, 0.3, 0.6], scale: [0.2, 0.3, 0.25, 0.1] },
    target: { mean: 0.2, scale: 0.15 },
    network: {
      activation: "tanh",
      layers: [
        { inputs: P, outputs: 5, weights: weights(20), bias: weights(5) },
        { inputs: 5, outputs: 3, weights: weights(15), bias: weights(3) },
        { inputs: 3, outputs: 1, weights: weights(3), bias: weights(1) },
      ],
    },
    history: { epochs: 0, bestEpoch: 0, trainLoss: [], validationLoss: [] },
  };
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** Mean over background rows of the Shapley values of S ↦ f(x_S, b_rest), by enumeration. */
function bruteForce(f: (x: Matrix) => Float64Array, x: Float64Array, bg: Matrix): Float64Array {
  const phi = new Float64Array(P);
  const hybrid = (b: number, s: number) =>
    Float64Array.from({ length: P }, (_, j) => (s & (1 << j) ? x[j] : bg.data[b * P + j]));
  for (let b = 0; b < bg.rows; b++) {
    for (let i = 0; i < P; i++) {
      for (let s = 0; s < 1 << P; s++) {
        if (s & (1 << i)) continue;
        let size = 0;
        for (let k = 0; k < P; k++) if (s & (1 << k)) size++;
        const weight = (factorial(size) * factorial(P - size - 1)) / factorial(P);
        const [withI, without] = f(matrix(
          2,
          P,
          Float64Array.from([
            ...hybrid(b, s | (1 << i)),
            ...hybrid(b, s),
          ]),
        ));
        phi[i] += (weight * (withI - without)) / bg.rows;
      }
    }
  }
  return phi;
}

const background = fromRows([
  [0.1, 0.9, 0.3, 0.5],
  [0.7, 0.2, 0.6, 0.4],
  [0.4, 0.5, 0.1, 0.9],
  [0.9, 0.1, 0.8, 0.2],
]);
const data = { inputMean: [], background };

Deno.test("sampled contributions sum to the prediction minus the background's mean prediction", () => {
  const state = tinyNetwork(1);
  const model = neuralNetworkRegressor(state);
  const explain = samplingShapleyExplainer(state, model.predict, data);
  const base = model.predict(background).reduce((s, v) => s + v, 0) / background.rows;
  const rng = seededRandom(3);
  for (let r = 0; r < 50; r++) {
    const x = Float64Array.from({ length: P }, () => rng.next());
    const c = explain(x);
    assert.equal(c.prediction, model.predict(matrix(1, P, x))[0]);
    assert.ok(Math.abs(c.base - base) < 1e-15);
    assert.ok(Math.abs(c.values.reduce((s, v) => s + v, c.base) - c.prediction) < 1e-9);
  }
});

Deno.test("the standard error covers the brute-force Shapley value at its nominal rate", () => {
  let within196 = 0, within258 = 0, total = 0;
  for (let net = 0; net < 5; net++) {
    const state = tinyNetwork(10 + net);
    const model = neuralNetworkRegressor(state);
    const rng = seededRandom(net);
    for (let r = 0; r < 4; r++) {
      const x = Float64Array.from({ length: P }, () => rng.next());
      const exact = bruteForce(model.predict, x, background);
      for (let seed = 0; seed < 10; seed++) {
        const c = samplingShapleyExplainer(state, model.predict, data, { pairsPerRow: 8, seed })(x);
        for (let j = 0; j < P; j++) {
          const se = c.standardError![j];
          assert.ok(se > 0, "a non-additive network has sampling error");
          const z = Math.abs(c.values[j] - exact[j]) / se;
          if (z <= 1.96) within196++;
          if (z <= 2.58) within258++;
          total++;
        }
      }
    }
  }
  const rate = within196 / total;
  // 800 estimates: a nominal 95 % interval covers at least 90 % of them.
  assert.ok(rate >= 0.9, `1.96 standard errors cover ${(100 * rate).toFixed(1)} %`);
  // A nominal 99 % interval, at least 97 %: the error estimate from 8 pairs per background
  // row is itself noisy, so the tails are a little heavier than normal.
  const rate99 = within258 / total;
  assert.ok(rate99 >= 0.97, `2.58 standard errors cover ${(100 * rate99).toFixed(1)} %`);
});

Deno.test("more permutations shrink the standard error as one over the root of their number", () => {
  const state = tinyNetwork(2);
  const model = neuralNetworkRegressor(state);
  const x = Float64Array.of(0.8, 0.3, 0.9, 0.1);
  const se = (pairsPerRow: number) =>
    samplingShapleyExplainer(state, model.predict, data, { pairsPerRow })(x).standardError!
      .reduce((s, v) => s + v, 0);
  const ratio = se(4) / se(64); // √16 = 4 expected
  assert.ok(ratio > 3 && ratio < 5.5, `ratio ${ratio}`);
});

Deno.test("the same row gets the same explanation, and too few pairs are refused", () => {
  const state = tinyNetwork(3);
  const model = neuralNetworkRegressor(state);
  const explain = samplingShapleyExplainer(state, model.predict, data);
  const x = Float64Array.of(0.2, 0.4, 0.6, 0.8);
  assert.deepEqual(explain(x), explain(x));
  assert.throws(
    () => samplingShapleyExplainer(state, model.predict, data, { pairsPerRow: 1 }),
    /at least 2/,
  );
  assert.throws(() => explain(Float64Array.of(1, 2)), /expected 4 inputs, got 2/);
});
