/**
 * Histogram-based gradient-boosted regression trees in pure TypeScript.
 *
 * @example
 * ```ts
 * import { gbmEstimator, GbmParamsSchema, loadGbm } from "./mod.ts";
 *
 * const model = await gbmEstimator.fit(x, y, GbmParamsSchema.parse({}), 7);
 * const copy = loadGbm(model.serialize());
 * ```
 *
 * @module
 */
export { fitGbm, gbmEstimator } from "./gbm.ts";
export { type GbmRegressor, loadGbm } from "./gbm_model.ts";
export { type GbmParams, GbmParamsSchema } from "./gbm_params.ts";
export { GBM_FAMILY, GBM_FORMAT_VERSION, type GbmState, GbmStateSchema } from "./gbm_state.ts";
