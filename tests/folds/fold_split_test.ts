import assert from "node:assert/strict";
import { foldSplits, rowsWhere } from "../../pipeline/folds/fold_split.ts";

Deno.test("fold splits test each fold once and train on the others", () => {
  const splits = foldSplits([1, 2, 3, 1, 2, 3, 4], [1, 2, 3]);
  assert.deepEqual(splits.map((s) => Array.from(s.test)), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(Array.from(splits[0].train), [1, 2, 4, 5]);
});

Deno.test("rowsWhere keeps the rows of the chosen folds, in row order", () => {
  const folds = new Float64Array([10, 1, 10, 2, 3]);
  assert.deepEqual(Array.from(rowsWhere(folds, (f) => f === 10)), [0, 2]);
  assert.deepEqual(Array.from(rowsWhere(folds, (f) => [1, 2].includes(f))), [1, 3]);
  assert.deepEqual(Array.from(rowsWhere(folds, () => false)), []);
});
