/**
 * The fitted gradient-boosted trees regressor and its loader.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { checkSerialized, type Regressor, type SerializedModel } from "../regressor.ts";
import { type Forest, predictForest } from "./forest.ts";
import { packForest, predictPacked } from "./packed_forest.ts";
import { forestFromState, forestToState, GBM_FAMILY, GBM_FORMAT_VERSION } from "./gbm_state.ts";

/** A fitted boosted ensemble; `nTrees` is the number of trees kept after early stopping. */
export interface GbmRegressor extends Regressor {
  readonly nTrees: number;
}

/** Wraps a fitted ensemble as a {@linkcode Regressor}. */
export function gbmRegressor(forest: Forest): GbmRegressor {
  const packed = packForest(forest);
  return {
    family: GBM_FAMILY,
    nTrees: forest.trees.length,
    predict: (x: Matrix) => packed ? predictPacked(packed, x) : predictForest(forest, x),
    serialize: () => ({
      family: GBM_FAMILY,
      formatVersion: GBM_FORMAT_VERSION,
      state: forestToState(forest),
    }),
  };
}

/**
 * Rebuilds a boosted-trees regressor from its serialised form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "../../core/matrix.ts";
 * import { loadGbm } from "./gbm_model.ts";
 * import { fitGbm, GbmParamsSchema } from "./mod.ts";
 *
 * const x = matrix(50, 1, Float64Array.from({ length: 50 }, (_, i) => i));
 * const model = fitGbm(x, x.data.map((v) => v % 2), GbmParamsSchema.parse({ nEstimators: 5 }), 1);
 * const copy = loadGbm(JSON.parse(JSON.stringify(model.serialize())));
 * assert.equal(copy.nTrees, 5);
 * assert.deepEqual(copy.predict(x), model.predict(x));
 * ```
 */
export function loadGbm(model: SerializedModel): GbmRegressor {
  checkSerialized(model, GBM_FAMILY, GBM_FORMAT_VERSION);
  return gbmRegressor(forestFromState(model.state));
}
