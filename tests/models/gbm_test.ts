import assert from "node:assert/strict";
import { type Matrix, matrix } from "../../pipeline/core/matrix.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import { rmse } from "../../pipeline/core/statistics.ts";
import { binMatrix, fitBinMapper } from "../../pipeline/models/gbm/binning.ts";
import {
  fitGbm,
  gbmEstimator,
  type GbmParams,
  GbmParamsSchema,
  type GbmState,
  loadGbm,
} from "../../pipeline/models/gbm/mod.ts";

/** Params for trees on every row and feature, unless a test asks for sampling. */
const params = (overrides: Partial<GbmParams>): GbmParams =>
  GbmParamsSchema.parse({ subsample: 1, colsampleByTree: 1, ...overrides });

/** `n` rows of `cols` uniform features on a 0.01 grid, like the normalised crime data. */
function gridData(n: number, cols: number, seed: number): Matrix {
  const rng = seededRandom(seed);
  return matrix(n, cols, Float64Array.from({ length: n * cols }, () => rng.int(101) / 100));
}

function stateOf(model: { serialize(): { state: unknown } }): GbmState {
  return model.serialize().state as GbmState;
}

Deno.test("a depth-1 tree recovers a step's threshold and both levels", () => {
  const x = gridData(400, 1, 1);
  for (const [cut, low, high] of [[0.42, 1, 3], [0.07, -2, 5], [0.9, 10, 0]]) {
    const y = x.data.map((v) => (v <= cut ? low : high));
    const model = fitGbm(
      x,
      y,
      params({ nEstimators: 1, maxDepth: 1, learningRate: 1, lambda: 0, minSamplesLeaf: 1 }),
      0,
    );
    const tree = stateOf(model).trees[0];
    assert.equal(tree.feature[0], 0);
    assert.ok(tree.threshold[0] > cut && tree.threshold[0] < cut + 0.01, `cut ${cut}`);
    const levels = Float64Array.from([cut - 0.01, cut, cut + 0.01, cut + 0.02]);
    const yHat = model.predict(matrix(4, 1, levels));
    [low, low, high, high].forEach((level, i) => assert.ok(Math.abs(yHat[i] - level) < 1e-9));
  }
});

Deno.test("training error of a smooth function falls as trees are added", () => {
  const x = gridData(500, 2, 2);
  const y = Float64Array.from(
    { length: x.rows },
    (_, i) => Math.sin(2 * Math.PI * x.data[2 * i]) + x.data[2 * i + 1] ** 2,
  );
  const errors = [5, 25, 100, 400].map((nEstimators) =>
    rmse(
      y,
      fitGbm(x, y, params({ nEstimators, learningRate: 0.1, minSamplesLeaf: 5 }), 3).predict(x),
    )
  );
  for (let k = 1; k < errors.length; k++) assert.ok(errors[k] < errors[k - 1], `${errors}`);
  const spread = rmse(y, new Float64Array(y.length).fill(y.reduce((a, b) => a + b) / y.length));
  assert.ok(errors[errors.length - 1] < 0.1 * spread, `${errors} vs spread ${spread}`);
});

Deno.test("each split learns which side missing values belong to", () => {
  const x = gridData(300, 1, 4);
  const stump = params({ nEstimators: 1, maxDepth: 1, learningRate: 1, minSamplesLeaf: 1 });
  for (const missingTarget of [0, 1]) {
    const xm = matrix(x.rows, 1, x.data.map((v, i) => (i % 4 === 0 ? NaN : v)));
    const y = xm.data.map((v) => (Number.isNaN(v) ? missingTarget : v <= 0.5 ? 0 : 1));
    const model = fitGbm(xm, y, stump, 0);
    assert.equal(stateOf(model).trees[0].missingLeft[0], missingTarget === 0 ? 1 : 0);
    const yHat = model.predict(matrix(3, 1, Float64Array.of(NaN, 0.2, 0.8)));
    assert.ok(Math.abs(yHat[0] - yHat[missingTarget === 0 ? 1 : 2]) < 1e-12);
  }
});

Deno.test("missing values with their own target get their own leaf", () => {
  const x = gridData(400, 2, 5);
  const data = x.data.map((v, i) => (i % 2 === 1 && (i >> 1) % 5 === 0 ? NaN : v));
  const xm = matrix(x.rows, 2, data);
  const y = Float64Array.from(
    { length: x.rows },
    (_, i) => (Number.isNaN(data[2 * i + 1]) ? 5 : data[2 * i]),
  );
  const model = fitGbm(xm, y, params({ nEstimators: 200, learningRate: 0.2, maxDepth: 3 }), 1);
  const yHat = model.predict(matrix(2, 2, Float64Array.of(0.3, NaN, 0.3, 0.6)));
  assert.ok(Math.abs(yHat[0] - 5) < 0.1, `NaN row predicted ${yHat[0]}`);
  assert.ok(Math.abs(yHat[1] - 0.3) < 0.1, `plain row predicted ${yHat[1]}`);
});

Deno.test("NaN never seen in training follows the larger child", () => {
  const x = gridData(300, 1, 6);
  const y = x.data.map((v) => (v <= 0.2 ? 0 : 1));
  const model = fitGbm(x, y, params({ nEstimators: 1, maxDepth: 1, learningRate: 1 }), 0);
  const yHat = model.predict(matrix(2, 1, Float64Array.of(NaN, 0.9)));
  assert.equal(yHat[0], yHat[1]);
});

Deno.test("fitting is deterministic for a seed and varies across seeds", async () => {
  const x = gridData(300, 6, 7);
  const y = Float64Array.from({ length: x.rows }, (_, i) => x.data[6 * i] + x.data[6 * i + 3]);
  const p = params({ nEstimators: 30, subsample: 0.7, colsampleByTree: 0.5 });
  const a = (await gbmEstimator.fit(x, y, p, 11)).predict(x);
  const b = (await gbmEstimator.fit(x, y, p, 11)).predict(x);
  const c = (await gbmEstimator.fit(x, y, p, 12)).predict(x);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("serialize then loadGbm predicts identically, through JSON", () => {
  const x = gridData(300, 4, 8);
  const data = x.data.map((v, i) => (i % 7 === 0 ? NaN : v));
  const xm = matrix(x.rows, 4, data);
  const y = Float64Array.from(
    { length: x.rows },
    (_, i) => (data[4 * i] || 0.5) * 2 + (data[4 * i + 1] || 0),
  );
  const model = fitGbm(xm, y, params({ nEstimators: 50, subsample: 0.8 }), 9);
  const copy = loadGbm(JSON.parse(JSON.stringify(model.serialize())));
  assert.equal(copy.family, "gbm");
  assert.equal(copy.nTrees, 50);
  assert.deepEqual(copy.predict(xm), model.predict(xm));
  assert.deepEqual(copy.serialize(), model.serialize());
});

Deno.test("loadGbm rejects other families, versions and malformed trees", () => {
  const x = gridData(100, 2, 10);
  const y = x.data.filter((_, i) => i % 2 === 0);
  const saved = fitGbm(x, y, params({ nEstimators: 3, minSamplesLeaf: 5 }), 0).serialize();
  assert.throws(() => loadGbm({ ...saved, family: "mlp" }), /mlp/);
  assert.throws(() => loadGbm({ ...saved, formatVersion: 99 }), /99/);
  const state = structuredClone(saved.state) as GbmState;
  state.trees[1].left[0] = 0;
  assert.throws(() => loadGbm({ ...saved, state }), /invalid children/);
  assert.throws(() => loadGbm({ ...saved, state: { ...state, trees: "none" } }), /trees/);
});

Deno.test("predict checks the number of features", () => {
  const x = gridData(50, 3, 11);
  const model = fitGbm(x, x.data.slice(0, 50), params({ nEstimators: 2, minSamplesLeaf: 5 }), 0);
  assert.throws(() => model.predict(gridData(5, 2, 0)), /expects 3 features/);
});

Deno.test("early stopping keeps fewer trees than nEstimators on noise", () => {
  const x = gridData(400, 3, 12);
  const rng = seededRandom(13);
  const y = Float64Array.from({ length: x.rows }, (_, i) => x.data[3 * i] + 2 * rng.next());
  const fit = (earlyStoppingRounds: number) =>
    fitGbm(
      x,
      y,
      params({
        nEstimators: 500,
        learningRate: 0.3,
        earlyStoppingRounds,
        validationFraction: 0.25,
      }),
      14,
    );
  const stopped = fit(10);
  assert.ok(stopped.nTrees >= 1 && stopped.nTrees < 490, `kept ${stopped.nTrees}`);
  // Same seed, same trajectory: the early-stopped model is a prefix of a patient one.
  const patient = fit(500);
  assert.ok(patient.nTrees < 500 && patient.nTrees >= stopped.nTrees);
  assert.deepEqual(stateOf(patient).trees.slice(0, stopped.nTrees), stateOf(stopped).trees);
  assert.equal(fit(0).nTrees, 500);
});

Deno.test("params schema fills defaults and names the offending key", () => {
  assert.equal(GbmParamsSchema.parse({}).maxBins, 256);
  for (
    const [key, value] of [
      ["learningRate", 0],
      ["learningRate", -0.1],
      ["maxDepth", 0],
      ["subsample", 1.5],
      ["nEstimators", 2.5],
      ["validationFraction", 1],
    ] as const
  ) {
    const result = GbmParamsSchema.safeParse({ [key]: value });
    assert.ok(!result.success, `${key}=${value} accepted`);
    assert.deepEqual(result.error.issues[0].path, [key]);
    assert.throws(() => GbmParamsSchema.parse({ [key]: value }), new RegExp(key));
  }
  assert.throws(() => GbmParamsSchema.parse({ learningrate: 0.1 }), /learningrate/);
  const x = gridData(20, 1, 0);
  assert.throws(() => fitGbm(x, x.data, { ...params({}), maxDepth: 0 }, 0), /maxDepth/);
});

Deno.test("bins are exact on a coarse grid and quantile-sized otherwise", () => {
  const grid = gridData(1000, 1, 15);
  const distinct = new Set(grid.data).size;
  const exact = fitBinMapper(grid, Int32Array.from({ length: 1000 }, (_, i) => i), 256);
  assert.equal(exact.cuts[0].length, distinct - 1);

  const rng = seededRandom(16);
  // Half the rows share one value, as zero-heavy features do; the rest are continuous.
  const skewed = Float64Array.from({ length: 2000 }, (_, i) => (i % 2 ? 0 : rng.next() ** 3));
  const fine = matrix(2000, 1, skewed);
  const all = Int32Array.from({ length: fine.rows }, (_, i) => i);
  const quantile = fitBinMapper(fine, all, 16);
  assert.equal(quantile.cuts[0].length, 15);
  const binned = binMatrix(quantile, fine);
  const sizes = new Array(binned.binCounts[0]).fill(0);
  binned.codes.forEach((c) => sizes[c]++);
  assert.equal(Math.max(...sizes), 1000);
  const others = sizes.filter((size) => size !== 1000);
  assert.ok(Math.max(...others) <= 2 * Math.min(...others), `bin sizes ${sizes}`);
  fine.data.forEach((v, i) => {
    const code = binned.codes[i];
    if (code > 0) assert.ok(v > quantile.cuts[0][code - 1]);
    if (code < quantile.cuts[0].length) assert.ok(v <= quantile.cuts[0][code]);
  });
});

Deno.test("more than 255 bins switch to 16-bit codes and still split exactly", () => {
  const x = matrix(600, 1, Float64Array.from({ length: 600 }, (_, i) => i / 600));
  const all = Int32Array.from({ length: x.rows }, (_, i) => i);
  assert.ok(binMatrix(fitBinMapper(x, all, 1000), x).codes instanceof Uint16Array);
  const y = x.data.map((v) => (v <= 0.7 ? 0 : 1));
  const p = params({
    nEstimators: 1,
    maxDepth: 1,
    learningRate: 1,
    minSamplesLeaf: 1,
    maxBins: 1000,
  });
  const threshold = stateOf(fitGbm(x, y, p, 0)).trees[0].threshold[0];
  assert.ok(threshold > 0.7 && threshold < 421 / 600, `threshold ${threshold}`);
});
