/**
 * Sampling without replacement for per-tree row and feature subsets.
 *
 * @module
 */
import { permutation, type Random } from "../../core/random.ts";

/**
 * Draws `k` distinct elements of `from` and returns them sorted ascending, which
 * keeps later scans over the sampled rows cache-friendly. Returns a copy of `from`
 * without consuming randomness when `k >= from.length`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../../core/random.ts";
 * import { sampleSorted } from "./sampling.ts";
 *
 * const from = Int32Array.of(0, 1, 2, 3);
 * const half = sampleSorted(from, 2, seededRandom(1));
 * assert.deepEqual(half, Int32Array.of(1, 3)); // distinct, ascending, the same every run
 * assert.deepEqual(sampleSorted(from, 9, seededRandom(1)), from); // all of them: a copy
 * ```
 */
export function sampleSorted(from: Int32Array, k: number, rng: Random): Int32Array {
  if (k >= from.length) return from.slice();
  const order = permutation(from.length, rng);
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = from[order[i]];
  return out.sort();
}
