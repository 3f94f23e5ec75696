import assert from "node:assert/strict";
import { matrix } from "../../pipeline/core/matrix.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import { binMatrix, fitBinMapper } from "../../pipeline/models/gbm/binning.ts";
import { subtractLeaves, treeGrower } from "../../pipeline/models/gbm/grow_tree.ts";
import { predictTreeRow } from "../../pipeline/models/gbm/tree.ts";

const rng = seededRandom(11);
const n = 600, cols = 6;
const x = matrix(
  n,
  cols,
  Float64Array.from({ length: n * cols }, () => (rng.next() < 0.05 ? NaN : rng.int(101) / 100)),
);
const residuals = Float64Array.from(
  { length: n },
  (_, i) => (x.data[i * cols] > 0.5 ? 1 : 0) + 0.3 * rng.next(),
);
const all = Int32Array.from({ length: n }, (_, i) => i);
const mapper = fitBinMapper(x, all, 256);
const binned = binMatrix(mapper, x);
const options = { maxDepth: 4, minSamplesLeaf: 10, lambda: 1, learningRate: 0.5 };
const every = Int32Array.from({ length: cols }, (_, j) => j);

Deno.test("trees grown again on the same rows, from known root counts, are the same", () => {
  const grow = treeGrower(binned, mapper, options);
  // The first call counts the root's rows, the second stores the counts, the third
  // reuses them; a fresh grower counts every time.
  const trees = [0, 1, 2].map(() => grow(residuals, all.slice(), every).tree);
  const fresh = treeGrower(binned, mapper, options)(residuals, all.slice(), every).tree;
  for (const tree of trees) assert.deepEqual(tree, fresh);
  // Other rows in between: the counts are not reused for them.
  const half = all.filter((r) => r % 2 === 0);
  const other = grow(residuals, half.slice(), every).tree;
  assert.deepEqual(other, treeGrower(binned, mapper, options)(residuals, half, every).tree);
});

Deno.test("subtracting leaf values equals subtracting each row's prediction", () => {
  for (const features of [every, Int32Array.of(0, 3)]) {
    const rows = all.filter((r) => r % 3 !== 0);
    const { tree } = treeGrower(binned, mapper, options)(residuals, rows, features);
    const expected = residuals.slice();
    for (const r of rows) expected[r] -= predictTreeRow(tree, x.data, r * cols);
    const actual = residuals.slice();
    subtractLeaves(actual, tree, rows);
    assert.deepEqual(actual, expected);
  }
});
