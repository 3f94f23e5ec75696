/**
 * The "random_forest" family's fit: bagged CART regression trees grown on the boosted
 * trees' binned features (`./grow_forest_tree.ts`), each on a bootstrap sample of the
 * rows, with features drawn afresh at every split and leaves holding row means (no
 * shrinkage). Missing values (NaN) are routed natively, as the boosted trees do.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { seededRandom } from "../../core/random.ts";
import type { Estimator } from "../regressor.ts";
import { binMatrix, fitBinMapper } from "../gbm/binning.ts";
import type { CoveredTree } from "../gbm/tree_shap.ts";
import { forestTreeGrower } from "./grow_forest_tree.ts";
import { type RandomForestParams, RandomForestParamsSchema } from "./random_forest_params.ts";
import {
  RANDOM_FOREST,
  type RandomForestRegressor,
  randomForestRegressor,
} from "./random_forest_model.ts";

/**
 * Fits a random forest to `x` (NaN = missing) and `y`. Tree `t` is grown from its own
 * seed, drawn in turn from `seed`, so the first trees of a larger forest are the trees
 * of a smaller one; the same seed always gives the same forest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { rmse } from "../../core/statistics.ts";
 * import { fitRandomForest } from "./random_forest.ts";
 *
 * const x = matrix(200, 2, Float64Array.from({ length: 400 }, (_, i) => (i * 0.37) % 1));
 * const y = Float64Array.from({ length: 200 }, (_, i) => (x.data[2 * i] > 0.5 ? 1 : 0));
 * const forest = fitRandomForest(x, y, { nEstimators: 20, maxFeatures: 0.5 }, 3);
 * assert.equal(forest.nEstimators, 20);
 * assert.ok(rmse(y, forest.predict(x)) < 0.1);
 * assert.deepEqual(fitRandomForest(x, y, { nEstimators: 20, maxFeatures: 0.5 }, 3).predict(x), forest.predict(x));
 * ```
 */
export function fitRandomForest(
  x: Matrix,
  y: Float64Array,
  params: RandomForestParams,
  seed: number,
): RandomForestRegressor {
  const p = RandomForestParamsSchema.parse(params);
  if (y.length !== x.rows) throw new RangeError(`x has ${x.rows} rows but y has ${y.length}`);
  if (x.rows === 0) throw new RangeError("cannot fit on zero rows");
  if (!y.every(Number.isFinite)) throw new RangeError("y must be finite");
  const all = Int32Array.from({ length: x.rows }, (_, i) => i);
  const mapper = fitBinMapper(x, all, p.maxBins);
  const grow = forestTreeGrower(binMatrix(mapper, x), mapper, y, {
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesLeaf: p.minSamplesLeaf,
    // Floored like scikit-learn's float `max_features`.
    maxFeatures: Math.max(1, Math.floor(p.maxFeatures * x.cols)),
  });
  const seeds = seededRandom(seed);
  const weights = new Float64Array(x.rows);
  const trees: CoveredTree[] = [];
  for (let t = 0; t < p.nEstimators; t++) {
    const rng = seededRandom(Math.floor(seeds.next() * 2 ** 32));
    if (p.bootstrap) {
      weights.fill(0);
      for (let i = 0; i < x.rows; i++) weights[rng.int(x.rows)]++;
    } else {
      weights.fill(1);
    }
    trees.push(grow(weights, rng));
  }
  return randomForestRegressor(x.cols, trees);
}

/** The random forest family, for use wherever an {@linkcode Estimator} is expected. */
export const randomForestEstimator = {
  family: RANDOM_FOREST,
  fit: fitRandomForest,
} satisfies Estimator<RandomForestParams>;
