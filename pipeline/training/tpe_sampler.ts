/**
 * The Tree-structured Parzen Estimator (Bergstra et al., "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS 2011): after a few random trials, the trials so
 * far are split into the best `γ` share ("good") and the rest ("bad"), a Parzen density
 * is fitted to each (`l` and `g`, parzen_estimator.ts), and the next parameters are the
 * best, by `l(x) / g(x)`, of a few candidates drawn from `l`: where good trials are
 * dense and bad ones are not, which maximises the expected improvement under TPE's
 * model. Log-uniform parameters are modelled in log scale, integers as reals rounded,
 * choices as categories. Pruned trials count as bad, behind every complete one (those
 * that got further ranking first). Deterministic: the proposal depends only on the seed
 * and the history.
 *
 * @module
 */
import type { z } from "zod";
import {
  type ParameterRange,
  type SearchSpace,
  SearchSpaceSchema,
} from "../config/search_space_schema.ts";
import { derivedSeed, seededRandom } from "../core/random.ts";
import { DEFAULT_BANDWIDTH, type Dimension, parzenEstimator } from "./parzen_estimator.ts";
import type { Sampler, Trial } from "./sampler.ts";
import { drawValue } from "./search_space.ts";

/** Settings of the TPE sampler. */
export interface TpeOptions {
  /** Trials in all. */
  readonly trials: number;
  /** Random trials before the model is used; 10 by default. */
  readonly startupTrials?: number;
  /** Candidates drawn from `l` per proposal; 24 by default. */
  readonly eiCandidates?: number;
  /** Number of good trials among `n`; `min(ceil(0.1 n), 25)` by default. */
  readonly gamma?: (n: number) => number;
  /** Weight of the prior component, in observations; 1 by default. */
  readonly priorWeight?: number;
  /** Relative width of the numeric kernels; `DEFAULT_BANDWIDTH` (parzen_estimator.ts) by default. */
  readonly bandwidth?: number;
  readonly seed: number;
  /** Fixed parameters every candidate is merged over. */
  readonly base?: Record<string, unknown>;
}

/** The default share of good trials: a tenth, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

interface Codec {
  readonly dimension: Dimension;
  encode(value: unknown): number;
  decode(internal: number): unknown;
}

function codec(range: ParameterRange): Codec {
  switch (range.kind) {
    case "choice":
      return {
        dimension: { kind: "categorical", size: range.values.length },
        encode: (v) => range.values.indexOf(v as never),
        decode: (i) => range.values[i],
      };
    case "uniform":
      return {
        dimension: { kind: "numeric", low: range.min, high: range.max },
        encode: Number,
        decode: (u) => Math.min(range.max, Math.max(range.min, u)),
      };
    case "log_uniform":
      return {
        dimension: { kind: "numeric", low: Math.log(range.min), high: Math.log(range.max) },
        encode: (v) => Math.log(Number(v)),
        decode: (u) => Math.min(range.max, Math.max(range.min, Math.exp(u))),
      };
    case "int":
      // Each integer owns the unit interval around it, so the ends are as likely as the rest.
      return {
        dimension: { kind: "numeric", low: range.min - 0.5, high: range.max + 0.5 },
        encode: Number,
        decode: (u) => Math.min(range.max, Math.max(range.min, Math.round(u))),
      };
  }
}

/** Trials best first: complete ones by score (NaN last), then pruned ones, furthest first. */
function ranked<P>(history: readonly Trial<P>[]): Trial<P>[] {
  const key = (t: Trial<P>) => [
    t.state === "complete" ? 0 : 1,
    -t.foldScores.length,
    Number.isNaN(t.score) ? Infinity : t.score,
  ];
  return [...history].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
}

/**
 * A TPE sampler over `space`; every proposal is merged over `options.base` and parsed
 * by `schema` (the family's params schema), as random and grid candidates are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import type { Trial } from "./sampler.ts";
 * import { tpeSampler } from "./tpe_sampler.ts";
 *
 * const schema = z.object({ x: z.number() });
 * const sampler = tpeSampler(schema, { x: { kind: "uniform", min: -5, max: 5 } }, {
 *   trials: 30,
 *   startupTrials: 8,
 *   seed: 1,
 * });
 * const history: Trial<{ x: number }>[] = [];
 * while (history.length < sampler.size) {
 *   const params = sampler.suggest(history);
 *   const score = (params.x - 2) ** 2; // the optimum is x = 2
 *   history.push({ params, score, foldScores: [score], state: "complete" });
 * }
 * const best = Math.min(...history.map((t) => t.score));
 * assert.ok(best < 0.05, `best ${best}`);
 * ```
 */
export function tpeSampler<S extends z.ZodType>(
  schema: S,
  space: SearchSpace,
  options: TpeOptions,
): Sampler<z.output<S>> {
  const ranges = Object.entries(SearchSpaceSchema.parse(space));
  const {
    trials,
    startupTrials = 10,
    eiCandidates = 24,
    gamma = defaultGamma,
    priorWeight = 1,
    bandwidth = DEFAULT_BANDWIDTH,
    seed,
    base = {},
  } = options;
  const codecs = ranges.map(([, range]) => codec(range));
  const dimensions = codecs.map((c) => c.dimension);
  const toParams = (values: readonly unknown[]) => {
    const candidate: Record<string, unknown> = { ...base };
    ranges.forEach(([name], j) => candidate[name] = values[j]);
    return schema.parse(candidate);
  };
  return {
    size: trials,
    suggest(history) {
      const rng = seededRandom(derivedSeed(seed, history.length));
      if (history.length < startupTrials) {
        return toParams(ranges.map(([, range]) => drawValue(range, rng.next)));
      }
      const points = ranked(history).map((t) =>
        ranges.map(([name], j) => codecs[j].encode((t.params as Record<string, unknown>)[name]))
      );
      const nGood = Math.max(1, Math.min(points.length, gamma(points.length)));
      const good = parzenEstimator(dimensions, points.slice(0, nGood), priorWeight, bandwidth);
      const bad = parzenEstimator(dimensions, points.slice(nGood), priorWeight, bandwidth);
      let best: number[] = [];
      let bestGain = -Infinity;
      for (let i = 0; i < eiCandidates; i++) {
        const candidate = good.sample(rng);
        // Round integers first, so that the ratio is judged at the value actually tried.
        const snapped = candidate.map((u, j) => codecs[j].encode(codecs[j].decode(u)));
        const gain = good.logDensity(snapped) - bad.logDensity(snapped);
        if (gain > bestGain || best.length === 0) [best, bestGain] = [snapped, gain];
      }
      return toParams(best.map((u, j) => codecs[j].decode(u)));
    },
  };
}
