import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fromRows, matrix, selectRows } from "../../pipeline/core/matrix.ts";
import { rmse } from "../../pipeline/core/statistics.ts";
import { ACTIVATIONS, type Mlp, mlpForward } from "../../pipeline/models/neural_network/mlp.ts";
import { neuralNetworkEstimator } from "../../pipeline/models/neural_network/neural_network.ts";
import { loadNeuralNetwork } from "../../pipeline/models/neural_network/neural_network_model.ts";
import { maxAbsDiff, uniformMatrix } from "../support/linear_data.ts";

const curve = (a: number, b: number) => Math.sin(3 * a) + b * b;
const targetOf = (x: ReturnType<typeof uniformMatrix>) =>
  Float64Array.from({ length: x.rows }, (_, i) => curve(x.data[2 * i], x.data[2 * i + 1]));
const x = uniformMatrix(100, 2, 1);
const y = targetOf(x);
const quick = { hiddenLayers: [8], epochs: 3, validationFraction: 0 };

Deno.test("neural network fits a smooth nonlinear function on unseen points", async () => {
  const model = await neuralNetworkEstimator.fit(x, y, {
    hiddenLayers: [16, 16],
    activation: "tanh",
    dropout: 0,
    l2: 0,
    learningRate: 0.02,
    epochs: 100,
    validationFraction: 0,
  }, 3);
  const unseen = uniformMatrix(100, 2, 2);
  const error = rmse(targetOf(unseen), model.predict(unseen));
  // The target's standard deviation is about 0.41; the best linear fit leaves 0.29.
  assert.ok(error < 0.05, `rmse ${error}`);
  assert.equal(tf.getBackend(), "wasm");
});

Deno.test("plain forward pass matches tfjs layers for every activation", async () => {
  for (const activation of ACTIVATIONS) {
    const fitted = await neuralNetworkEstimator.fit(x, y, {
      ...quick,
      hiddenLayers: [5, 3],
      activation,
    }, 1);
    const network = (fitted.serialize().state as { network: Mlp }).network;
    const reference = tf.sequential({
      layers: network.layers.map((l, k) =>
        tf.layers.dense({
          inputShape: [l.inputs],
          units: l.outputs,
          activation: k < network.layers.length - 1 ? activation : "linear",
        })
      ),
    });
    reference.setWeights(network.layers.flatMap((l) => [
      tf.tensor2d(l.weights as number[], [l.inputs, l.outputs]),
      tf.tensor1d(l.bias as number[]),
    ]));
    const input = uniformMatrix(40, 2, 4);
    input.data.forEach((v, k) => input.data[k] = 6 * v - 3);
    const expected = reference.predict(
      tf.tensor2d(Float32Array.from(input.data), [40, 2]),
    ) as tf.Tensor;
    const diff = maxAbsDiff(mlpForward(network, input).data, expected.dataSync());
    assert.ok(diff < 1e-5, `${activation}: ${diff}`);
    reference.dispose();
    expected.dispose();
  }
});

Deno.test("early stopping halts once validation loss rises and keeps the best epoch", async () => {
  // Pure-noise targets: a wide network can only memorise, so validation loss climbs.
  const inputs = uniformMatrix(80, 3, 5);
  const target = uniformMatrix(80, 1, 6).data.map((v) => v > 0.5 ? 1 : 0);
  const params = {
    hiddenLayers: [64, 64],
    dropout: 0,
    l2: 0,
    learningRate: 0.01,
    epochs: 300,
    validationFraction: 0.25,
    patience: 5,
  };
  const model = await neuralNetworkEstimator.fit(inputs, target, params, 7);
  const { epochs, bestEpoch, validationLoss } = model.history;
  assert.ok(epochs < 300, `ran ${epochs} epochs`);
  assert.equal(epochs, bestEpoch + 5);
  assert.equal(Math.min(...validationLoss), validationLoss[bestEpoch - 1]);
  // The same seed stopped at the best epoch must give the same weights, if they were restored.
  const stoppedThere = await neuralNetworkEstimator.fit(inputs, target, {
    ...params,
    epochs: bestEpoch,
  }, 7);
  assert.deepEqual(model.predict(inputs), stoppedThere.predict(inputs));
});

Deno.test("the same seed reproduces a fit exactly, another seed does not", async () => {
  const params = { ...quick, dropout: 0.3, validationFraction: 0.2, epochs: 5 };
  const a = await neuralNetworkEstimator.fit(x, y, params, 11);
  const b = await neuralNetworkEstimator.fit(x, y, params, 11);
  const c = await neuralNetworkEstimator.fit(x, y, params, 12);
  assert.deepEqual(a.predict(x), b.predict(x));
  assert.notDeepEqual(a.predict(x), c.predict(x));
});

Deno.test("neural network round-trips through JSON with identical predictions", async () => {
  await neuralNetworkEstimator.fit(x, y, quick, 2);
  const tensorsBefore = tf.memory().numTensors;
  const model = await neuralNetworkEstimator.fit(x, y, { ...quick, validationFraction: 0.2 }, 2);
  assert.equal(tf.memory().numTensors, tensorsBefore, "training leaked tensors");
  const restored = loadNeuralNetwork(JSON.parse(JSON.stringify(model.serialize())));
  assert.deepEqual(restored.predict(x), model.predict(x));
  assert.deepEqual(restored.history, model.history);
});

Deno.test("neural network rejects missing values, wrong widths and bad params", async () => {
  const withNaN = fromRows([[0.1, NaN], [0.2, 0.3]]);
  await assert.rejects(
    async () => await neuralNetworkEstimator.fit(withNaN, new Float64Array(2), quick, 1),
    /imputed/,
  );
  const model = await neuralNetworkEstimator.fit(x, y, quick, 1);
  assert.throws(() => model.predict(withNaN), /imputed/);
  assert.throws(() => model.predict(matrix(1, 3)), /2 features, got 3/);
  await assert.rejects(async () => await neuralNetworkEstimator.fit(x, y, { dropout: 1 }, 1));
  await assert.rejects(
    async () => await neuralNetworkEstimator.fit(x, y, { ...quick, validationFraction: 0.001 }, 1),
    /no rows/,
  );
});

Deno.test("a row's prediction does not depend on the rows batched with it", () => {
  // Rows go through the first layer four at a time; 7 rows also exercise the remainder.
  // Wide rows of spread values make any change of summation order show in the last bits.
  const [inputs, hidden] = [64, 16];
  const weights = uniformMatrix(1, inputs * hidden + 2 * hidden + 1, 9).data.map((v) => v - 0.5);
  let at = 0;
  const take = (n: number) => Array.from(weights.subarray(at, at += n));
  const network: Mlp = {
    activation: "relu",
    layers: [
      { inputs, outputs: hidden, weights: take(inputs * hidden), bias: take(hidden) },
      { inputs: hidden, outputs: 1, weights: take(hidden), bias: take(1) },
    ],
  };
  const rows = uniformMatrix(7, inputs, 10);
  rows.data.forEach((v, k) => rows.data[k] = 6 * v - 3);
  const together = mlpForward(network, rows).data;
  for (let i = 0; i < rows.rows; i++) {
    assert.equal(mlpForward(network, selectRows(rows, [i])).data[0], together[i], `row ${i}`);
  }
});
