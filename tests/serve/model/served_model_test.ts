import assert from "node:assert/strict";
import { sealBundle } from "../../../pipeline/bundle/bundle_io.ts";
import type { ModelBundle } from "../../../pipeline/bundle/bundle_schema.ts";
import { checksumVersion, type FetchedBundle } from "../../../serve/model/model_source.ts";
import { createServedModel } from "../../../serve/model/served_model.ts";
import { randomRow, TEST_GAPPY, TEST_INPUTS, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();

function fetched(b: ModelBundle): FetchedBundle {
  return {
    bundle: b,
    identity: { name: b.name, version: checksumVersion(b), origin: "file", location: "t" },
  };
}

async function reseal(change: (b: ModelBundle) => void): Promise<ModelBundle> {
  const copy = structuredClone(bundle);
  change(copy);
  return await sealBundle(copy);
}

Deno.test("the reference row holds training medians for used features, null for unused ones", () => {
  const model = createServedModel(fetched(bundle), { maxBatchRows: 10 });
  const used = bundle.preprocessor.inputFeatures;
  assert.equal(used.length, TEST_INPUTS);
  used.forEach((name, j) => assert.equal(model.referenceRow[name], bundle.preprocessor.fill[j]));
  const unused = bundle.features.filter((f) => !used.includes(f.name));
  assert.ok(unused.every((f) => f.nullable && model.referenceRow[f.name] === null));
  assert.equal(Object.keys(model.referenceRow).length, 122);
});

Deno.test("features with training gaps are nullable, complete used ones are not", () => {
  const used = bundle.features.slice(0, TEST_INPUTS);
  assert.deepEqual(used.map((f) => f.nullable), used.map((_, j) => j < TEST_GAPPY));
});

Deno.test("predictions go through the bundle's preprocessing and are clipped", () => {
  const model = createServedModel(fetched(bundle), { maxBatchRows: 10 });
  const x = new Float64Array(122 * 2).fill(0.5);
  x[0] = NaN; // a nullable feature: imputed
  const y = model.predict(x, 2);
  assert.equal(y.length, 2);
  assert.ok(y.every((v) => v >= 0 && v <= 1));
  assert.notEqual(y[0], y[1], "the missing-value indicator changes the prediction");
});

Deno.test("a bundle whose model family is unknown is rejected with the reason", async () => {
  const broken = await reseal((b) => (b.model = { ...b.model, family: "mystery" }));
  assert.throws(
    () => createServedModel(fetched(broken), { maxBatchRows: 10 }),
    /cannot load the model: unknown model family "mystery"/,
  );
});

Deno.test("a bundle that cannot predict fails its test prediction", async () => {
  const broken = await reseal((b) => {
    const state = b.model.state as { coefficients: number[] };
    state.coefficients = state.coefficients.slice(1);
  });
  assert.throws(
    () => createServedModel(fetched(broken), { maxBatchRows: 10 }),
    /test prediction failed/,
  );
});

Deno.test("a bundle whose model reads a feature outside the contract is rejected", async () => {
  const broken = await reseal((b) => b.preprocessor.inputFeatures[0] = "notAFeature");
  assert.throws(() => createServedModel(fetched(broken), { maxBatchRows: 10 }), /notAFeature/);
});

Deno.test("predictRow checks a request row and predicts it as a batch of one would", () => {
  const model = createServedModel(fetched(bundle), { maxBatchRows: 10 });
  const rows = [1, 2, 3].map((seed) => randomRow(bundle, seed, 3));
  const batch = new Float64Array(122 * rows.length);
  rows.forEach((row, i) => assert.ok(model.packRow(row, batch, i * 122)));
  const expected = model.predict(batch, rows.length);
  // One after another, as requests arrive: nothing of one row leaks into the next.
  rows.forEach((row, i) => assert.equal(model.predictRow(row)?.[0], expected[i]));
  assert.notEqual(expected[0], expected[1]);
  assert.equal(model.predictRow({ ...rows[0], extra: 1 }), undefined);
  assert.equal(model.predictRow("not a row"), undefined);
});
