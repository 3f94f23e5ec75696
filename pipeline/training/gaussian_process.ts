/**
 * Gaussian-process regression on points of the unit cube, the model behind the GP
 * sampler (gp_sampler.ts). The kernel is a Matérn 5/2 with one length scale per
 * dimension (ARD), so that a parameter the score ignores gets a long one, times a signal
 * variance, plus a noise variance on the diagonal: even a deterministic objective is
 * rough at a scale below what a few dozen points resolve (the rounding of integer
 * parameters, the fit's own randomness), and the nugget keeps the factorisation stable.
 * Twice differentiable, the Matérn 5/2 is smooth enough to extrapolate a trend but not
 * as over-confident as the squared exponential (Snoek et al., "Practical Bayesian
 * Optimization of Machine Learning Algorithms", NeurIPS 2012). Targets are standardised
 * (mean 0, sample variance 1), so that one prior on the kernel's hyper-parameters fits
 * every score's scale; the GP's mean away from the data is the targets' mean.
 *
 * @module
 */
import { choleskyFactor, solveLower, solveLowerTransposed } from "../core/linear_algebra.ts";
import { standardNormal } from "../core/normal.ts";
import type { Random } from "../core/random.ts";
import { meanStd } from "../core/statistics.ts";

/** The kernel's hyper-parameters, for standardised targets on the unit cube. */
export interface GpKernel {
  /** One per dimension, in the cube's units. */
  readonly lengthScales: readonly number[];
  /** Prior variance of the (standardised) function. */
  readonly signalVariance: number;
  /** Variance added on the diagonal: observation noise, and the nugget that keeps it stable. */
  readonly noiseVariance: number;
}

/** The posterior of the function (without the noise) at a point, in the targets' units. */
export interface GpPrediction {
  readonly mean: number;
  readonly variance: number;
}

/** A Gaussian process conditioned on its training points. */
export interface GaussianProcess {
  readonly kernel: GpKernel;
  /** Log marginal likelihood of the standardised targets under `kernel`. */
  readonly logLikelihood: number;
  predict(point: readonly number[]): GpPrediction;
}

/** Settings of the search for the most probable kernel. */
export interface GpFitOptions {
  /** Kernels drawn from {@linkcode KERNEL_PRIOR} (within {@linkcode KERNEL_BOX}); 50 by default. */
  readonly draws?: number;
  /** Best draws that the gradient ascent starts from; 3 by default. */
  readonly starts?: number;
  /** Steps of gradient ascent from each start; 50 by default. */
  readonly steps?: number;
}

/**
 * The box, in log scale, that kernel hyper-parameters are searched in. Length scales
 * from 0.03 (a few distinct values across a dimension) to 10 (a dimension the score
 * ignores); signal variance around the standardised targets' 1; noise from none (a
 * nugget of 1e-6) to as much as the signal.
 */
export const KERNEL_BOX = {
  lengthScale: [0.03, 10],
  signalVariance: [0.05, 20],
  noiseVariance: [1e-6, 1],
} as const;

/**
 * Log-normal priors (median, standard deviation of the natural log) on the kernel's
 * hyper-parameters: length scales about the cube's width, a signal variance about the
 * standardised targets' 1, and a noise variance about 1 % of it, each a factor e^sd
 * either way being one standard deviation; weak enough for 30 points to overrule. The
 * noise's median: a tuning score is rugged at small scales even with a fixed fit seed,
 * and with 1e-2 instead of 1e-3 the GP sampler did better on bench/tuner_vs_random.ts,
 * seeds 1-5 (best inner-CV RMSE averaged over pruned and unpruned searches 0.13632
 * against 0.13667, random search with 200 points 0.13660).
 */
export const KERNEL_PRIOR = {
  lengthScale: { median: 1, sd: 1 },
  signalVariance: { median: 1, sd: 1 },
  noiseVariance: { median: 1e-2, sd: 3 },
} as const;

const SQRT5 = Math.sqrt(5);
const LOG_2PI = Math.log(2 * Math.PI);

/** The Matérn 5/2 correlation at scaled distance `r` (`r2 = r²`). */
function matern52(r: number, r2: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** Mean and sample standard deviation of the targets; a deviation of 1 when they are all equal. */
function standardisation(targets: readonly number[]): { mu: number; sd: number } {
  const { mean, std } = meanStd(targets);
  return { mu: mean, sd: std > 0 ? std : 1 };
}

function scaledSquaredDistance(
  a: readonly number[],
  b: readonly number[],
  lengthScales: readonly number[],
): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += ((a[j] - b[j]) / lengthScales[j]) ** 2;
  return sum;
}

/** The kernel matrix's Cholesky factor and the weights `K⁻¹ z` of standardised targets `z`. */
interface Posterior {
  readonly l: Float64Array;
  readonly alpha: Float64Array;
  readonly logLikelihood: number;
}

function posterior(
  points: readonly (readonly number[])[],
  z: Float64Array,
  kernel: GpKernel,
): Posterior {
  const n = points.length;
  const { lengthScales, signalVariance, noiseVariance } = kernel;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = signalVariance + noiseVariance;
    for (let j = 0; j < i; j++) {
      const r2 = scaledSquaredDistance(points[i], points[j], lengthScales);
      k[i * n + j] = k[j * n + i] = signalVariance * matern52(Math.sqrt(r2), r2);
    }
  }
  const l = choleskyFactor(k, n);
  const whitened = solveLower(l, z);
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(l[i * n + i]);
  const fit = whitened.reduce((s, w) => s + w * w, 0);
  return {
    l,
    alpha: solveLowerTransposed(l, whitened),
    logLikelihood: -0.5 * (fit + logDet + n * LOG_2PI),
  };
}

/**
 * The gradient of the log marginal likelihood with respect to the kernel's logs (length
 * scales, signal variance, noise variance): `½ tr((ααᵀ − K⁻¹) ∂K/∂θ)`.
 */
function likelihoodGradient(
  points: readonly (readonly number[])[],
  kernel: GpKernel,
  { l, alpha }: Posterior,
): number[] {
  const n = points.length;
  const d = kernel.lengthScales.length;
  const { lengthScales, signalVariance, noiseVariance } = kernel;
  // K⁻¹ = L⁻ᵀ L⁻¹, from the columns of L⁻¹.
  const inverseL = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const unit = new Float64Array(n);
    unit[c] = 1;
    solveLower(l, unit).forEach((v, r) => inverseL[r * n + c] = v);
  }
  const gradient = new Array(d + 2).fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      let inverse = 0;
      for (let r = i; r < n; r++) inverse += inverseL[r * n + i] * inverseL[r * n + k];
      const w = (alpha[i] * alpha[k] - inverse) * (i === k ? 0.5 : 1); // both triangles
      if (i === k) {
        gradient[d] += w * signalVariance;
        gradient[d + 1] += w * noiseVariance;
        continue;
      }
      const r2 = scaledSquaredDistance(points[i], points[k], lengthScales);
      const r = Math.sqrt(r2);
      gradient[d] += w * signalVariance * matern52(r, r2);
      // ∂k/∂log ℓⱼ = σ² (5/3)(1 + √5 r) e^(−√5 r) (Δⱼ / ℓⱼ)².
      const slope = w * signalVariance * (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
      for (let j = 0; j < d; j++) {
        gradient[j] += slope * ((points[i][j] - points[k][j]) / lengthScales[j]) ** 2;
      }
    }
  }
  return gradient;
}

/**
 * The Gaussian process with `kernel` conditioned on `targets` at `points`; throws a
 * RangeError when the kernel matrix is not numerically positive definite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gaussianProcess } from "./gaussian_process.ts";
 *
 * const gp = gaussianProcess([[0.1], [0.5], [0.9]], [3, 1, 2], {
 *   lengthScales: [0.3],
 *   signalVariance: 1,
 *   noiseVariance: 1e-6,
 * });
 * const atData = gp.predict([0.5]);
 * assert.ok(Math.abs(atData.mean - 1) < 1e-3); // it interpolates
 * assert.ok(atData.variance < 1e-4 && gp.predict([0.3]).variance > 100 * atData.variance);
 * ```
 */
export function gaussianProcess(
  points: readonly (readonly number[])[],
  targets: readonly number[],
  kernel: GpKernel,
): GaussianProcess {
  const n = points.length;
  if (n === 0 || targets.length !== n) {
    throw new RangeError(`gaussianProcess: ${n} points and ${targets.length} targets`);
  }
  const { mu, sd } = standardisation(targets);
  const { l, alpha, logLikelihood } = posterior(
    points,
    Float64Array.from(targets, (t) => (t - mu) / sd),
    kernel,
  );
  const { lengthScales, signalVariance } = kernel;
  return {
    kernel,
    logLikelihood,
    predict(point) {
      const cross = Float64Array.from(points, (p) => {
        const r2 = scaledSquaredDistance(point, p, lengthScales);
        return signalVariance * matern52(Math.sqrt(r2), r2);
      });
      const v = solveLower(l, cross);
      let mean = 0;
      let explained = 0;
      for (let i = 0; i < n; i++) {
        mean += cross[i] * alpha[i];
        explained += v[i] * v[i];
      }
      // Rounding can leave the difference a hair below 0 at a training point.
      const variance = Math.max(signalVariance - explained, 1e-12 * signalVariance);
      return { mean: mu + sd * mean, variance: variance * sd * sd };
    },
  };
}

/** A kernel as a vector of logs: the length scales, then the signal and noise variances. */
function toKernel(logs: readonly number[]): GpKernel {
  const d = logs.length - 2;
  return {
    lengthScales: logs.slice(0, d).map(Math.exp),
    signalVariance: Math.exp(logs[d]),
    noiseVariance: Math.exp(logs[d + 1]),
  };
}

/**
 * The Gaussian process on `points` and `targets` with the most probable kernel (MAP)
 * within {@linkcode KERNEL_BOX}, under the log-normal priors of {@linkcode KERNEL_PRIOR}:
 * of `draws` kernels drawn from the priors and a neutral one (the priors' medians), the
 * best `starts` are each improved by `steps` of Rprop ascent on the log posterior
 * (analytic gradient; a step per hyper-parameter that grows while the gradient keeps
 * its sign and halves when it flips: no learning rate to tune, and indifferent to the
 * likelihood's scale), and the best kernel found wins. Gradient ascent rather than
 * scoring draws alone: in 8 or more dimensions a few hundred draws leave the kernel far
 * from the optimum, and it then jumps from one trial's fit to the next. Several starts,
 * because the likelihood has local optima (one start alone sometimes ended on a fit 8
 * nats worse). The priors keep a few dozen points from picking a length scale so short
 * that every untried point looks promising. Deterministic given `rng`'s state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../core/random.ts";
 * import { fitGaussianProcess } from "./gaussian_process.ts";
 *
 * // The targets vary along the first coordinate only.
 * const rng = seededRandom(4);
 * const points = Array.from({ length: 30 }, () => [rng.next(), rng.next()]);
 * const gp = fitGaussianProcess(points, points.map(([a]) => Math.sin(6 * a)), seededRandom(1));
 * const [first, second] = gp.kernel.lengthScales;
 * assert.ok(second > 3 * first, `length scales ${first} ${second}`);
 * assert.ok(Math.abs(gp.predict([0.25, 0.6]).mean - Math.sin(1.5)) < 0.05);
 * ```
 */
export function fitGaussianProcess(
  points: readonly (readonly number[])[],
  targets: readonly number[],
  rng: Random,
  options: GpFitOptions = {},
): GaussianProcess {
  const { draws = 50, starts = 3, steps = 50 } = options;
  const d = points[0]?.length ?? 0;
  const { mu, sd } = standardisation(targets);
  const z = Float64Array.from(targets, (t) => (t - mu) / sd);
  const priors = [
    ...Array.from({ length: d }, () => KERNEL_PRIOR.lengthScale),
    KERNEL_PRIOR.signalVariance,
    KERNEL_PRIOR.noiseVariance,
  ];
  const bounds = [
    ...Array.from({ length: d }, () => KERNEL_BOX.lengthScale),
    KERNEL_BOX.signalVariance,
    KERNEL_BOX.noiseVariance,
  ].map(([low, high]) => [Math.log(low), Math.log(high)]);
  const logPrior = (logs: readonly number[]) =>
    logs.reduce((s, v, j) => s - 0.5 * ((v - Math.log(priors[j].median)) / priors[j].sd) ** 2, 0);
  const evaluate = (logs: readonly number[]) => {
    try {
      const fitted = posterior(points, z, toKernel(logs));
      return { logs, fitted, value: fitted.logLikelihood + logPrior(logs) };
    } catch (error) {
      if (error instanceof RangeError) return undefined; // not positive definite: skip it
      throw error;
    }
  };
  type Evaluated = NonNullable<ReturnType<typeof evaluate>>;
  const ascend = (start: Evaluated) => {
    let [current, best] = [start, start];
    let stepSizes = start.logs.map(() => 0.1);
    let previous = start.logs.map(() => 0);
    for (let i = 0; i < steps; i++) {
      const gradient = likelihoodGradient(points, toKernel(current.logs), current.fitted)
        .map((g, j) => g - (current.logs[j] - Math.log(priors[j].median)) / priors[j].sd ** 2);
      // iRprop−: a flipped sign halves the step and skips this move for that coordinate.
      stepSizes = stepSizes.map((s, j) =>
        gradient[j] * previous[j] > 0
          ? Math.min(s * 1.2, 1)
          : gradient[j] * previous[j] < 0
          ? Math.max(s * 0.5, 1e-4)
          : s
      );
      previous = gradient.map((g, j) => (g * previous[j] < 0 ? 0 : g));
      const next = evaluate(
        current.logs.map((v, j) =>
          Math.min(bounds[j][1], Math.max(bounds[j][0], v + Math.sign(previous[j]) * stepSizes[j]))
        ),
      );
      if (next === undefined) break;
      current = next;
      if (current.value > best.value) best = current;
    }
    return best;
  };
  const drawn = [
    evaluate(priors.map((p) => Math.log(p.median))),
    ...Array.from({ length: draws }, () =>
      evaluate(bounds.map(([low, high], j) => {
        const v = Math.log(priors[j].median) + priors[j].sd * standardNormal(rng);
        return Math.min(high, Math.max(low, v));
      }))),
  ].filter((e) => e !== undefined).sort((a, b) => b.value - a.value);
  if (drawn.length === 0) throw new RangeError("fitGaussianProcess: no kernel fits the points");
  const best = drawn.slice(0, starts).map(ascend).reduce((a, b) => (b.value > a.value ? b : a));
  return gaussianProcess(points, targets, toKernel(best.logs));
}
