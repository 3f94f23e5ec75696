// Generated from notebooks/04_evaluation.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * Permutation feature importance: how much the RMSE grows when one input column is
 * shuffled, breaking its link with the target while keeping its distribution.
 *
 * @module
 */
import { type Matrix, matrix } from "../core/matrix.ts";
import { permutation, seededRandom } from "../core/random.ts";
import { meanStd, rmse } from "../core/statistics.ts";

/** The importance of one column. */
export interface Importance {
  readonly feature: string;
  /** Mean RMSE increase over the repeats. */
  readonly importance: number;
  readonly std: number;
}

/**
 * Computes permutation importance of every column of `x` for `predict`, sorted from the
 * most to the least important.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows, type Matrix } from "../core/matrix.ts";
 * import { permutationImportance } from "./permutation_importance.ts";
 *
 * const x = fromRows([[1, 5], [2, 5], [3, 5], [4, 5]]);
 * const y = new Float64Array([2, 4, 6, 8]);
 * // A model that uses only the first column: y = 2·a.
 * const predict = (m: Matrix) =>
 *   Float64Array.from({ length: m.rows }, (_, i) => 2 * m.data[i * m.cols]);
 * const ranked = permutationImportance(predict, x, y, ["a", "b"], 5, 42);
 * assert.deepEqual(ranked.map((r) => r.feature), ["a", "b"]);
 * assert.equal(ranked[1].importance, 0); // shuffling a constant column changes nothing
 * ```
 */
export function permutationImportance(
  predict: (x: Matrix) => Float64Array,
  x: Matrix,
  y: Float64Array,
  names: readonly string[],
  repeats: number,
  seed: number,
): Importance[] {
  const baseline = rmse(y, predict(x));
  const rng = seededRandom(seed);
  const shuffled = matrix(x.rows, x.cols, new Float64Array(x.data));
  const result = names.map((feature, j) => {
    const increases: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = permutation(x.rows, rng);
      for (let i = 0; i < x.rows; i++) {
        shuffled.data[i * x.cols + j] = x.data[order[i] * x.cols + j];
      }
      increases.push(rmse(y, predict(shuffled)) - baseline);
    }
    for (let i = 0; i < x.rows; i++) shuffled.data[i * x.cols + j] = x.data[i * x.cols + j];
    const { mean, std } = meanStd(increases);
    return { feature, importance: mean, std };
  });
  return result.sort((a, b) => b.importance - a.importance);
}
