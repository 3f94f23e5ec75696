/**
 * What the samplers' tests share: a search run on a cheap objective, and a history that
 * tempts a sampler with pruned trials (every fourth trial, near `share` 0.9, was pruned
 * with a partial score of 0, better than any complete trial, while the complete trials
 * are best near `share` 0.2: a sampler that counts pruned trials as bad proposes near
 * 0.2; one that believes their partial scores goes to 0.9).
 *
 * @module
 */
import { z } from "zod";
import type { Sampler, Trial } from "../../pipeline/training/sampler.ts";

/**
 * Every trial of `sampler`, each scored in full by `objective`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listSampler } from "../../pipeline/training/sampler.ts";
 * import { runSearch } from "./sampler_fixtures.ts";
 *
 * const history = runSearch(listSampler([{ x: 1 }, { x: 3 }]), (p) => p.x ** 2);
 * assert.deepEqual(history.map((t) => t.score), [1, 9]);
 * ```
 */
export function runSearch<P>(sampler: Sampler<P>, objective: (params: P) => number): Trial<P>[] {
  const history: Trial<P>[] = [];
  while (history.length < sampler.size) {
    const params = sampler.suggest(history);
    const score = objective(params);
    history.push({ params, score, foldScores: [score], state: "complete" });
  }
  return history;
}

/** The one parameter the trap's trials have. */
export const SHARE_SCHEMA = z.strictObject({ share: z.number() });
/** Its search space. */
export const SHARE_SPACE = { share: { kind: "uniform", min: 0, max: 1 } } as const;

/**
 * Forty trials of the trap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prunedTrap } from "./sampler_fixtures.ts";
 *
 * const history = prunedTrap();
 * assert.equal(history.filter((t) => t.state === "pruned").length, 10);
 * ```
 */
export function prunedTrap(): Trial<{ share: number }>[] {
  const history: Trial<{ share: number }>[] = [];
  for (let i = 0; i < 40; i++) {
    if (i % 4 === 0) {
      const share = 0.85 + (i % 7) * 0.02;
      history.push({ params: { share }, score: 0, foldScores: [0], state: "pruned" });
    } else {
      const share = (i * 0.37) % 1;
      const score = Math.abs(share - 0.2);
      history.push({ params: { share }, score, foldScores: [score, score], state: "complete" });
    }
  }
  return history;
}
