/**
 * Stacking weights: the non-negative least-squares blend of member predictions, so that
 * an ensemble weighs its members by how much each adds on out-of-fold rows rather than
 * equally. Optionally shrunk toward equal weights (a ridge penalty on the distance to
 * `1/k`), which steadies the weights when members are nearly collinear.
 *
 * @module
 */
import { normaliseWeights } from "./ensemble.ts";

/** How the blend is fitted. */
export interface StackingOptions {
  /**
   * Penalty `ridge · rows · Σ (w_m - 1/k)²` added to the squared error (scaled by the
   * row count so that its strength does not depend on the data size); 0: plain NNLS.
   */
  readonly ridge?: number;
}

const SWEEPS = 10_000;
const TOLERANCE = 1e-13;

/**
 * Non-negative weights `w` summing to 1 that minimise `Σ_i (y_i - Σ_m w_m p_m[i])²`
 * (plus the optional pull toward equal weights): least squares on the simplex, solved
 * exactly by moving weight between pairs of members (each move the optimal step along
 * `e_a - e_b`, clipped to keep both weights >= 0) until no move helps. Constrained, not
 * fitted free and rescaled: a rescaled NNLS fit is not the best blend when members are
 * collinear. No intercept: the blend stays a weighted average of the members.
 * `predictions[m]` holds member `m`'s prediction of every row of `y`; rows where any
 * member or `y` is not finite are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const a = Float64Array.of(1, 2, 3, 4);
 * const b = Float64Array.of(2, 1, 4, 3);
 * const y = a.map((v, i) => 0.25 * v + 0.75 * b[i]);
 * const w = stackingWeights([a, b], y);
 * assert.ok(Math.abs(w[0] - 0.25) < 1e-9 && Math.abs(w[1] - 0.75) < 1e-9);
 * // A member that only hurts gets weight 0, never a negative one.
 * assert.deepEqual(stackingWeights([a, a.map((v) => -v)], a), [1, 0]);
 * ```
 */
export function stackingWeights(
  predictions: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: StackingOptions = {},
): number[] {
  const k = predictions.length;
  if (k === 0) throw new RangeError("stacking needs at least one member");
  for (const [m, p] of predictions.entries()) {
    if (p.length !== y.length) {
      throw new RangeError(`member ${m} has ${p.length} predictions for ${y.length} rows`);
    }
  }
  const ridge = options.ridge ?? 0;
  if (!(ridge >= 0) || !Number.isFinite(ridge)) {
    throw new RangeError(`stacking ridge must be finite and >= 0: ${ridge}`);
  }
  const gram = new Float64Array(k * k);
  const cross = new Float64Array(k);
  let rows = 0;
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]) || predictions.some((p) => !Number.isFinite(p[i]))) continue;
    rows++;
    for (let a = 0; a < k; a++) {
      const pa = predictions[a][i];
      cross[a] += pa * y[i];
      for (let b = a; b < k; b++) gram[a * k + b] += pa * predictions[b][i];
    }
  }
  if (rows === 0) throw new RangeError("stacking found no row with every prediction finite");
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) gram[a * k + b] = gram[b * k + a];
    gram[a * k + a] += ridge * rows;
    cross[a] += (ridge * rows) / k;
  }
  // Start from equal weights, so that a tie (identical members) stays shared.
  const w = new Float64Array(k).fill(1 / k);
  // The gradient of ½wᵀGw - cᵀw, kept up to date as weight moves.
  const grad = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    grad[a] = -cross[a];
    for (let b = 0; b < k; b++) grad[a] += gram[a * k + b] * w[b];
  }
  const scale = Math.max(...Array.from({ length: k }, (_, a) => gram[a * k + a]));
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    let moved = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const curvature = gram[a * k + a] + gram[b * k + b] - 2 * gram[a * k + b];
        if (!(curvature > scale * 1e-15)) continue;
        // Step t moves t from b to a; clipped so that both stay >= 0.
        const t = Math.min(w[b], Math.max(-w[a], (grad[b] - grad[a]) / curvature));
        if (t === 0) continue;
        w[a] += t;
        w[b] -= t;
        for (let c = 0; c < k; c++) grad[c] += t * (gram[c * k + a] - gram[c * k + b]);
        moved = Math.max(moved, Math.abs(t));
      }
    }
    if (moved < TOLERANCE) break;
  }
  return normaliseWeights(w.map((v) => Math.max(0, v)));
}
