import assert from "node:assert/strict";
import { matrix } from "../../pipeline/core/matrix.ts";
import { type Random, seededRandom } from "../../pipeline/core/random.ts";
import { type Forest, predictForest } from "../../pipeline/models/gbm/forest.ts";
import {
  MAX_PACKED_DEPTH,
  packForest,
  predictPacked,
  treeDepth,
} from "../../pipeline/models/gbm/packed_forest.ts";
import { type Tree, TreeBuilder } from "../../pipeline/models/gbm/tree.ts";

const FEATURES = 6;

/** A random tree whose leaves sit at depths between 0 and `maxDepth`. */
function randomTree(rng: Random, maxDepth: number, exactDepth = false): Tree {
  const builder = new TreeBuilder();
  const grow = (level: number): number => {
    const stop = level === maxDepth || (!exactDepth && rng.next() < 0.3);
    // Divided by 3: full-precision leaf values, whose sums round like a real model's.
    if (stop) return builder.leaf((rng.next() - 0.5) / 3);
    const node = builder.split(rng.int(FEATURES), rng.int(101) / 100, rng.next() < 0.5);
    const left = grow(level + 1);
    const right = grow(level + 1);
    builder.setChildren(node, left, right);
    return node;
  };
  grow(0);
  return builder.build();
}

function randomForest(seed: number, trees: number, maxDepth: number): Forest {
  const rng = seededRandom(seed);
  return {
    nFeatures: FEATURES,
    baseScore: rng.next(),
    trees: Array.from({ length: trees }, () => randomTree(rng, maxDepth)),
  };
}

/** Rows on the thresholds' 0.01 grid, so many values equal a threshold exactly. */
function gridRows(seed: number, rows: number, missingRate: number) {
  const rng = seededRandom(seed);
  return matrix(
    rows,
    FEATURES,
    Float64Array.from(
      { length: rows * FEATURES },
      () => rng.next() < missingRate ? NaN : rng.int(101) / 100,
    ),
  );
}

function assertClose(actual: Float64Array, expected: Float64Array) {
  assert.equal(actual.length, expected.length);
  // Packed trees are summed four at a time, so the last bits of a sum may differ.
  expected.forEach((e, i) =>
    assert.ok(Math.abs(actual[i] - e) < 1e-12, `row ${i}: ${actual[i]} vs ${e}`)
  );
}

Deno.test("packed forests predict what the node-by-node walk predicts", () => {
  for (const [seed, trees, depth] of [[1, 1, 0], [2, 3, 1], [3, 7, 3], [4, 33, 4], [5, 10, 7]]) {
    const forest = randomForest(seed, trees, depth);
    const packed = packForest(forest);
    assert.ok(packed, `depth ${depth} is packed`);
    const x = gridRows(seed, 500, 0);
    assertClose(predictPacked(packed, x), predictForest(forest, x));
  }
});

Deno.test("rows with missing values follow each split's learned missing side", () => {
  const forest = randomForest(11, 25, 5);
  const x = gridRows(12, 400, 0.2);
  const packed = packForest(forest)!;
  assertClose(predictPacked(packed, x), predictForest(forest, x));
  // Flipping the missing sides changes those rows' predictions: the test can tell.
  const flipped: Forest = {
    ...forest,
    trees: forest.trees.map((t) => ({ ...t, missingLeft: t.missingLeft.map((m) => 1 - m) })),
  };
  const differs = predictPacked(packForest(flipped)!, x).some((v, i) =>
    Math.abs(v - predictForest(forest, x)[i]) > 1e-9
  );
  assert.ok(differs);
});

Deno.test("forests deeper than the packing limit are left to the walk", () => {
  const rng = seededRandom(21);
  const deep = randomTree(rng, MAX_PACKED_DEPTH + 1, true);
  assert.equal(treeDepth(deep), MAX_PACKED_DEPTH + 1);
  assert.equal(packForest({ nFeatures: FEATURES, baseScore: 0, trees: [deep] }), undefined);
  const limit = randomTree(rng, MAX_PACKED_DEPTH, true);
  assert.ok(packForest({ nFeatures: FEATURES, baseScore: 0, trees: [limit] }));
});

Deno.test("packed prediction checks the number of features", () => {
  const packed = packForest(randomForest(31, 4, 2))!;
  assert.throws(() => predictPacked(packed, matrix(1, FEATURES - 1)), /expects 6 features, got 5/);
});

Deno.test("a row's prediction does not depend on the rows batched with it", () => {
  // Complete rows are walked in pairs; rows with gaps break the pairs up.
  // Enough trees and rows that summing in another order would show in the last bits.
  const forest = randomForest(41, 203, 4);
  const packed = packForest(forest)!;
  const x = gridRows(42, 41, 0.01);
  const together = predictPacked(packed, x);
  for (let i = 0; i < x.rows; i++) {
    const alone = predictPacked(
      packed,
      matrix(1, FEATURES, x.data.slice(i * FEATURES, (i + 1) * FEATURES)),
    );
    assert.equal(alone[0], together[i], `row ${i}`);
  }
});
