/**
 * The "ols" family: ordinary least squares with an intercept, solved through the
 * eigen-decomposition of the centred, column-scaled `XᵀX`. Directions whose eigenvalue
 * falls below a relative cut-off are dropped, which gives the minimum-norm solution when
 * columns are (nearly) collinear instead of the huge opposite-signed coefficients a
 * plain normal-equation solve produces.
 *
 * @module
 */
import { spectralSolve, symmetricEigen } from "../../core/linear_algebra.ts";
import type { Matrix } from "../../core/matrix.ts";
import { centredGram, interceptFor } from "../linear/centred_gram.ts";
import { linearModel, type LinearRegressor } from "../linear/linear_model.ts";
import type { PreparableEstimator } from "../preparable.ts";
import { OLS, type OlsParams, OlsParamsSchema } from "./ols_model.ts";

/**
 * Fits OLS; columns with zero variance get a zero coefficient. `prepare` decomposes
 * once for several cut-offs. Deterministic: `seed` is ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { olsEstimator } from "./ols.ts";
 *
 * const x = fromRows([[1, 0], [2, 1], [3, 0], [4, 1]]);
 * const y = new Float64Array([3, 6, 7, 10]); // 2·x₁ + x₂ + 1
 * const model = olsEstimator.fit(x, y, {}, 0);
 * const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;
 * assert.ok(close(model.coefficients[0], 2) && close(model.coefficients[1], 1));
 * assert.ok(close(model.intercept, 1));
 * ```
 */
export const olsEstimator = {
  family: OLS,
  prepare(x: Matrix, y: Float64Array, _seed?: number) {
    const g = centredGram(x, y, OLS);
    const p = g.cols;
    // Scaling to unit column norm makes the cut-off independent of each column's units.
    const scale = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      const norm = Math.sqrt(g.gram[j * p + j]);
      scale[j] = norm > 0 ? 1 / norm : 0;
    }
    const scaled = new Float64Array(p * p);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) scaled[j * p + k] = g.gram[j * p + k] * scale[j] * scale[k];
    }
    const eigen = symmetricEigen(scaled, p);
    const largest = Math.max(0, ...eigen.values);
    const rhs = g.xty.map((v, j) => v * scale[j]);
    return (params: OlsParams): LinearRegressor => {
      const cutoff = OlsParamsSchema.parse(params).rcond * largest;
      const solution = spectralSolve(eigen, rhs, (l) => (l > cutoff ? 1 / l : 0));
      const coefficients = solution.map((v, j) => v * scale[j]);
      return linearModel(OLS, coefficients, interceptFor(g, coefficients));
    };
  },
  fit(x: Matrix, y: Float64Array, params: OlsParams, _seed?: number): LinearRegressor {
    return olsEstimator.prepare(x, y)(params);
  },
} satisfies PreparableEstimator<OlsParams>;
