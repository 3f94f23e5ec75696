/**
 * Seeded K-fold assignment, for data without a fold column of its own (the built-in
 * `fold` column is the default for this data set; see `fold_split.ts`).
 *
 * @module
 */
import { permutation, seededRandom } from "../core/random.ts";

/**
 * Assigns each of `n` rows a fold id in `1..k`, shuffled by `seed`; fold sizes differ
 * by at most one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededFoldIds } from "./seeded_folds.ts";
 *
 * const ids = seededFoldIds(10, 5, 42);
 * for (let fold = 1; fold <= 5; fold++) assert.equal(ids.filter((f) => f === fold).length, 2);
 * assert.deepEqual(seededFoldIds(10, 5, 42), ids); // the same seed, the same folds
 * ```
 */
export function seededFoldIds(n: number, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new RangeError(`need 2 <= k <= ${n} folds, got ${k}`);
  }
  const order = permutation(n, seededRandom(seed));
  const ids = new Int32Array(n);
  order.forEach((row, i) => ids[row] = (i % k) + 1);
  return ids;
}
