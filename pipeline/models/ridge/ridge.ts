/**
 * The "ridge" family: least squares with an L2 penalty on the coefficients, solved in
 * closed form on centred data so that the intercept is not penalised. The objective is
 * `Σ (y − ŷ)² + alpha · Σ β²` (sum, not mean, of squared errors, as in scikit-learn).
 *
 * @module
 */
import { choleskySolve } from "../../core/linear_algebra.ts";
import type { Matrix } from "../../core/matrix.ts";
import { centredGram, interceptFor } from "../linear/centred_gram.ts";
import { linearModel, type LinearRegressor } from "../linear/linear_model.ts";
import type { PreparableEstimator } from "../preparable.ts";
import { RIDGE, type RidgeParams, RidgeParamsSchema } from "./ridge_model.ts";

/**
 * Fits ridge regression by solving `(XcᵀXc + alpha·I) β = Xcᵀyc`; `prepare` forms the
 * cross products once for many penalties. Deterministic: `seed` is ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { ridgeEstimator } from "./ridge.ts";
 *
 * const x = fromRows([[1, 0], [2, 1], [3, 0], [4, 1]]);
 * const y = new Float64Array([3, 6, 7, 10]); // 2·x₁ + x₂ + 1
 * const model = ridgeEstimator.fit(x, y, { alpha: 3 }, 0);
 * const [b1, b2] = model.coefficients; // shrunk towards 0 from 2 and 1
 * assert.ok(b1 > 0 && b1 < 2 && b2 > 0 && b2 < 1);
 * const meanPrediction = model.predict(x).reduce((s, v) => s + v, 0) / 4;
 * assert.ok(Math.abs(meanPrediction - 6.5) < 1e-12); // the intercept is not penalised
 * ```
 */
export const ridgeEstimator = {
  family: RIDGE,
  prepare(x: Matrix, y: Float64Array, _seed?: number) {
    const g = centredGram(x, y, RIDGE);
    return (params: RidgeParams): LinearRegressor => {
      const { alpha } = RidgeParamsSchema.parse(params);
      const system = Float64Array.from(g.gram);
      for (let j = 0; j < g.cols; j++) system[j * g.cols + j] += alpha;
      const coefficients = choleskySolve(system, g.xty);
      return linearModel(RIDGE, coefficients, interceptFor(g, coefficients));
    };
  },
  fit(x: Matrix, y: Float64Array, params: RidgeParams, _seed?: number): LinearRegressor {
    return ridgeEstimator.prepare(x, y)(params);
  },
} satisfies PreparableEstimator<RidgeParams>;
