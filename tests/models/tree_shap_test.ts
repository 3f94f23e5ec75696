/**
 * Path-dependent TreeSHAP against its definition: on small trees, Shapley values
 * computed by enumerating every feature subset, with the tree's path-dependent
 * conditional expectation as the value of a subset, equal the algorithm's to 1e-12.
 */
import assert from "node:assert/strict";
import { type Matrix, matrix } from "../../pipeline/core/matrix.ts";
import { type Random, seededRandom } from "../../pipeline/core/random.ts";
import { ExplanationUnavailableError } from "../../pipeline/models/contributions.ts";
import { predictTreeRow, type Tree, TreeBuilder } from "../../pipeline/models/gbm/tree.ts";
import { type CoveredTree, expectedValue, treeShap } from "../../pipeline/models/gbm/tree_shap.ts";
import { fitGbm, GbmParamsSchema, loadGbm } from "../../pipeline/models/gbm/mod.ts";
import type { SerializedModel } from "../../pipeline/models/regressor.ts";

/** The tree's expectation given the features in `known` (a bit mask), along its paths. */
function conditionalExpectation(
  tree: CoveredTree,
  x: Float64Array,
  known: number,
  node = 0,
): number {
  const f = tree.feature[node];
  if (f < 0) return tree.value[node];
  const { left, right, cover } = tree;
  if (known & (1 << f)) {
    const v = x[f];
    const goLeft = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= tree.threshold[node];
    return conditionalExpectation(tree, x, known, goLeft ? left[node] : right[node]);
  }
  return (cover[left[node]] * conditionalExpectation(tree, x, known, left[node]) +
    cover[right[node]] * conditionalExpectation(tree, x, known, right[node])) / cover[node];
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** Shapley values by enumerating the 2^M subsets of the M features. */
function bruteForceShapley(tree: CoveredTree, x: Float64Array, m: number): Float64Array {
  const phi = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < 1 << m; s++) {
      if (s & (1 << i)) continue;
      let size = 0;
      for (let k = 0; k < m; k++) if (s & (1 << k)) size++;
      const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i] += weight *
        (conditionalExpectation(tree, x, s | (1 << i)) - conditionalExpectation(tree, x, s));
    }
  }
  return phi;
}

/**
 * A random tree of at most `depth` splits over `m` features, features repeating on a
 * path, with covers from a random split of `rows` training rows at every node.
 */
function randomTree(rng: Random, depth: number, m: number, rows: number): CoveredTree {
  const b = new TreeBuilder();
  const grow = (level: number, count: number): number => {
    if (level === depth || count < 2 || rng.next() < 0.15) {
      return b.leaf(Math.round((rng.next() * 2 - 1) * 1000) / 1000, count);
    }
    const node = b.split(rng.int(m), Math.round(rng.next() * 100) / 100, rng.next() < 0.5, count);
    const leftCount = 1 + rng.int(count - 1);
    const l = grow(level + 1, leftCount);
    const r = grow(level + 1, count - leftCount);
    b.setChildren(node, l, r);
    return node;
  };
  grow(0, rows);
  return b.build() as CoveredTree;
}

function randomRow(rng: Random, m: number, missingRate = 0): Float64Array {
  return Float64Array.from(
    { length: m },
    () => (rng.next() < missingRate ? NaN : Math.round(rng.next() * 100) / 100),
  );
}

Deno.test("TreeSHAP equals brute-force path-dependent Shapley values on small trees", () => {
  const rng = seededRandom(11);
  let worst = 0, checked = 0;
  for (let t = 0; t < 300; t++) {
    const m = 1 + rng.int(6); // 1 to 6 features
    const tree = randomTree(rng, 1 + rng.int(3), m, 20 + rng.int(200)); // depth 1 to 3
    for (let r = 0; r < 5; r++) {
      const x = randomRow(rng, m, 0.1);
      const phi = new Float64Array(m);
      treeShap(tree, x, 0, phi);
      const exact = bruteForceShapley(tree, x, m);
      for (let i = 0; i < m; i++) worst = Math.max(worst, Math.abs(phi[i] - exact[i]));
      const sum = phi.reduce((s, v) => s + v, expectedValue(tree));
      assert.ok(Math.abs(sum - predictTreeRow(tree, x, 0)) < 1e-12, "local accuracy");
      checked++;
    }
  }
  assert.ok(worst < 1e-12, `largest difference from brute force: ${worst}`);
  assert.equal(checked, 1500);
});

Deno.test("a feature split on twice along a path is unwound and counted once", () => {
  // x0 <= 0.5 ? (x0 <= 0.2 ? 1 : 2) : (x1 <= 0.5 ? 3 : 4); covers 10 = 6 + 4 = (2 + 4) + (1 + 3)
  const b = new TreeBuilder();
  const root = b.split(0, 0.5, false, 10);
  const inner = b.split(0, 0.2, false, 6);
  b.setChildren(inner, b.leaf(1, 2), b.leaf(2, 4));
  const other = b.split(1, 0.5, false, 4);
  b.setChildren(other, b.leaf(3, 1), b.leaf(4, 3));
  b.setChildren(root, inner, other);
  const tree = b.build() as CoveredTree;
  for (const x of [[0.1, 0.9], [0.3, 0.1], [0.9, 0.9], [0.9, 0.1]]) {
    const row = Float64Array.from(x);
    const phi = new Float64Array(2);
    treeShap(tree, row, 0, phi);
    const exact = bruteForceShapley(tree, row, 2);
    assert.ok(Math.abs(phi[0] - exact[0]) < 1e-12 && Math.abs(phi[1] - exact[1]) < 1e-12);
  }
});

/** `n` rows of `cols` uniform features on a 0.01 grid. */
function gridData(n: number, cols: number, seed: number): Matrix {
  const rng = seededRandom(seed);
  return matrix(n, cols, Float64Array.from({ length: n * cols }, () => rng.int(101) / 100));
}

Deno.test("a fitted gbm of depth 3 on 6 features: every tree matches brute force, and the forest sums to its prediction", () => {
  const x = gridData(300, 6, 5);
  const y = Float64Array.from({ length: x.rows }, (_, i) => {
    const r = x.data.subarray(i * 6, i * 6 + 6);
    return r[0] * r[1] + Math.sin(3 * r[2]) - (r[3] > 0.5 ? 0.4 : 0);
  });
  const params = GbmParamsSchema.parse({ nEstimators: 30, maxDepth: 3, learningRate: 0.2 });
  const model = fitGbm(x, y, params, 3);
  const saved = model.serialize();
  assert.equal(saved.formatVersion, 2);
  const state = saved.state as {
    trees: { cover: number[]; feature: number[]; left: number[]; right: number[] }[];
  };
  // Covers add up: every split's rows are its children's, and the root has the sample.
  for (const tree of state.trees) {
    assert.equal(tree.cover[0], Math.round(300 * params.subsample));
    tree.feature.forEach((f, i) => {
      if (f >= 0) assert.equal(tree.cover[tree.left[i]] + tree.cover[tree.right[i]], tree.cover[i]);
    });
  }
  const loaded = loadGbm(JSON.parse(JSON.stringify(saved)));
  const explain = loaded.explainer!({ inputMean: [], background: matrix(1, 6) });
  const trees = (JSON.parse(JSON.stringify(saved)).state.trees as Record<string, number[]>[])
    .map((t): CoveredTree => ({
      feature: Int32Array.from(t.feature),
      threshold: Float64Array.from(t.threshold),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      missingLeft: Uint8Array.from(t.missingLeft),
      value: Float64Array.from(t.value),
      cover: Float64Array.from(t.cover),
    }));
  for (let i = 0; i < 20; i++) {
    const row = x.data.slice(i * 6, i * 6 + 6);
    const { base, prediction, values } = explain(row);
    assert.equal(prediction, model.predict(matrix(1, 6, row))[0]);
    assert.ok(Math.abs(values.reduce((s, v) => s + v, base) - prediction) < 1e-9);
    const summed = new Float64Array(6);
    for (const tree of trees) {
      const exact = bruteForceShapley(tree, row, 6);
      exact.forEach((v, j) => summed[j] += v);
    }
    summed.forEach((v, j) => assert.ok(Math.abs(v - values[j]) < 1e-12, `feature ${j}`));
  }
});

Deno.test("a gbm stored without covers (format version 1) still predicts, and says explaining needs a retrained model", () => {
  const x = gridData(100, 2, 1);
  const model = fitGbm(
    x,
    x.data.filter((_, k) => k % 2 === 0),
    GbmParamsSchema.parse({ nEstimators: 5 }),
    1,
  );
  const saved = JSON.parse(JSON.stringify(model.serialize())) as SerializedModel;
  const state = saved.state as { trees: Record<string, unknown>[] };
  const old: SerializedModel = {
    family: "gbm",
    formatVersion: 1,
    state: { ...state, trees: state.trees.map(({ cover: _, ...tree }) => tree) },
  };
  const loaded = loadGbm(old);
  assert.deepEqual(loaded.predict(x), model.predict(x));
  assert.equal(loaded.serialize().formatVersion, 1);
  assert.throws(
    () => loaded.explainer!({ inputMean: [], background: matrix(1, 2) }),
    (e: Error) =>
      e instanceof ExplanationUnavailableError && /without node covers/.test(e.message) &&
      /retrained/.test(e.message),
  );
  // Version 2 insists on its covers.
  assert.throws(() => loadGbm({ ...old, formatVersion: 2 }), /needs a cover on every tree/);
});

Deno.test("a missing value follows the split's learned side in explanations as in prediction", () => {
  const b = new TreeBuilder();
  const root = b.split(0, 0.5, true, 8);
  b.setChildren(root, b.leaf(-1, 2), b.leaf(1, 6));
  const tree: Tree = b.build();
  const phi = new Float64Array(1);
  treeShap(tree as CoveredTree, Float64Array.of(NaN), 0, phi);
  // E = 0.5; NaN goes left (-1): the feature moved the prediction by -1.5.
  assert.deepEqual([...phi], [-1.5]);
});
