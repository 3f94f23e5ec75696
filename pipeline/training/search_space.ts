/**
 * Hyperparameter candidates for tuning: the cartesian product of a grid, or seeded
 * random draws from per-parameter ranges. Every candidate is parsed by the family's
 * params schema, so defaults are filled in and out-of-range values fail early.
 *
 * @module
 */
import type { z } from "zod";
import {
  type ParameterGrid,
  ParameterGridSchema,
  type ParameterRange,
  type SearchSpace,
  SearchSpaceSchema,
} from "../config/search_space_schema.ts";
import { seededRandom } from "../core/random.ts";

/**
 * `count` values spaced evenly on a log scale from `min` to `max` inclusive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logSpace } from "./search_space.ts";
 *
 * const values = logSpace(0.01, 100, 5); // up to rounding in the middle
 * assert.deepEqual(values.map((v) => Number(v.toPrecision(12))), [0.01, 0.1, 1, 10, 100]);
 * assert.equal(values[4], 100); // the ends are exact
 * ```
 */
export function logSpace(min: number, max: number, count: number): number[] {
  if (!(min > 0 && max > 0) || count < 1) throw new RangeError("logSpace needs min, max > 0");
  if (count === 1) return [min];
  const step = Math.log(max / min) / (count - 1);
  return Array.from({ length: count }, (_, i) => i === count - 1 ? max : min * Math.exp(i * step));
}

/**
 * Every combination of the grid's values, merged over `base`, each parsed by `schema`.
 * The last parameter varies fastest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ElasticNetParamsSchema } from "../models/elastic_net/elastic_net_model.ts";
 * import { gridCandidates } from "./search_space.ts";
 *
 * const grid = gridCandidates(ElasticNetParamsSchema, { alpha: [0.01, 0.1], l1Ratio: [0.5, 1] });
 * assert.deepEqual(grid.map((c) => [c.alpha, c.l1Ratio]), [
 *   [0.01, 0.5],
 *   [0.01, 1],
 *   [0.1, 0.5],
 *   [0.1, 1],
 * ]);
 * assert.equal(grid[0].maxIter, 10_000); // a default filled in
 * ```
 */
export function gridCandidates<S extends z.ZodType>(
  schema: S,
  grid: ParameterGrid,
  base: Record<string, unknown> = {},
): z.output<S>[] {
  let combos: Record<string, unknown>[] = [{ ...base }];
  for (const [name, values] of Object.entries(ParameterGridSchema.parse(grid))) {
    combos = combos.flatMap((combo) => values.map((v) => ({ ...combo, [name]: v })));
  }
  return combos.map((combo) => schema.parse(combo));
}

/**
 * One value drawn uniformly from `range` (log-uniformly for `log_uniform`) with the
 * uniform source `next`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawValue } from "./search_space.ts";
 *
 * assert.equal(drawValue({ kind: "int", min: 1, max: 4 }, () => 0.99), 4);
 * const middle = drawValue({ kind: "log_uniform", min: 1, max: 100 }, () => 0.5);
 * assert.ok(Math.abs(Number(middle) - 10) < 1e-12); // the geometric middle
 * ```
 */
export function drawValue(range: ParameterRange, next: () => number): unknown {
  switch (range.kind) {
    case "choice":
      return range.values[Math.floor(next() * range.values.length)];
    case "uniform":
      return range.min + next() * (range.max - range.min);
    case "log_uniform":
      return range.min * Math.exp(next() * Math.log(range.max / range.min));
    case "int":
      return range.min + Math.floor(next() * (range.max - range.min + 1));
  }
}

/**
 * `count` random candidates drawn from `space` with a seeded generator, merged over
 * `base`, each parsed by `schema`. The same seed gives the same candidates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RidgeParamsSchema } from "../models/ridge/ridge_model.ts";
 * import type { SearchSpace } from "../config/search_space_schema.ts";
 * import { randomCandidates } from "./search_space.ts";
 *
 * const space: SearchSpace = { alpha: { kind: "log_uniform", min: 1e-3, max: 1e3 } };
 * const candidates = randomCandidates(RidgeParamsSchema, space, 20, 7);
 * assert.equal(candidates.length, 20);
 * assert.ok(candidates.every((c) => c.alpha >= 1e-3 && c.alpha <= 1e3));
 * assert.deepEqual(randomCandidates(RidgeParamsSchema, space, 20, 7), candidates); // same seed
 * ```
 */
export function randomCandidates<S extends z.ZodType>(
  schema: S,
  space: SearchSpace,
  count: number,
  seed: number,
  base: Record<string, unknown> = {},
): z.output<S>[] {
  const ranges = Object.entries(SearchSpaceSchema.parse(space));
  const rng = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const candidate: Record<string, unknown> = { ...base };
    for (const [name, range] of ranges) candidate[name] = drawValue(range, rng.next);
    return schema.parse(candidate);
  });
}
