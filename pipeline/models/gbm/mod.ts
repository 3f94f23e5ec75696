/**
 * Histogram-based gradient-boosted regression trees in pure TypeScript.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gbmEstimator, GbmParamsSchema, loadGbm } from "./mod.ts";
 * import { matrix } from "../../core/matrix.ts";
 *
 * const x = matrix(100, 1, Float64Array.from({ length: 100 }, (_, i) => i / 100));
 * const y = x.data.map((v) => 2 * v);
 * const model = await gbmEstimator.fit(x, y, GbmParamsSchema.parse({ nEstimators: 50 }), 7);
 * const copy = loadGbm(model.serialize());
 * assert.equal(copy.family, "gbm");
 * assert.deepEqual(copy.predict(x), model.predict(x));
 * ```
 *
 * @module
 */
export { fitGbm, gbmEstimator } from "./gbm.ts";
export { type GbmRegressor, loadGbm } from "./gbm_model.ts";
export { type GbmParams, GbmParamsSchema } from "./gbm_params.ts";
export { GBM_FAMILY, GBM_FORMAT_VERSION, type GbmState, GbmStateSchema } from "./gbm_state.ts";
