import assert from "node:assert/strict";
import { fromRows, type Matrix } from "../../pipeline/core/matrix.ts";
import { ENSEMBLE, ensemble, loadEnsemble } from "../../pipeline/models/ensemble.ts";
import type { Regressor, SerializedModel } from "../../pipeline/models/regressor.ts";

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

Deno.test("ensemble rejects bad weights and foreign models", () => {
  const members = [affine(1, 0), affine(2, 0)];
  assert.throws(() => ensemble(members, [1]), /1 weights for 2 members/);
  assert.throws(() => ensemble(members, [-1, 2]), />= 0/);
  assert.throws(() => ensemble(members, [0, 0]), /not all 0/);
  assert.throws(() => ensemble(members, [NaN, 1]), /finite/);
  assert.throws(() => ensemble([]), /at least one/);
  assert.throws(() => loadEnsemble(members[0].serialize(), loadMember), /affine/);
});
