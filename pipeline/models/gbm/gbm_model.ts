/**
 * The fitted gradient-boosted trees regressor and its loader.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import {
  checkSerialized,
  ModelFormatError,
  type Regressor,
  type SerializedModel,
} from "../regressor.ts";
import { type Forest, predictForest } from "./forest.ts";
import { forestExplainer } from "./forest_shap.ts";
import { packForest, predictPacked } from "./packed_forest.ts";
import {
  forestFromState,
  forestToState,
  formatVersionOf,
  GBM_FAMILY,
  GBM_FORMAT_VERSION,
  GBM_FORMAT_VERSION_WITHOUT_COVER,
} from "./gbm_state.ts";

/** A fitted boosted ensemble; `nTrees` is the number of trees kept after early stopping. */
export interface GbmRegressor extends Regressor {
  readonly nTrees: number;
}

/** Wraps a fitted ensemble as a {@linkcode Regressor}. */
export function gbmRegressor(forest: Forest): GbmRegressor {
  const packed = packForest(forest);
  const predict = (x: Matrix) => packed ? predictPacked(packed, x) : predictForest(forest, x);
  return {
    family: GBM_FAMILY,
    nTrees: forest.trees.length,
    predict,
    serialize: () => ({
      family: GBM_FAMILY,
      formatVersion: formatVersionOf(forest),
      state: forestToState(forest),
    }),
    // Path-dependent TreeSHAP: exact, and it needs no background rows.
    explainer: () => forestExplainer(forest, predict),
  };
}

/**
 * Rebuilds a boosted-trees regressor from its serialised form: format version 2, or
 * version 1 (no node covers: it predicts, but cannot be explained).
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
  const old = model.formatVersion === GBM_FORMAT_VERSION_WITHOUT_COVER;
  checkSerialized(model, GBM_FAMILY, old ? GBM_FORMAT_VERSION_WITHOUT_COVER : GBM_FORMAT_VERSION);
  const forest = forestFromState(model.state);
  if (!old && formatVersionOf(forest) !== GBM_FORMAT_VERSION) {
    throw new ModelFormatError(
      `a gbm model of format version ${GBM_FORMAT_VERSION} needs a cover on every tree`,
    );
  }
  return gbmRegressor(forest);
}
