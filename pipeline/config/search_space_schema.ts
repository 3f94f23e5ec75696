/**
 * The shapes of a hyperparameter search in `config/params.yaml`: a grid of values, or
 * per-parameter ranges that random search and the TPE sampler draw from. Here, below the
 * training layer, so that the params schema can validate them.
 *
 * @module
 */
import { z } from "zod";

const scalar = z.union([z.number(), z.string(), z.boolean()]);

/**
 * One parameter's range: a set of choices, a uniform or log-uniform real interval, or an
 * integer interval (both ends included).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ParameterRangeSchema } from "./search_space_schema.ts";
 *
 * assert.deepEqual(ParameterRangeSchema.parse({ kind: "int", min: 1, max: 6 }), { kind: "int", min: 1, max: 6 });
 * assert.throws(() => ParameterRangeSchema.parse({ kind: "uniform", min: 2, max: 1 }), /min must not exceed max/);
 * ```
 */
export const ParameterRangeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("choice"), values: z.array(scalar).min(1) }),
  z.strictObject({ kind: z.literal("uniform"), min: z.number(), max: z.number() }),
  z.strictObject({
    kind: z.literal("log_uniform"),
    min: z.number().positive(),
    max: z.number().positive(),
  }),
  z.strictObject({ kind: z.literal("int"), min: z.number().int(), max: z.number().int() }),
]).refine((r) => r.kind === "choice" || r.min <= r.max, { message: "min must not exceed max" });

/** One parameter's range. */
export type ParameterRange = z.infer<typeof ParameterRangeSchema>;

/** Ranges by parameter name, for random search and the TPE sampler. */
export const SearchSpaceSchema = z.record(z.string(), ParameterRangeSchema);

/** Ranges by parameter name. */
export type SearchSpace = z.infer<typeof SearchSpaceSchema>;

/** Values to try by parameter name, for grid search. */
export const ParameterGridSchema = z.record(z.string(), z.array(scalar).min(1));

/** Values to try by parameter name, for grid search. */
export type ParameterGrid = z.infer<typeof ParameterGridSchema>;

/**
 * A sequential search over a space: `tpe` (a Tree-structured Parzen Estimator after
 * `startup_trials` random ones, tpe_sampler.ts), `gp` (Bayesian optimisation with a
 * Gaussian process after `startup_trials` random ones, gp_sampler.ts) or `random`,
 * `trials` trials in all, bad trials pruned after each inner fold when `prune` is on (a
 * median rule, see median_pruner.ts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SearchSchema } from "./search_space_schema.ts";
 *
 * const search = SearchSchema.parse({ space: { alpha: { kind: "log_uniform", min: 0.01, max: 100 } } });
 * assert.deepEqual([search.method, search.trials, search.startup_trials, search.prune], ["tpe", 50, 10, true]);
 * assert.throws(() => SearchSchema.parse({ space: {}, trails: 20 }), /trails/); // a typo
 * ```
 */
export const SearchSchema = z.strictObject({
  method: z.enum(["tpe", "gp", "random"]).default("tpe"),
  space: SearchSpaceSchema.refine((s) => Object.keys(s).length > 0, {
    message: "the search space names no parameter",
  }),
  /** Trials in all, the random start-up ones included. */
  trials: z.number().int().min(1).default(50),
  /** Random trials before the sampler models the scores (TPE and GP only). */
  startup_trials: z.number().int().min(1).default(10),
  /** Stop a trial after an inner fold when it is worse than the median so far. */
  prune: z.boolean().default(true),
}).refine((s) => s.startup_trials <= s.trials, {
  message: "startup_trials must not exceed trials",
  path: ["startup_trials"],
});

/** A parsed sequential search. */
export type Search = z.infer<typeof SearchSchema>;
