import assert from "node:assert/strict";
import { openBundle, sealBundle } from "../../pipeline/bundle/bundle_io.ts";
import { createPredictor } from "../../pipeline/bundle/bundle_predictor.ts";
import { canonicalJson } from "../../pipeline/core/canonical_json.ts";
import { referenceStats } from "../../pipeline/bundle/reference_stats.ts";
import { matrix, selectColumns } from "../../pipeline/core/matrix.ts";
import { fitPreprocessor, transform } from "../../pipeline/features/preprocessor.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { gbmEstimator, GbmParamsSchema } from "../../pipeline/models/gbm/mod.ts";
import { CONTRACT, testBundle } from "../support/test_bundle.ts";
import { buildBundle } from "../../pipeline/training/build_bundle.ts";
import { featureNames, parseCatalogue } from "../../pipeline/data/catalogue.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";

const catalogue = parseCatalogue(await Deno.readTextFile("data/raw/communities.names"));

Deno.test("canonical JSON ignores key order", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: 2, c: 3 } }),
    canonicalJson({ a: { c: 3, d: 2 }, b: 1 }),
  );
});

Deno.test("a sealed bundle opens, and any edit breaks its checksum", async () => {
  const bundle = await testBundle({ metrics: { cv_rmse: 0.13 } });
  const text = JSON.stringify(bundle);
  assert.equal((await openBundle(text, "b.json")).checksum, bundle.checksum);
  const edited = JSON.stringify({ ...bundle, metrics: { cv_rmse: 0.01 } });
  await assert.rejects(openBundle(edited, "b.json"), /b.json: checksum mismatch/);
  await assert.rejects(openBundle("{", "b.json"), /b.json: not a model bundle/);
  await assert.rejects(openBundle("{}", "b.json"), /b.json: format/);
});

Deno.test("a GBM bundle round trip predicts exactly what the fitted model predicts", async () => {
  const names = featureNames(catalogue);
  const used = names.slice(0, 6);
  const x = uniformMatrix(300, names.length, 11);
  const inputs = selectColumns(x, [0, 1, 2, 3, 4, 5]);
  const y = linearTarget(inputs, [0.3, -0.2, 0.1, 0.4, 0, 0.2], 0.1, 0.01, 2);
  for (let i = 0; i < 300; i += 7) {
    x.data[i * names.length + 2] = NaN;
    inputs.data[i * 6 + 2] = NaN;
  }
  const pre = fitPreprocessor(
    { inputFeatures: used, indicators: [used[2]], interactions: [] },
    inputs,
  );
  const model = gbmEstimator.fit(
    transform(pre, inputs),
    y,
    GbmParamsSchema.parse({ nEstimators: 40, maxDepth: 3 }),
    1,
  );
  const direct = (model as { predict(m: typeof x): Float64Array }).predict(transform(pre, inputs));
  const columns = new Map(
    names.map((n, j) => [
      n,
      Float64Array.from({ length: 300 }, (_, i) => x.data[i * names.length + j]),
    ]),
  );
  const bundle = await sealBundle(buildBundle(
    { preprocessor: pre, model: await model, params: {} },
    {
      name: "t",
      family: "gbm",
      features: catalogue.filter((c) => names.includes(c.name)),
      trainingColumns: columns,
      trainingPredictions: direct,
      metrics: { cv_rmse: 0.1 },
      provenance: {
        trainedAt: "t",
        trainingRows: 300,
        gitCommit: "c",
        dataHash: "d",
        paramsHash: "p",
      },
    },
  ));
  const reopened = await openBundle(JSON.stringify(bundle), "mem");
  const predicted = createPredictor(reopened, loadModel).predict(x);
  assert.deepEqual(predicted, direct);
  assert.equal(reopened.features.length, 122);
  assert.equal(reopened.features[names.indexOf(used[2])].nullable, true);
  assert.equal(reopened.features[0].nullable, false);
  assert.deepEqual(CONTRACT, names);
});

Deno.test("the predictor insists on the full contract width", async () => {
  const predictor = createPredictor(await testBundle(), loadModel);
  assert.throws(() => predictor.predict(matrix(1, 5)), /expected 122 features per row, got 5/);
});

Deno.test("reference statistics count missing values and fill a histogram", () => {
  const stats = referenceStats(new Float64Array([0.05, 0.15, 0.15, 1, NaN]));
  assert.equal(stats.count, 4);
  assert.ok(Math.abs(stats.missingRate - 0.2) < 1e-12);
  const counts = new Array(101).fill(0);
  counts[5] = 1;
  counts[15] = 2;
  counts[100] = 1;
  assert.deepEqual(stats.histogram.counts, counts, "one bin per 0.01 step");
  assert.equal(stats.histogram.edges.length, 102);
  assert.deepEqual(stats.histogram.edges.slice(0, 3), [-0.005, 0.005, 0.015]);
  assert.ok(Math.abs(stats.mean - 0.3375) < 1e-12);
});
