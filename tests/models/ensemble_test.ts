import assert from "node:assert/strict";
import { fromRows, type Matrix } from "../../pipeline/core/matrix.ts";
import { ENSEMBLE, ensemble, loadEnsemble } from "../../pipeline/models/ensemble/ensemble.ts";
import { neuralNetworkEstimator } from "../../pipeline/models/neural_network/neural_network.ts";
import { loadNeuralNetwork } from "../../pipeline/models/neural_network/neural_network_model.ts";
import { randomForestEstimator } from "../../pipeline/models/random_forest/random_forest.ts";
import { loadRandomForest } from "../../pipeline/models/random_forest/random_forest_model.ts";
import type { Regressor, SerializedModel } from "../../pipeline/models/regressor.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";

/** A model predicting `factor * x[:, 0] + offset`, serialisable as family "affine". */
function affine(factor: number, offset: number): Regressor {
  return {
    family: "affine",
    predict: (x: Matrix) =>
      Float64Array.from({ length: x.rows }, (_, i) => factor * x.data[i * x.cols] + offset),
    serialize: () => ({ family: "affine", formatVersion: 1, state: { factor, offset } }),
  };
}

function loadMember(model: SerializedModel): Regressor {
  if (model.family === ENSEMBLE) return loadEnsemble(model, loadMember);
  const { factor, offset } = model.state as { factor: number; offset: number };
  return affine(factor, offset);
}

const x = fromRows([[0], [1], [2], [4]]);

Deno.test("ensemble is the weighted average of its members", () => {
  const blend = ensemble([affine(1, 0), affine(3, 1)], [1, 3]);
  assert.deepEqual(blend.weights, [0.25, 0.75]);
  // 0.25 * x + 0.75 * (3x + 1) = 2.5x + 0.75
  assert.deepEqual(Array.from(blend.predict(x)), [0.75, 3.25, 5.75, 10.75]);
  assert.deepEqual(Array.from(ensemble([affine(1, 0), affine(3, 1)]).predict(x)), [
    0.5,
    2.5,
    4.5,
    8.5,
  ]);
});

Deno.test("ensemble round-trips through JSON, nested ensembles included", () => {
  const inner = ensemble([affine(2, 0), affine(0, 1)], [0.5, 0.5]);
  const outer = ensemble([inner, affine(-1, 3)], [0.2, 0.8]);
  const restored = loadEnsemble(JSON.parse(JSON.stringify(outer.serialize())), loadMember);
  assert.deepEqual(restored.predict(x), outer.predict(x));
  assert.deepEqual(restored.weights, outer.weights);
  assert.equal(restored.members[0].family, ENSEMBLE);
});

Deno.test("a blended forest and network round-trip through JSON", async () => {
  const data = uniformMatrix(60, 3, 1);
  const target = linearTarget(data, [1, -2, 0.5], 0.3, 0.05);
  const forest = randomForestEstimator.fit(data, target, { nEstimators: 3, maxFeatures: 1 }, 1);
  const network = await neuralNetworkEstimator.fit(data, target, {
    hiddenLayers: [4],
    epochs: 5,
    validationFraction: 0,
  }, 1);
  // Unequal weights, so that a round trip that lost them would predict differently.
  const blend = ensemble([forest, network], [0.7, 0.3]);
  const loaders: Record<string, (m: SerializedModel) => Regressor> = {
    random_forest: loadRandomForest,
    neural_network: loadNeuralNetwork,
  };
  const restored = loadEnsemble(
    JSON.parse(JSON.stringify(blend.serialize())),
    (m) => loaders[m.family](m),
  );
  const unseen = uniformMatrix(20, 3, 2);
  assert.deepEqual(restored.predict(unseen), blend.predict(unseen));
  assert.deepEqual(restored.members.map((m) => m.family), ["random_forest", "neural_network"]);
});

Deno.test("ensemble rejects bad weights and foreign models", () => {
  const members = [affine(1, 0), affine(2, 0)];
  assert.throws(() => ensemble(members, [1]), /1 weights for 2 members/);
  assert.throws(() => ensemble(members, [-1, 2]), />= 0/);
  assert.throws(() => ensemble(members, [0, 0]), /not all 0/);
  assert.throws(() => ensemble(members, [NaN, 1]), /finite/);
  assert.throws(() => ensemble([]), /at least one/);
  assert.throws(() => loadEnsemble(members[0].serialize(), loadMember), /affine/);
});
