/**
 * The "random_forest" family: bagged CART regression trees from `ml-random-forest`.
 * The library draws the feature subset once per tree (random subspaces), not at
 * every split, and it cannot route missing values, so inputs must be imputed.
 *
 * @module
 */
import { RandomForestRegression } from "ml-random-forest";
import type { Matrix } from "../../core/matrix.ts";
import { assertNoMissing } from "../assert_no_missing.ts";
import { type Estimator } from "../regressor.ts";
import {
  RANDOM_FOREST,
  type RandomForestParams,
  RandomForestParamsSchema,
  type RandomForestRegressor,
  toRowArrays,
  wrap,
} from "./random_forest_model.ts";

/** Fits a random forest; `seed` drives both row bagging and feature subsets. */
export const randomForestEstimator = {
  family: RANDOM_FOREST,
  fit(x: Matrix, y: Float64Array, params: RandomForestParams, seed: number): RandomForestRegressor {
    const p = RandomForestParamsSchema.parse(params);
    assertNoMissing(x, RANDOM_FOREST);
    if (y.length !== x.rows) throw new RangeError(`y has ${y.length} values for ${x.rows} rows`);
    const features = Math.max(1, Math.floor(x.cols * p.maxFeatures));
    const forest = new RandomForestRegression({
      nEstimators: p.nEstimators,
      // Values in (0, 1] are read as a share and floored (so 1 would mean all columns);
      // the extra half keeps floating-point error from dropping a feature.
      maxFeatures: features === x.cols ? 1 : (features + 0.5) / x.cols,
      seed: seed | 0,
      // Out-of-bag bookkeeping crashes on small forests and is not used here.
      noOOB: true,
      treeOptions: {
        minNumSamples: p.minNumSamples,
        // The trees only split when the children's squared error exceeds this, so the
        // default 0 refuses exactly the splits that separate the target perfectly.
        gainThreshold: -1,
        ...(p.maxDepth ? { maxDepth: p.maxDepth } : {}),
      },
    });
    forest.train(toRowArrays(x), Array.from(y));
    return wrap(forest, x.cols);
  },
} satisfies Estimator<RandomForestParams>;
