/**
 * The "lasso" family: the elastic net with a pure L1 penalty (`l1Ratio` 1), which sets
 * the coefficients of uninformative columns exactly to zero.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { prepareElasticNet } from "../elastic_net/elastic_net.ts";
import { type LinearRegressor } from "../linear/linear_model.ts";
import type { PreparableEstimator } from "../preparable.ts";
import { LASSO, type LassoParams, LassoParamsSchema } from "./lasso_model.ts";

/**
 * Fits the lasso; `prepare` standardises once for many parameter sets.
 * Deterministic: `seed` is ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { lassoEstimator } from "./lasso.ts";
 *
 * const x = fromRows([[1, 0], [2, 1], [3, 0], [4, 1]]);
 * const y = new Float64Array([3, 6, 7, 10]); // 2·x₁ + x₂ + 1
 * const model = lassoEstimator.fit(x, y, { alpha: 0.01 }, 0);
 * const [b1, b2] = model.coefficients; // a little below 2 and 1
 * assert.ok(b1 > 1.9 && b1 < 2 && b2 > 0.9 && b2 < 1);
 * assert.equal(lassoEstimator.fit(x, y, { alpha: 1 }, 0).coefficients[1], 0); // x₂ dropped
 * ```
 */
export const lassoEstimator = {
  family: LASSO,
  prepare(x: Matrix, y: Float64Array, _seed?: number) {
    const fitOn = prepareElasticNet(x, y, LASSO);
    return (params: LassoParams): LinearRegressor =>
      fitOn({ ...LassoParamsSchema.parse(params), l1Ratio: 1 }).model;
  },
  fit(x: Matrix, y: Float64Array, params: LassoParams, _seed?: number): LinearRegressor {
    return lassoEstimator.prepare(x, y)(params);
  },
} satisfies PreparableEstimator<LassoParams>;
