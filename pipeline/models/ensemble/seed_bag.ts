/**
 * Seed bagging: several fits of one estimator that differ only in their seed (row and
 * feature sampling, initial weights), averaged with equal weights. It lowers the
 * variance a single seed leaves in the predictions of a randomised family (a network,
 * subsampled boosted trees) without changing its bias. The bag is an ordinary
 * {@linkcode ensemble} of the one family, so it serialises, loads and explains as any
 * ensemble does.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import type { Estimator, Regressor } from "../regressor.ts";
import { ensemble } from "./ensemble.ts";

/**
 * Fits `estimator` `seeds` times, with seeds `seed`, `seed + 1`, ..., and averages the
 * fits; one seed returns the single fit itself (no ensemble around it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { constantModel } from "../constant/constant_model.ts";
 * import { fitSeedBag } from "./seed_bag.ts";
 *
 * // An estimator whose fit is its seed, to show which seeds are used.
 * const bySeed = { family: "seed", fit: (_x: unknown, _y: unknown, _p: unknown, seed: number) => constantModel("seed", seed) };
 * const x = fromRows([[0]]);
 * const bag = await fitSeedBag(bySeed, x, Float64Array.of(0), {}, 10, 3);
 * assert.equal(bag.family, "ensemble");
 * assert.deepEqual(bag.predict(x), Float64Array.of(11)); // the mean of seeds 10, 11, 12
 * assert.equal((await fitSeedBag(bySeed, x, Float64Array.of(0), {}, 10, 1)).family, "seed");
 * ```
 */
export async function fitSeedBag<P>(
  estimator: Estimator<P>,
  x: Matrix,
  y: Float64Array,
  params: P,
  seed: number,
  seeds: number,
): Promise<Regressor> {
  if (!Number.isInteger(seeds) || seeds < 1) {
    throw new RangeError(`a seed bag needs a whole number of seeds >= 1: ${seeds}`);
  }
  const fits: Regressor[] = [];
  for (let k = 0; k < seeds; k++) fits.push(await estimator.fit(x, y, params, seed + k));
  return seeds === 1 ? fits[0] : ensemble(fits);
}
