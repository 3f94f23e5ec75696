/**
 * Bayesian optimisation with a Gaussian process (Snoek et al., "Practical Bayesian
 * Optimization of Machine Learning Algorithms", NeurIPS 2012): after a few random
 * trials, a GP (gaussian_process.ts) is fitted to the scores so far, and the next
 * parameters are the candidate of highest expected improvement over the best score
 * (expected_improvement.ts). Unlike TPE, which models where good trials are dense, the
 * GP models the score itself, with a length scale per parameter, so it can follow a
 * trend across the space and tell which parameters matter from few trials.
 *
 * The search space maps to the unit cube: uniform parameters linearly, log-uniform ones
 * in log scale, an integer as the middle of the unit interval it owns (as in the TPE
 * sampler), a choice as one coordinate per option (one-hot), so that no order is
 * imposed on the options. The start-up trials are the random sampler's first draws for
 * the same seed (`randomCandidates`), so that a GP search and a random one share their
 * start. The expected improvement is maximised over random points of the cube plus
 * perturbations of the best trials and then of the best candidates, each rounded to the
 * value that would be tried (integers, one option) before it is judged; a candidate
 * already tried is skipped, since a fixed-seed score teaches nothing twice. A pruned
 * trial (and a NaN score) enters the GP at the worst complete score so far: its own
 * score averages fewer folds than a complete one's, so not comparable, but the pruner
 * judged it worse than most, which is what TPE assumes too when it ranks it behind every
 * complete trial; leaving it out would let the GP propose the same region again. Scores
 * enter the GP as they are (it standardises them): warping them to normal quantiles of
 * their ranks, against the heavy tail of bad configurations, was no better on
 * bench/tuner_vs_random.ts (seeds 1-5) and much worse on smooth test objectives.
 * Deterministic: the proposal depends only on the seed and the history.
 *
 * @module
 */
import type { z } from "zod";
import {
  type ParameterRange,
  type SearchSpace,
  SearchSpaceSchema,
} from "../config/search_space_schema.ts";
import { standardNormal } from "../core/normal.ts";
import { derivedSeed, type Random, seededRandom } from "../core/random.ts";
import { logExpectedImprovement } from "./expected_improvement.ts";
import { fitGaussianProcess } from "./gaussian_process.ts";
import type { Sampler, Trial } from "./sampler.ts";
import { randomCandidates } from "./search_space.ts";

/** Settings of the GP sampler. */
export interface GpOptions {
  /** Trials in all. */
  readonly trials: number;
  /** Random trials before the model is used; 10 by default. */
  readonly startupTrials?: number;
  /** Random points of the cube per proposal at which the expected improvement is judged; 2000 by default. */
  readonly candidates?: number;
  readonly seed: number;
  /** Fixed parameters every candidate is merged over. */
  readonly base?: Record<string, unknown>;
}

/** Best trials, then best candidates, that the local search perturbs. */
const LOCAL_CENTRES = 5;
/** Perturbations per centre, their standard deviations cycling through the scales. */
const LOCAL_PER_CENTRE = 100;
const TRIAL_SCALES = [0.02, 0.05, 0.1, 0.2];
const CANDIDATE_SCALES = [0.005, 0.01, 0.02, 0.05];

/** One parameter's coordinates in the unit cube. */
interface Block {
  readonly size: number;
  encode(value: unknown): number[];
  decode(u: readonly number[]): unknown;
}

/** A real interval `[low, high]` of internal values (logs for log-uniform parameters). */
function interval(
  low: number,
  high: number,
  toInternal: (value: number) => number,
  fromInternal: (x: number) => number,
): Block {
  const width = high - low;
  return {
    size: 1,
    encode: (v) => [width > 0 ? (toInternal(Number(v)) - low) / width : 0.5],
    decode: ([u]) => fromInternal(Math.min(high, Math.max(low, low + u * width))),
  };
}

function block(range: ParameterRange): Block {
  switch (range.kind) {
    case "uniform":
      return interval(range.min, range.max, (v) => v, (x) => x);
    case "log_uniform":
      return interval(
        Math.log(range.min),
        Math.log(range.max),
        Math.log,
        (x) => Math.min(range.max, Math.max(range.min, Math.exp(x))),
      );
    case "int": {
      // Each integer owns the unit interval around it, so the ends are as likely as the rest.
      const count = range.max - range.min + 1;
      return {
        size: 1,
        encode: (v) => [(Number(v) - range.min + 0.5) / count],
        decode: ([u]) => range.min + Math.min(count - 1, Math.max(0, Math.floor(u * count))),
      };
    }
    case "choice":
      return {
        size: range.values.length,
        encode: (v) => range.values.map((option) => (option === v ? 1 : 0)),
        decode: (u) => range.values[u.indexOf(Math.max(...u))],
      };
  }
}

/**
 * A GP sampler over `space`; every proposal is merged over `options.base` and parsed by
 * `schema` (the family's params schema), as random and grid candidates are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { gpSampler } from "./gp_sampler.ts";
 * import type { Trial } from "./sampler.ts";
 *
 * const schema = z.object({ x: z.number(), y: z.number() });
 * const space = {
 *   x: { kind: "uniform", min: -5, max: 5 },
 *   y: { kind: "log_uniform", min: 0.01, max: 100 },
 * } as const;
 * const sampler = gpSampler(schema, space, { trials: 20, startupTrials: 5, seed: 1 });
 * const history: Trial<{ x: number; y: number }>[] = [];
 * while (history.length < sampler.size) {
 *   const params = sampler.suggest(history);
 *   const score = (params.x - 2) ** 2 + Math.log10(params.y) ** 2; // the optimum is (2, 1)
 *   history.push({ params, score, foldScores: [score], state: "complete" });
 * }
 * const best = Math.min(...history.map((t) => t.score));
 * assert.ok(best < 0.01, `best ${best}`);
 * ```
 */
export function gpSampler<S extends z.ZodType>(
  schema: S,
  space: SearchSpace,
  options: GpOptions,
): Sampler<z.output<S>> {
  const ranges = Object.entries(SearchSpaceSchema.parse(space));
  const { trials, startupTrials = 10, candidates = 2000, seed, base = {} } = options;
  const blocks = ranges.map(([, range]) => block(range));
  const width = blocks.reduce((s, b) => s + b.size, 0);
  const split = (u: readonly number[]) => {
    let start = 0;
    return blocks.map((b) => u.slice(start, start += b.size));
  };
  const encode = (params: unknown) =>
    ranges.flatMap(([name], j) => blocks[j].encode((params as Record<string, unknown>)[name]));
  const decode = (u: readonly number[]) => split(u).map((part, j) => blocks[j].decode(part));
  // The point that would be tried: integers rounded, one option of each choice.
  const snap = (u: readonly number[]) =>
    split(u).flatMap((part, j) => blocks[j].encode(blocks[j].decode(part)));
  const toParams = (u: readonly number[]) => {
    const candidate: Record<string, unknown> = { ...base };
    decode(u).forEach((value, j) => candidate[ranges[j][0]] = value);
    return schema.parse(candidate);
  };
  const uniformPoint = (rng: Random) => Array.from({ length: width }, () => rng.next());
  const perturb = (centre: readonly number[], sd: number, rng: Random) =>
    centre.map((c) => {
      // Reflected at the cube's faces: clamping would pile perturbations onto the faces,
      // where the GP's variance, and so the expected improvement, is highest.
      const folded = Math.abs(c + sd * standardNormal(rng)) % 2;
      return folded > 1 ? 2 - folded : folded;
    });
  return {
    size: trials,
    suggest(history) {
      if (history.length < startupTrials) {
        return randomCandidates(schema, space, history.length + 1, seed, base)[history.length];
      }
      const rng = seededRandom(derivedSeed(seed, history.length));
      const scored = (t: Trial<unknown>) => t.state === "complete" && Number.isFinite(t.score);
      const finite = history.filter(scored).map((t) => t.score);
      if (finite.length === 0) return toParams(uniformPoint(rng));
      const worst = Math.max(...finite);
      const points = history.map((t) => snap(encode(t.params)));
      const targets = history.map((t) => (scored(t) ? t.score : worst));
      const gp = fitGaussianProcess(points, targets, rng);
      const best = Math.min(...finite);
      const tried = new Set(points.map((p) => p.join()));
      const pool: { point: number[]; value: number }[] = [];
      const consider = (u: readonly number[]) => {
        const point = snap(u);
        if (tried.has(point.join())) return;
        const { mean, variance } = gp.predict(point);
        pool.push({ point, value: logExpectedImprovement(mean, Math.sqrt(variance), best) });
      };
      for (let i = 0; i < candidates; i++) consider(uniformPoint(rng));
      const localSearch = (centres: readonly (readonly number[])[], scales: readonly number[]) => {
        for (const centre of centres) {
          for (let i = 0; i < LOCAL_PER_CENTRE; i++) {
            consider(perturb(centre, scales[i % scales.length], rng));
          }
        }
      };
      const bestTrials = history.map((_, i) => i).sort((a, b) => targets[a] - targets[b]);
      localSearch(bestTrials.slice(0, LOCAL_CENTRES).map((i) => points[i]), TRIAL_SCALES);
      const byValue = () => [...pool].sort((a, b) => b.value - a.value);
      localSearch(byValue().slice(0, LOCAL_CENTRES).map((c) => c.point), CANDIDATE_SCALES);
      const chosen = byValue()[0];
      return toParams(chosen ? chosen.point : uniformPoint(rng));
    },
  };
}
