/**
 * What a candidate's tuning tries, from its configuration: the grid's combinations, or a
 * `search` (TPE, GP or random over a space, with the median pruner when `prune` is on).
 *
 * @module
 */
import type { z } from "zod";
import type { Candidate } from "../config/params_schema.ts";
import { gpSampler } from "./gp_sampler.ts";
import { medianPruner, type Pruner } from "./median_pruner.ts";
import { listSampler, type Sampler } from "./sampler.ts";
import { gridCandidates, randomCandidates } from "./search_space.ts";
import { tpeSampler } from "./tpe_sampler.ts";

/** The candidates of a search and its pruner, if any. */
export interface SearchPlan<P> {
  readonly candidates: Sampler<P>;
  readonly pruner?: Pruner;
}

/**
 * The plan of `candidate`'s search, its proposals parsed by the family's `schema` over
 * the candidate's fixed params; undefined when it has neither `grid` nor `search`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CandidateSchema } from "../config/params_schema.ts";
 * import { RidgeParamsSchema } from "../models/ridge/ridge_model.ts";
 * import { searchPlan } from "./search_plan.ts";
 *
 * const candidate = CandidateSchema.parse({
 *   family: "ridge",
 *   search: { method: "tpe", space: { alpha: { kind: "log_uniform", min: 0.1, max: 100 } }, trials: 20 },
 * });
 * const plan = searchPlan(candidate, RidgeParamsSchema, 42)!;
 * assert.equal(plan.candidates.size, 20);
 * assert.ok(plan.pruner !== undefined); // prune is on by default
 * const gp = CandidateSchema.parse({ ...candidate, search: { ...candidate.search, method: "gp" } });
 * assert.equal(searchPlan(gp, RidgeParamsSchema, 42)!.candidates.size, 20);
 * assert.equal(searchPlan(CandidateSchema.parse({ family: "ols" }), RidgeParamsSchema, 42), undefined);
 * ```
 */
export function searchPlan<S extends z.ZodType>(
  candidate: Candidate,
  schema: S,
  seed: number,
): SearchPlan<z.output<S>> | undefined {
  if (candidate.grid) {
    return { candidates: listSampler(gridCandidates(schema, candidate.grid, candidate.params)) };
  }
  const search = candidate.search;
  if (!search) return undefined;
  const base = candidate.params;
  const model = { trials: search.trials, startupTrials: search.startup_trials, seed, base };
  const candidates = search.method === "tpe"
    ? tpeSampler(schema, search.space, model)
    : search.method === "gp"
    ? gpSampler(schema, search.space, model)
    : listSampler(randomCandidates(schema, search.space, search.trials, seed, base));
  return { candidates, pruner: search.prune ? medianPruner() : undefined };
}
