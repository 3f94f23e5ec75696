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
import { z } from "zod";
import type { Matrix } from "../core/matrix.ts";
import { centredGram, interceptFor } from "./centred_gram.ts";
import {
  type LinearFamily,
  linearModel,
  type LinearRegressor,
  loadLinearModel,
} from "./linear_model.ts";
import type { Estimator, SerializedModel } from "./regressor.ts";

/** The family name of the elastic net. */
export const ELASTIC_NET = "elastic_net";

/** Settings of the coordinate descent, shared with the lasso. */
export const CoordinateDescentParamsSchema = z.strictObject({
  /** Penalty strength; tune it (see tuning.ts): the useful range depends on the data. */
  alpha: z.number().min(0).default(1e-3),
  /** Stop when a sweep moves no coefficient by more than `tol` times the largest one. */
  tol: z.number().positive().default(1e-6),
  /** Maximum number of full sweeps over the coefficients. */
  maxIter: z.number().int().positive().default(10_000),
});

/** Hyperparameters of the elastic net. */
export const ElasticNetParamsSchema = CoordinateDescentParamsSchema.extend({
  /** Share of the penalty that is L1: 1 is the lasso, 0 is ridge. */
  l1Ratio: z.number().min(0).max(1).default(0.5),
});

/** Elastic net hyperparameters as accepted by `fit` (defaults filled in). */
export type ElasticNetParams = z.input<typeof ElasticNetParamsSchema>;

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
 * Fits an elastic net and reports convergence; `family` is the name the model is
 * stored under ("lasso" fits go through here too).
 *
 * @example
 * ```ts
 * const { model, converged } = fitElasticNet(x, y, { alpha: 0.01, l1Ratio: 1 }, "lasso");
 * ```
 */
export function fitElasticNet(
  x: Matrix,
  y: Float64Array,
  params: ElasticNetParams,
  family: LinearFamily = ELASTIC_NET,
): ElasticNetFit {
  const { alpha, l1Ratio, tol, maxIter } = ElasticNetParamsSchema.parse(params);
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
  const l1 = alpha * l1Ratio;
  const shrink = 1 + alpha * (1 - l1Ratio);
  const beta = new Float64Array(p);
  // fitted[j] = (Rβ)_j, kept current so that each coordinate step costs O(1) to decide.
  const fitted = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter && !converged) {
    iterations++;
    let maxDelta = 0;
    let maxBeta = 0;
    for (let j = 0; j < p; j++) {
      if (scale[j] === 0) continue;
      const old = beta[j];
      const updated = softThreshold(rho[j] - fitted[j] + corr[j * p + j] * old, l1) / shrink;
      const delta = updated - old;
      if (delta !== 0) {
        beta[j] = updated;
        for (let k = 0; k < p; k++) fitted[k] += delta * corr[k * p + j];
        maxDelta = Math.max(maxDelta, Math.abs(delta));
      }
      maxBeta = Math.max(maxBeta, Math.abs(updated));
    }
    converged = maxDelta <= tol * maxBeta;
  }
  const coefficients = beta.map((b, j) => (scale[j] > 0 ? b / scale[j] : 0));
  const model = linearModel(family, coefficients, interceptFor(g, coefficients));
  return { model, iterations, converged };
}

/**
 * Fits an elastic net (see {@link fitElasticNet} for the convergence report).
 *
 * @example
 * ```ts
 * const model = elasticNetEstimator.fit(x, y, { alpha: 0.01, l1Ratio: 0.5 }, 0);
 * ```
 */
export const elasticNetEstimator = {
  family: ELASTIC_NET,
  fit: (x: Matrix, y: Float64Array, params: ElasticNetParams, _seed?: number): LinearRegressor =>
    fitElasticNet(x, y, params).model,
} satisfies Estimator<ElasticNetParams>;

/** Loads a serialised "elastic_net" model. */
export function loadElasticNet(model: SerializedModel): LinearRegressor {
  return loadLinearModel(model, ELASTIC_NET);
}
