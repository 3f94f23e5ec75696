/**
 * The "elastic_net" family: least squares with a mixed L1/L2 penalty, fitted by cyclic
 * coordinate descent on standardised inputs with covariance updates (the Gram matrix is
 * formed once, so a sweep costs O(p²) whatever the row count). The objective, in the
 * standardised scale, is
 * `Σ (y − ŷ)² / 2n + alpha · (l1Ratio · |β|₁ + (1 − l1Ratio) / 2 · |β|²)`;
 * the penalty therefore treats every column alike whatever its units, and the
 * coefficients are reported back in the original scale.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import { centredGram, interceptFor } from "../linear/centred_gram.ts";
import { type LinearFamily, linearModel, type LinearRegressor } from "../linear/linear_model.ts";
import type { PreparableEstimator } from "../preparable.ts";
import { ELASTIC_NET, type ElasticNetParams, ElasticNetParamsSchema } from "./elastic_net_model.ts";

/** A fitted model together with how the descent ended. */
export interface ElasticNetFit {
  readonly model: LinearRegressor;
  /** Sweeps performed. */
  readonly iterations: number;
  /** False when `maxIter` sweeps ran out before the tolerance was met. */
  readonly converged: boolean;
}

function softThreshold(z: number, gamma: number): number {
  if (z > gamma) return z - gamma;
  if (z < -gamma) return z + gamma;
  return 0;
}

/**
 * Standardises `(x, y)` once and returns a function fitting any parameter set on it,
 * reporting convergence; `family` is the name the models are stored under ("lasso" fits
 * go through here too).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { prepareElasticNet } from "./elastic_net.ts";
 *
 * const x = fromRows([[1, 0], [2, 1], [3, 0], [4, 1]]);
 * const y = new Float64Array([3, 6, 7, 10]); // 2·x₁ + x₂ + 1
 * const fitOn = prepareElasticNet(x, y, "elastic_net");
 * const { model, converged } = fitOn({ alpha: 0.01, l1Ratio: 0.5 });
 * const [b1, b2] = model.coefficients; // a little below 2 and 1: the penalty shrinks them
 * assert.ok(converged && b1 > 1.9 && b1 < 2 && b2 > 0.9 && b2 < 1);
 * const strong = fitOn({ alpha: 1, l1Ratio: 0.5 }).model; // the same preparation, reused
 * assert.ok(strong.coefficients[0] < b1 && strong.coefficients[1] < b2);
 * ```
 */
export function prepareElasticNet(
  x: Matrix,
  y: Float64Array,
  family: LinearFamily,
): (params: ElasticNetParams) => ElasticNetFit {
  const g = centredGram(x, y, family);
  const { rows: n, cols: p } = g;
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) scale[j] = Math.sqrt(g.gram[j * p + j] / n);
  // Correlations of the standardised columns; constant columns stay at zero.
  const corr = new Float64Array(p * p);
  const rho = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (scale[j] === 0) continue;
    rho[j] = g.xty[j] / (n * scale[j]);
    for (let k = 0; k < p; k++) {
      if (scale[k] > 0) corr[j * p + k] = g.gram[j * p + k] / (n * scale[j] * scale[k]);
    }
  }
  const all = Int32Array.from({ length: p }, (_, j) => j).filter((j) => scale[j] > 0);
  let yy = 0;
  for (const v of y) yy += (v - g.yMean) ** 2 / n;
  return (params) => {
    const { alpha, l1Ratio, tol, maxIter } = ElasticNetParamsSchema.parse(params);
    const l1 = alpha * l1Ratio;
    const l2 = alpha * (1 - l1Ratio);
    const shrink = 1 + l2;
    const beta = new Float64Array(p);
    // fitted[j] = (Rβ)_j, kept current so that each coordinate step costs O(1) to decide.
    const fitted = new Float64Array(p);
    // Duality gap (an upper bound on the distance to the optimal objective) at two dual
    // points built from the residual: θ = r / n, which is exact at the optimum but loose
    // for a tiny L2 term, and θ shrunk into |Zᵀθ − l2·β| <= l1, as in scikit-learn.
    const gap = (): number => {
      let betaRho = 0;
      let betaFitted = 0;
      let l1Norm = 0;
      let l2Norm2 = 0;
      let dualNorm = 0;
      let conjugate = 0;
      for (let j = 0; j < p; j++) {
        const v = rho[j] - fitted[j];
        betaRho += beta[j] * rho[j];
        betaFitted += beta[j] * fitted[j];
        l1Norm += Math.abs(beta[j]);
        l2Norm2 += beta[j] * beta[j];
        dualNorm = Math.max(dualNorm, Math.abs(v - l2 * beta[j]));
        if (Math.abs(v) > l1) conjugate += (Math.abs(v) - l1) ** 2;
      }
      const residual2 = Math.max(0, yy - 2 * betaRho + betaFitted);
      const residualY = yy - betaRho;
      const penalty = l1 * l1Norm;
      const c = dualNorm > l1 ? l1 / dualNorm : 1;
      const shrunk = 0.5 * (residual2 + l2 * l2Norm2) * (1 + c * c) + penalty - c * residualY;
      if (l2 === 0) return shrunk;
      const exact = residual2 + penalty + 0.5 * l2 * l2Norm2 - residualY + conjugate / (2 * l2);
      return Math.min(shrunk, exact);
    };
    let iterations = 0;
    let converged = false;
    while (iterations < maxIter && !converged) {
      iterations++;
      for (const j of all) {
        const old = beta[j];
        const updated = softThreshold(rho[j] - fitted[j] + old, l1) / shrink;
        const delta = updated - old;
        if (delta === 0) continue;
        beta[j] = updated;
        // corr is symmetric: its row j is column j, read contiguously.
        for (let k = 0; k < p; k++) fitted[k] += delta * corr[j * p + k];
      }
      converged = gap() <= tol * yy;
    }
    const coefficients = beta.map((b, j) => (scale[j] > 0 ? b / scale[j] : 0));
    const model = linearModel(family, coefficients, interceptFor(g, coefficients));
    return { model, iterations, converged };
  };
}

/**
 * Fits one elastic net and reports convergence (see {@link prepareElasticNet}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { fitElasticNet } from "./elastic_net.ts";
 *
 * const x = fromRows([[1, 0], [2, 1], [3, 0], [4, 1]]);
 * const y = new Float64Array([3, 6, 7, 10]); // 2·x₁ + x₂ + 1
 * const { model, converged } = fitElasticNet(x, y, { alpha: 0.01, l1Ratio: 1 }, "lasso");
 * assert.ok(converged);
 * assert.equal(model.family, "lasso"); // stored under the family passed
 * const [b1, b2] = model.coefficients; // a little below 2 and 1
 * assert.ok(b1 > 1.9 && b1 < 2 && b2 > 0.9 && b2 < 1);
 * ```
 */
export function fitElasticNet(
  x: Matrix,
  y: Float64Array,
  params: ElasticNetParams,
  family: LinearFamily = ELASTIC_NET,
): ElasticNetFit {
  return prepareElasticNet(x, y, family)(params);
}

/**
 * Fits an elastic net; `prepare` standardises once for many parameter sets.
 * Deterministic: `seed` is ignored.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { elasticNetEstimator } from "./elastic_net.ts";
 *
 * const x = fromRows([[1, 0], [2, 1], [3, 0], [4, 1]]);
 * const y = new Float64Array([3, 6, 7, 10]); // 2·x₁ + x₂ + 1
 * const model = elasticNetEstimator.fit(x, y, { alpha: 0.01, l1Ratio: 0.5 }, 0);
 * const yHat = model.predict(x);
 * assert.ok(yHat.every((v, i) => Math.abs(v - y[i]) < 0.05)); // close to the exact fit
 * const again = elasticNetEstimator.fit(x, y, { alpha: 0.01, l1Ratio: 0.5 }, 1); // another seed
 * assert.deepEqual(again.serialize(), model.serialize()); // the same model
 * ```
 */
export const elasticNetEstimator = {
  family: ELASTIC_NET,
  prepare(x: Matrix, y: Float64Array, _seed?: number) {
    const fitOn = prepareElasticNet(x, y, ELASTIC_NET);
    return (params: ElasticNetParams): LinearRegressor => fitOn(params).model;
  },
  fit(x: Matrix, y: Float64Array, params: ElasticNetParams, _seed?: number): LinearRegressor {
    return fitElasticNet(x, y, params).model;
  },
} satisfies PreparableEstimator<ElasticNetParams>;
