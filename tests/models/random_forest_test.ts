import assert from "node:assert/strict";
import { fromRows, matrix } from "../../pipeline/core/matrix.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import { explainerOf } from "../../pipeline/models/contributions.ts";
import { binMatrix, fitBinMapper } from "../../pipeline/models/gbm/binning.ts";
import { type GbmState, GbmStateSchema } from "../../pipeline/models/gbm/gbm_state.ts";
import { expectedValue } from "../../pipeline/models/gbm/tree_shap.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { forestTreeGrower } from "../../pipeline/models/random_forest/grow_forest_tree.ts";
import {
  fitRandomForest,
  randomForestEstimator,
} from "../../pipeline/models/random_forest/random_forest.ts";
import { loadRandomForest } from "../../pipeline/models/random_forest/random_forest_model.ts";
import { uniformMatrix } from "../support/linear_data.ts";

// Column 0 drives a staircase with steps at 0.3 and 0.7; column 1 is noise to ignore.
const x = uniformMatrix(120, 2, 3);
const step = (v: number) => v < 0.3 ? 0 : v < 0.7 ? 1 : 2;
const y = Float64Array.from({ length: x.rows }, (_, i) => step(x.data[i * 2]));

/** The stored trees of a fitted forest. */
const treesOf = (model: { serialize(): { state: unknown } }) =>
  (GbmStateSchema.parse(model.serialize().state) as GbmState).trees;

/** Leaves of a stored tree, with their value and cover. */
const leavesOf = (tree: GbmState["trees"][number]) =>
  tree.feature.flatMap((f, i) => f < 0 ? [{ value: tree.value[i], cover: tree.cover![i] }] : []);

Deno.test("random forest fits a step function away from the steps", () => {
  const forest = fitRandomForest(x, y, { nEstimators: 20, maxFeatures: 1 }, 1);
  const probe = fromRows([[0.1, 0.5], [0.2, 0.9], [0.4, 0.1], [0.6, 0.7], [0.8, 0.2], [0.95, 0.5]]);
  const expected = [0, 0, 1, 1, 2, 2];
  forest.predict(probe).forEach((p, i) => {
    assert.ok(Math.abs(p - expected[i]) < 0.05, `row ${i}: ${p}`);
  });
});

Deno.test("the same seed gives the same forest, another seed another one", () => {
  const params = { nEstimators: 6, maxFeatures: 0.5 };
  const a = fitRandomForest(x, y, params, 4).serialize();
  assert.deepEqual(fitRandomForest(x, y, params, 4).serialize(), a);
  assert.notDeepEqual(fitRandomForest(x, y, params, 5).serialize(), a);
  // Each tree has its own seed, drawn in turn: a smaller forest is a prefix of a larger one.
  const small = fitRandomForest(x, y, { ...params, nEstimators: 3 }, 4);
  assert.deepEqual(treesOf(small), (a.state as GbmState).trees.slice(0, 3));
});

Deno.test("bootstrap draws rows with replacement; without it every row is used once", () => {
  // Distinct targets on distinct values: with one row per leaf allowed, every leaf holds
  // one distinct row, and its cover is how often the bootstrap drew that row.
  const n = 200;
  const line = matrix(n, 1, Float64Array.from({ length: n }, (_, i) => i / n));
  const target = line.data.map((v) => v * v);
  const bagged = fitRandomForest(line, target, { nEstimators: 5, maxFeatures: 1 }, 2);
  for (const tree of treesOf(bagged)) {
    const leaves = leavesOf(tree);
    assert.equal(leaves.reduce((s, l) => s + l.cover, 0), n); // n draws
    assert.ok(leaves.some((l) => l.cover >= 2), "some row drawn twice");
    // About 1 - 1/e of the rows are drawn at least once.
    assert.ok(leaves.length > 0.55 * n && leaves.length < 0.72 * n, `${leaves.length} rows`);
  }
  const plain = fitRandomForest(line, target, { nEstimators: 2, bootstrap: false }, 2);
  for (const tree of treesOf(plain)) {
    const leaves = leavesOf(tree);
    assert.equal(leaves.length, n);
    assert.ok(leaves.every((l) => l.cover === 1));
  }
});

Deno.test("features are drawn at every split, not once per tree", () => {
  // Four equally good copies of one column, one drawn per split: a tree that drew its
  // features once would split on a single column.
  const base = uniformMatrix(300, 1, 8);
  const copies = matrix(300, 4, Float64Array.from({ length: 1200 }, (_, i) => base.data[i >> 2]));
  const target = base.data.map((v) => Math.sin(6 * v));
  const forest = fitRandomForest(copies, target, { nEstimators: 3, maxFeatures: 0.25 }, 1);
  for (const tree of treesOf(forest)) {
    const used = new Set(tree.feature.filter((f) => f >= 0));
    assert.equal(used.size, 4, `columns used: ${[...used]}`);
  }
});

Deno.test("a feature constant in a node is drawn but another one splits it", () => {
  // Column 0 is constant, so each split needs a further draw to find column 1.
  const data = matrix(40, 2, Float64Array.from({ length: 80 }, (_, i) => i % 2 ? i : 0.5));
  const target = Float64Array.from({ length: 40 }, (_, i) => i < 20 ? 0 : 1);
  const forest = fitRandomForest(data, target, { nEstimators: 4, maxFeatures: 0.5 }, 3);
  for (const tree of treesOf(forest)) assert.ok(tree.feature[0] === 1);
  assert.deepEqual(forest.predict(fromRows([[0.5, 1], [0.5, 79]])), Float64Array.of(0, 1));
});

Deno.test("leaves hold the weighted mean of their rows; minSamplesLeaf counts distinct rows", () => {
  const line = matrix(6, 1, Float64Array.of(0, 1, 2, 3, 4, 5));
  const target = Float64Array.of(1, 2, 3, 10, 11, 12);
  const mapper = fitBinMapper(line, [0, 1, 2, 3, 4, 5], 256);
  const grow = forestTreeGrower(binMatrix(mapper, line), mapper, target, {
    maxDepth: 1,
    minSamplesLeaf: 1,
    maxFeatures: 1,
  });
  const weights = Float64Array.of(3, 0, 1, 1, 2, 1);
  const tree = grow(weights, seededRandom(1));
  assert.equal(tree.threshold[0], 2.5);
  assert.deepEqual([...tree.value.subarray(1)], [(3 * 1 + 3) / 4, (10 + 2 * 11 + 12) / 4]);
  assert.deepEqual([...tree.cover], [8, 4, 4]);
  // Rows 0 (drawn three times) and 2 are two distinct rows: too few for three per leaf.
  const strict = forestTreeGrower(binMatrix(mapper, line), mapper, target, {
    maxDepth: Infinity,
    minSamplesLeaf: 3,
    maxFeatures: 1,
  });
  const split = strict(weights, seededRandom(1));
  assert.deepEqual([...split.feature], [-1]);
  assert.equal(split.value[0], (3 + 3 + 10 + 22 + 12) / 8);
});

Deno.test("missing values take a learned side of each split", () => {
  // The target is 5 where column 0 is missing, else column 0 itself.
  const rng = seededRandom(6);
  const rows = Array.from({ length: 200 }, (_, i) => [i % 4 === 0 ? NaN : rng.next(), rng.next()]);
  const data = fromRows(rows);
  const target = Float64Array.from(rows, ([v]) => Number.isNaN(v) ? 5 : v);
  const forest = fitRandomForest(data, target, { nEstimators: 30, maxFeatures: 1 }, 1);
  const [missing, low, high] = forest.predict(fromRows([[NaN, 0.5], [0.1, 0.5], [0.9, 0.5]]));
  assert.ok(Math.abs(missing - 5) < 0.2, `${missing}`);
  assert.ok(Math.abs(low - 0.1) < 0.1 && Math.abs(high - 0.9) < 0.1, `${low} ${high}`);
});

Deno.test("a forest round-trips through the bundle's JSON and loadModel", () => {
  const forest = randomForestEstimator.fit(x, y, { nEstimators: 8, maxFeatures: 0.5 }, 2);
  const restored = loadModel(JSON.parse(JSON.stringify(forest.serialize())));
  const grid = uniformMatrix(50, 2, 9);
  assert.equal(restored.family, "random_forest");
  assert.deepEqual(restored.predict(grid), forest.predict(grid));
  assert.equal(loadRandomForest(forest.serialize()).nEstimators, 8);
});

Deno.test("old, foreign and damaged forests are refused with the reason", () => {
  const stored = fitRandomForest(x, y, { nEstimators: 2 }, 1).serialize();
  assert.throws(
    () => loadModel({ family: "random_forest", formatVersion: 1, state: { features: 2 } }),
    /format version 1 \(trees of ml-random-forest\).*retrain it \(format version 2\)/,
  );
  assert.throws(() => loadRandomForest({ ...stored, family: "gbm" }), /"gbm" model/);
  const state = stored.state as GbmState;
  const noCover = { ...state, trees: state.trees.map(({ cover: _, ...tree }) => tree) };
  assert.throws(() => loadRandomForest({ ...stored, state: noCover }), /cover on every tree/);
  assert.throws(() => loadRandomForest({ ...stored, state: { ...state, baseScore: 1 } }), /base/);
});

Deno.test("TreeSHAP contributions sum to the prediction minus the mean expected tree", () => {
  const data = uniformMatrix(150, 3, 12);
  const target = Float64Array.from(
    { length: 150 },
    (_, i) => data.data[3 * i] * 2 + (data.data[3 * i + 1] > 0.5 ? 1 : 0),
  );
  const forest = fitRandomForest(data, target, { nEstimators: 25, maxFeatures: 0.67 }, 3);
  const explain = explainerOf(forest, { inputMean: [], background: matrix(0, 3) });
  const trees = loadRandomForest(forest.serialize());
  const base = treesOf(trees).reduce(
    (s, t) =>
      s + expectedValue({
        feature: Int32Array.from(t.feature),
        threshold: Float64Array.from(t.threshold),
        left: Int32Array.from(t.left),
        right: Int32Array.from(t.right),
        missingLeft: Uint8Array.from(t.missingLeft),
        value: Float64Array.from(t.value),
        cover: Float64Array.from(t.cover!),
      }),
    0,
  ) / 25;
  const probe = uniformMatrix(20, 3, 13);
  const predicted = forest.predict(probe);
  for (let i = 0; i < probe.rows; i++) {
    const row = probe.data.slice(3 * i, 3 * i + 3);
    const c = explain(row);
    assert.ok(Math.abs(c.base - base) < 1e-12, `${c.base} vs ${base}`);
    assert.equal(c.prediction, predicted[i]);
    const total = c.base + c.values.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(total - c.prediction) < 1e-12, `row ${i}: ${total} vs ${c.prediction}`);
    assert.ok(Math.abs(c.values[0]) > Math.abs(c.values[2]), "the noise column matters least");
  }
});

Deno.test("random forest rejects bad inputs and params", () => {
  assert.throws(() => fitRandomForest(x, new Float64Array(3), {}, 1), /120 rows but y has 3/);
  assert.throws(() => fitRandomForest(x, y.map(() => NaN), {}, 1), /finite/);
  const forest = fitRandomForest(x, y, { nEstimators: 2 }, 1);
  assert.throws(() => forest.predict(matrix(1, 3)), /2 features, got 3/);
  assert.throws(() => fitRandomForest(x, y, { trees: 3 } as never, 1));
  assert.throws(() => fitRandomForest(x, y, { minNumSamples: 3 } as never, 1));
});
