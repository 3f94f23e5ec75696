/**
 * An optional extension of {@link Estimator}: families whose costly data-dependent work
 * (a Gram matrix, a standardisation) does not depend on the hyperparameters can do it
 * once and then fit many parameter sets cheaply. Tuning uses it when available.
 *
 * @module
 */
import type { Matrix } from "../core/matrix.ts";
import type { Estimator, Regressor } from "./regressor.ts";

/** Fits one parameter set on data that was prepared in advance. */
export type PreparedFit<P> = (params: P) => Regressor | Promise<Regressor>;

/** An estimator that can prepare `(x, y)` once for many fits. */
export interface PreparableEstimator<P> extends Estimator<P> {
  /** Does the parameter-independent work; `fit(x, y, p, s)` equals `prepare(x, y, s)(p)`. */
  prepare(x: Matrix, y: Float64Array, seed: number): PreparedFit<P>;
}

/**
 * Narrows an estimator to a {@link PreparableEstimator} when it has `prepare`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows, type Matrix } from "../core/matrix.ts";
 * import { meanEstimator } from "./mean/mean_baseline.ts";
 * import { isPreparable, type PreparedFit } from "./preparable.ts";
 * import type { Estimator } from "./regressor.ts";
 * import { ridgeEstimator } from "./ridge/ridge.ts";
 *
 * function fitterFor<P>(est: Estimator<P>, x: Matrix, y: Float64Array, seed: number) {
 *   const fitOn: PreparedFit<P> = isPreparable(est)
 *     ? est.prepare(x, y, seed)
 *     : (p) => est.fit(x, y, p, seed);
 *   return fitOn;
 * }
 *
 * assert.ok(isPreparable(ridgeEstimator)); // forms the cross products once
 * assert.ok(!isPreparable(meanEstimator)); // nothing to prepare: fitterFor falls back to fit
 * const x = fromRows([[1], [2], [3]]);
 * const model = await fitterFor(meanEstimator, x, Float64Array.of(2, 4, 6), 0)({});
 * assert.deepEqual(model.predict(x), Float64Array.of(4, 4, 4));
 * ```
 */
export function isPreparable<P>(estimator: Estimator<P>): estimator is PreparableEstimator<P> {
  return typeof (estimator as Partial<PreparableEstimator<P>>).prepare === "function";
}
