/**
 * Stacking weights: the convex combination of member predictions (weights >= 0,
 * summing to 1) with the least squared error against the target, fit on out-of-fold
 * predictions. The constraint keeps the blend an average, so correlated members
 * cannot cancel each other with large opposite weights.
 *
 * @module
 */
import { z } from "zod";

/** Solver settings for {@link stackingWeights}. */
export const StackingParamsSchema = z.strictObject({
  /** Upper bound on projected-gradient steps. */
  maxIterations: z.number().int().positive().default(100_000),
  /** Stop when no weight moves by more than this in one step. */
  tolerance: z.number().positive().default(1e-12),
});

/** Stacking solver settings as accepted by {@link stackingWeights}. */
export type StackingParams = z.input<typeof StackingParamsSchema>;

/** Euclidean projection onto the probability simplex (Duchi et al., 2008). */
function projectOntoSimplex(v: Float64Array): Float64Array {
  const sorted = Float64Array.from(v).sort().reverse();
  let sum = 0;
  let theta = 0;
  sorted.forEach((u, j) => {
    sum += u;
    if (u - (sum - 1) / (j + 1) > 0) theta = (sum - 1) / (j + 1);
  });
  return v.map((u) => Math.max(u - theta, 0));
}

/**
 * Fits weights for `predictions` (one out-of-fold prediction vector per member, all
 * aligned with `y`) by projected gradient descent on the mean squared error.
 *
 * @example
 * ```ts
 * const weights = stackingWeights([oofForest, oofRidge], y);
 * const blend = ensemble([forest, ridge], weights);
 * ```
 */
export function stackingWeights(
  predictions: readonly Float64Array[],
  y: Float64Array,
  params: StackingParams = {},
): Float64Array {
  const { maxIterations, tolerance } = StackingParamsSchema.parse(params);
  const k = predictions.length;
  if (k === 0) throw new RangeError("stacking needs at least one member");
  predictions.forEach((p, m) => {
    if (p.length !== y.length) {
      throw new RangeError(`member ${m} has ${p.length} predictions for ${y.length} targets`);
    }
    if (p.some(Number.isNaN)) throw new RangeError(`member ${m} has missing (NaN) predictions`);
  });
  // The loss is the quadratic w'Gw - 2b'w (+ const); the k x k Gram matrix is all it needs.
  const gram = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      gram[i * k + j] = predictions[i].reduce((s, v, r) => s + v * predictions[j][r], 0) / y.length;
    }
    b[i] = predictions[i].reduce((s, v, r) => s + v * y[r], 0) / y.length;
  }
  // The trace bounds the largest eigenvalue, so this step size never diverges.
  let trace = 0;
  for (let i = 0; i < k; i++) trace += gram[i * k + i];
  const step = 1 / (2 * trace);
  let w: Float64Array = new Float64Array(k).fill(1 / k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const next = projectOntoSimplex(w.map((wi, i) => {
      let g = -b[i];
      for (let j = 0; j < k; j++) g += gram[i * k + j] * w[j];
      return wi - step * 2 * g;
    }));
    const moved = next.reduce((m, v, i) => Math.max(m, Math.abs(v - w[i])), 0);
    w = next;
    if (moved < tolerance) break;
  }
  return w;
}
