/**
 * Two-sample drift statistics computed from histograms on a common grid
 * (`pipeline/bundle/reference_stats.ts`): the reference is the training data, the current
 * sample a window of served rows. On a grid where every value has its own bin (this data
 * set's 0.01 steps), each statistic equals the one computed from the raw values.
 *
 * - Kolmogorov-Smirnov: the largest gap between the two empirical CDFs, and its two-sided
 *   p-value: exact (the distribution of the statistic over all orderings of the pooled
 *   sample, as SciPy's `ks_2samp(method="exact")`) when the product of the sizes is at most
 *   {@linkcode KS_EXACT_LIMIT}, else from Kolmogorov's limiting distribution with
 *   Stephens' small-sample correction.
 * - Wasserstein-1 (earth mover's) distance: the area between the two CDFs, as SciPy's
 *   `wasserstein_distance`; drift checks divide it by the reference's standard deviation.
 * - PSI (population stability index) over ten equal-width bins of [0, 1], with empty bins
 *   counted as a proportion of 1e-4.
 *
 * @module
 */

/** Largest `n1 * n2` for which the KS p-value is computed exactly (O(n1 * n2) work). */
export const KS_EXACT_LIMIT = 1_000_000;

/** The proportion given to an empty bin in the PSI, which would otherwise be infinite. */
export const PSI_EMPTY_BIN = 1e-4;

/** Bins of the PSI: ten equal-width bins over the grid. */
export const PSI_BINS = 10;

function total(counts: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < counts.length; k++) sum += counts[k];
  return sum;
}

/**
 * The Kolmogorov-Smirnov statistic: the largest absolute difference between the two
 * samples' empirical CDFs, each given as counts per grid bin.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ksStatistic } from "./drift_statistics.ts";
 * assert.equal(ksStatistic([2, 2, 0], [0, 2, 2]), 0.5);
 * ```
 */
export function ksStatistic(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const n1 = total(reference), n2 = total(current);
  let c1 = 0, c2 = 0, d = 0;
  for (let k = 0; k < reference.length; k++) {
    c1 += reference[k];
    c2 += current[k];
    // Integer cross-multiplication first: the gap is exactly 0 where the CDFs meet.
    const gap = Math.abs(c1 * n2 - c2 * n1) / (n1 * n2);
    if (gap > d) d = gap;
  }
  return d;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The exact two-sided p-value of the KS statistic `d` for samples of sizes `n1` and `n2`:
 * the share of the orderings of the pooled sample (lattice paths from (0, 0) to (n1, n2))
 * whose CDF gap reaches `d` somewhere. The share of paths that stay strictly inside is
 * built up cell by cell as a probability (never as a count, which would overflow), so
 * the work is O(n1 * n2).
 */
function ksExactPValue(d: number, n1: number, n2: number): number {
  const g = gcd(n1, n2);
  const a = n2 / g, b = n1 / g; // the gap at (i, j) is |i * a - j * b| / lcm
  const h = Math.round(d * (n1 / g) * n2); // d in units of 1 / lcm
  if (h === 0) return 1;
  const inside = (i: number, j: number) => Math.abs(i * a - j * b) < h;
  // row[j]: probability that a uniformly random path to (i, j) stayed inside.
  const row = new Float64Array(n2 + 1);
  row[0] = 1;
  for (let j = 1; j <= n2; j++) row[j] = inside(0, j) ? row[j - 1] : 0;
  for (let i = 1; i <= n1; i++) {
    row[0] = inside(i, 0) ? row[0] : 0;
    for (let j = 1; j <= n2; j++) {
      // Of the paths to (i, j), a share i / (i + j) arrive from (i - 1, j).
      row[j] = inside(i, j) ? (i * row[j] + j * row[j - 1]) / (i + j) : 0;
    }
  }
  return Math.min(1, Math.max(0, 1 - row[n2]));
}

/** Kolmogorov's limiting survival function Q(λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²). */
function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * The two-sided p-value of the KS statistic `d` for sample sizes `n1` and `n2`: exact
 * up to {@linkcode KS_EXACT_LIMIT}, asymptotic beyond.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ksPValue } from "./drift_statistics.ts";
 * // Two samples of 2 whose CDFs part completely: 2 of the 6 orderings do that.
 * assert.ok(Math.abs(ksPValue(1, 2, 2) - 1 / 3) < 1e-12);
 * ```
 */
export function ksPValue(d: number, n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  if (n1 * n2 <= KS_EXACT_LIMIT) return ksExactPValue(d, n1, n2);
  const en = Math.sqrt((n1 * n2) / (n1 + n2));
  return kolmogorovSurvival((en + 0.12 + 0.11 / en) * d);
}

/**
 * The Wasserstein-1 distance between two samples given as counts per grid bin of width
 * `step`: the area between their CDFs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wassersteinDistance } from "./drift_statistics.ts";
 * // All the mass moves two bins of 0.01: the distance is 0.02.
 * assert.ok(Math.abs(wassersteinDistance([1, 0, 0], [0, 0, 1], 0.01) - 0.02) < 1e-15);
 * ```
 */
export function wassersteinDistance(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  step: number,
): number {
  const n1 = total(reference), n2 = total(current);
  let c1 = 0, c2 = 0, area = 0;
  for (let k = 0; k < reference.length - 1; k++) {
    c1 += reference[k];
    c2 += current[k];
    area += Math.abs(c1 / n1 - c2 / n2);
  }
  return area * step;
}

/**
 * The population standard deviation (divided by n, as NumPy's `std`) of a sample given
 * as counts per bin of the grid `lo + k * step`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridStd } from "./drift_statistics.ts";
 * assert.ok(Math.abs(gridStd([1, 0, 1], 0, 0.5) - 0.5) < 1e-15);
 * ```
 */
export function gridStd(counts: ArrayLike<number>, lo: number, step: number): number {
  const n = total(counts);
  if (n === 0) return 0;
  let mean = 0;
  for (let k = 0; k < counts.length; k++) mean += counts[k] * (lo + k * step);
  mean /= n;
  let squares = 0;
  for (let k = 0; k < counts.length; k++) squares += counts[k] * (lo + k * step - mean) ** 2;
  return Math.sqrt(squares / n);
}

/**
 * The population stability index Σ (c − r) ln(c / r) over {@linkcode PSI_BINS} equal-width
 * groups of the grid bins, r and c being the reference's and the current sample's
 * proportions (an empty group counts as {@linkcode PSI_EMPTY_BIN}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { psi } from "./drift_statistics.ts";
 * const same = Array.from({ length: 101 }, () => 3);
 * assert.equal(psi(same, same), 0);
 * ```
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const n1 = total(reference), n2 = total(current);
  const r = new Float64Array(PSI_BINS), c = new Float64Array(PSI_BINS);
  const perGroup = (reference.length - 1) / PSI_BINS;
  for (let k = 0; k < reference.length; k++) {
    const group = Math.min(PSI_BINS - 1, Math.floor(k / perGroup));
    r[group] += reference[k];
    c[group] += current[k];
  }
  let index = 0;
  for (let group = 0; group < PSI_BINS; group++) {
    const p = Math.max(r[group] / n1, PSI_EMPTY_BIN);
    const q = Math.max(c[group] / n2, PSI_EMPTY_BIN);
    index += (q - p) * Math.log(q / p);
  }
  return index;
}
