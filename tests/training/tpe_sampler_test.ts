import assert from "node:assert/strict";
import { z } from "zod";
import type { SearchSpace } from "../../pipeline/config/search_space_schema.ts";
import type { Sampler, Trial } from "../../pipeline/training/sampler.ts";
import { listSampler } from "../../pipeline/training/sampler.ts";
import { randomCandidates } from "../../pipeline/training/search_space.ts";
import { tpeSampler } from "../../pipeline/training/tpe_sampler.ts";
import { prunedTrap, runSearch, SHARE_SCHEMA, SHARE_SPACE } from "../support/sampler_fixtures.ts";

const Schema = z.strictObject({
  rate: z.number().positive(),
  depth: z.number().int(),
  share: z.number(),
  kind: z.enum(["a", "b", "c"]),
});
type Params = z.infer<typeof Schema>;

const SPACE: SearchSpace = {
  rate: { kind: "log_uniform", min: 1e-4, max: 1 },
  depth: { kind: "int", min: 1, max: 12 },
  share: { kind: "uniform", min: 0, max: 1 },
  kind: { kind: "choice", values: ["a", "b", "c"] },
};

/** A cheap objective with its optimum 0 at rate 0.01, depth 4, share 0.3, kind "b". */
function objective(p: Params): number {
  return (Math.log10(p.rate) + 2) ** 2 / 4 + ((p.depth - 4) / 11) ** 2 + (p.share - 0.3) ** 2 +
    (p.kind === "b" ? 0 : 0.3);
}

const run = (sampler: Sampler<Params>) => runSearch(sampler, objective);

const tpe = (seed: number, trials = 40) =>
  tpeSampler(Schema, SPACE, { trials, startupTrials: 10, seed });

Deno.test("TPE proposes the same trials for the same seed, others for another", () => {
  const a = run(tpe(5)).map((t) => t.params);
  assert.deepEqual(run(tpe(5)).map((t) => t.params), a);
  assert.notDeepEqual(run(tpe(6)).map((t) => t.params), a);
});

Deno.test("TPE keeps every proposal inside its range and of its type", () => {
  for (const { params: p } of run(tpe(11, 60))) {
    assert.ok(p.rate >= 1e-4 && p.rate <= 1, `rate ${p.rate}`);
    assert.ok(Number.isInteger(p.depth) && p.depth >= 1 && p.depth <= 12, `depth ${p.depth}`);
    assert.ok(p.share >= 0 && p.share <= 1, `share ${p.share}`);
    assert.ok(["a", "b", "c"].includes(p.kind));
  }
});

Deno.test("TPE merges the fixed params and lets the schema reject a bad space", () => {
  const schema = z.strictObject({ x: z.number(), fixed: z.string() });
  const sampler = tpeSampler(schema, { x: { kind: "uniform", min: 0, max: 1 } }, {
    trials: 3,
    seed: 1,
    base: { fixed: "kept" },
  });
  assert.equal(sampler.suggest([]).fixed, "kept");
  const strict = tpeSampler(schema, { y: { kind: "uniform", min: 0, max: 1 } }, {
    trials: 3,
    seed: 1,
    base: { fixed: "kept" },
  });
  assert.throws(() => strict.suggest([]), /y/);
});

Deno.test("TPE gets nearer the optimum than random search with as many trials", () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const best = (history: Trial<Params>[]) => Math.min(...history.map((t) => t.score));
  const tpeBest = seeds.map((s) => best(run(tpe(s))));
  const randomBest = seeds.map((s) =>
    best(run(listSampler(randomCandidates(Schema, SPACE, 40, s))))
  );
  const wins = seeds.filter((_, i) => tpeBest[i] < randomBest[i]).length;
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  assert.ok(wins >= 6, `TPE better in ${wins} of ${seeds.length}: ${tpeBest} vs ${randomBest}`);
  assert.ok(median(tpeBest) < median(randomBest) / 2, `${median(tpeBest)} ${median(randomBest)}`);
  // After the random start-up, proposals gather at the optimum's category.
  const late = run(tpe(3)).slice(20).map((t) => t.params.kind);
  assert.ok(late.filter((k) => k === "b").length >= 14, late.join(""));
});

Deno.test("TPE ranks pruned trials behind complete ones", () => {
  const sampler = tpeSampler(SHARE_SCHEMA, SHARE_SPACE, { trials: 60, startupTrials: 1, seed: 2 });
  const history = prunedTrap(); // see tests/support/sampler_fixtures.ts
  const proposals = Array.from(
    { length: 15 },
    (_, k) => sampler.suggest(history.slice(0, 25 + k)).share,
  );
  const near = proposals.filter((share) => Math.abs(share - 0.2) < 0.15).length;
  assert.ok(near >= 10, proposals.join(" "));
  assert.ok(proposals.every((share) => share < 0.8), proposals.join(" "));
});
