/**
 * The expected improvement of a Gaussian prediction over the best score so far, in log
 * scale, the acquisition function of the GP sampler (gp_sampler.ts). For a loss to
 * minimise, a prediction `N(μ, σ²)` and the best score `b`, with `z = (b − μ) / σ`,
 * `EI = σ (z Φ(z) + φ(z))`. Far from the best, `z Φ(z) + φ(z)` cancels to below
 * rounding and then underflows to 0, so that every candidate ties; the log form, with
 * the asymptotic series of Mills' ratio there, keeps such candidates ranked (Ament et
 * al., "Unexpected Improvements to Expected Improvement for Bayesian Optimization",
 * NeurIPS 2023).
 *
 * @module
 */
import { normalCdf, normalLogPdf } from "../core/normal.ts";

/** Below this z, `z Φ(z) + φ(z)` comes from its asymptotic series instead. */
const ASYMPTOTIC_BELOW = -6;

/** log(z Φ(z) + φ(z)): the log expected improvement of a standard normal over z. */
function logStandardImprovement(z: number): number {
  if (z >= ASYMPTOTIC_BELOW) return Math.log(z * normalCdf(z) + Math.exp(normalLogPdf(z)));
  // z Φ(z) + φ(z) = φ(z) (1/z² − 3/z⁴ + 15/z⁶ − 105/z⁸ + …); at z = -6 the first omitted
  // term is below 0.1 % of the sum, and it shrinks further out.
  const w = 1 / (z * z);
  return normalLogPdf(z) + Math.log(w * (1 - w * (3 - w * (15 - 105 * w))));
}

/**
 * log E[max(best − Y, 0)] for `Y ~ N(mean, sd²)`: how much a candidate predicted at
 * `mean ± sd` is expected to improve on the lowest score `best`; `-Infinity` when
 * `sd` is 0 and the mean does not improve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logExpectedImprovement } from "./expected_improvement.ts";
 *
 * // At the best score, EI = σ φ(0) = 0.3989 σ.
 * assert.ok(Math.abs(Math.exp(logExpectedImprovement(1, 2, 1)) - 2 * 0.39894) < 1e-4);
 * // A more uncertain candidate is worth more, at the same predicted mean.
 * assert.ok(logExpectedImprovement(2, 1, 1) > logExpectedImprovement(2, 0.5, 1));
 * // Forty standard deviations worse: EI underflows, its log does not.
 * assert.ok(Number.isFinite(logExpectedImprovement(41, 1, 1)));
 * ```
 */
export function logExpectedImprovement(mean: number, sd: number, best: number): number {
  if (!(sd > 0)) return mean < best ? Math.log(best - mean) : -Infinity;
  return Math.log(sd) + logStandardImprovement((best - mean) / sd);
}
