import assert from "node:assert/strict";
import { z } from "zod";
import type { SearchSpace } from "../../pipeline/config/search_space_schema.ts";
import { gpSampler } from "../../pipeline/training/gp_sampler.ts";
import type { Sampler, Trial } from "../../pipeline/training/sampler.ts";
import { listSampler } from "../../pipeline/training/sampler.ts";
import { randomCandidates } from "../../pipeline/training/search_space.ts";
import { tpeSampler } from "../../pipeline/training/tpe_sampler.ts";
import { prunedTrap, runSearch, SHARE_SCHEMA, SHARE_SPACE } from "../support/sampler_fixtures.ts";

const Schema = z.strictObject({
  rate: z.number().positive(),
  depth: z.number().int(),
  share: z.number(),
  mix: z.number(),
  kind: z.enum(["a", "b", "c"]),
});
type Params = z.infer<typeof Schema>;

const SPACE: SearchSpace = {
  rate: { kind: "log_uniform", min: 1e-4, max: 1 },
  depth: { kind: "int", min: 1, max: 12 },
  share: { kind: "uniform", min: 0, max: 1 },
  mix: { kind: "uniform", min: 0, max: 1 },
  kind: { kind: "choice", values: ["a", "b", "c"] },
};

/**
 * A smooth objective whose parameters interact, like a learning rate and a depth do:
 * its valley runs along a diagonal of (log rate, share), and its optimum 0 is at rate
 * 0.01, depth 4, share 0.3, mix 0.6 and kind "b".
 */
function objective(p: Params): number {
  const r = (Math.log10(p.rate) + 2) / 4;
  const s = p.share - 0.3;
  return (r + s) ** 2 + 4 * (r - s) ** 2 + ((p.depth - 4) / 11) ** 2 + (p.mix - 0.6) ** 2 +
    (p.kind === "b" ? 0 : 0.1);
}

const run = (sampler: Sampler<Params>, score = objective) => runSearch(sampler, score);

const gp = (seed: number, trials = 30) =>
  gpSampler(Schema, SPACE, { trials, startupTrials: 10, seed });
const best = (history: Trial<Params>[]) => Math.min(...history.map((t) => t.score));

Deno.test("the GP sampler proposes the same trials for the same seed, others for another", () => {
  const a = run(gp(5, 15)).map((t) => t.params);
  assert.deepEqual(run(gp(5, 15)).map((t) => t.params), a);
  assert.notDeepEqual(run(gp(6, 15)).map((t) => t.params), a);
});

Deno.test("the GP sampler starts with the random sampler's draws for its seed", () => {
  const proposals = run(gp(9, 14)).map((t) => t.params);
  assert.deepEqual(proposals.slice(0, 10), randomCandidates(Schema, SPACE, 10, 9));
  assert.notDeepEqual(proposals.slice(10), randomCandidates(Schema, SPACE, 14, 9).slice(10));
});

Deno.test("the GP sampler keeps every proposal inside its range and of its type", () => {
  for (const { params: p } of run(gp(11, 40))) {
    assert.ok(p.rate >= 1e-4 && p.rate <= 1, `rate ${p.rate}`);
    assert.ok(Number.isInteger(p.depth) && p.depth >= 1 && p.depth <= 12, `depth ${p.depth}`);
    assert.ok(p.share >= 0 && p.share <= 1 && p.mix >= 0 && p.mix <= 1, `${p.share} ${p.mix}`);
    assert.ok(["a", "b", "c"].includes(p.kind));
  }
});

Deno.test("the GP sampler merges the fixed params and lets the schema reject a bad space", () => {
  const schema = z.strictObject({ x: z.number(), fixed: z.string() });
  const options = { trials: 3, seed: 1, base: { fixed: "kept" } };
  assert.equal(
    gpSampler(schema, { x: { kind: "uniform", min: 0, max: 1 } }, options).suggest([]).fixed,
    "kept",
  );
  const strict = gpSampler(schema, { y: { kind: "uniform", min: 0, max: 1 } }, options);
  assert.throws(() => strict.suggest([]), /y/);
});

Deno.test("the GP sampler gets nearer a smooth optimum than random search and TPE", () => {
  // The numeric parameters alone: the objective is smooth in them, as the GP assumes.
  const schema = Schema.omit({ kind: true });
  const space: SearchSpace = { ...SPACE };
  delete space.kind;
  const score = (p: z.infer<typeof schema>) => objective({ ...p, kind: "b" });
  const bestOf = (sampler: Sampler<z.infer<typeof schema>>) => {
    const history: Trial<z.infer<typeof schema>>[] = [];
    while (history.length < sampler.size) {
      const params = sampler.suggest(history);
      const value = score(params);
      history.push({ params, score: value, foldScores: [value], state: "complete" });
    }
    return Math.min(...history.map((t) => t.score));
  };
  const seeds = [1, 2, 3, 4, 5, 6];
  const options = (seed: number) => ({ trials: 30, startupTrials: 10, seed });
  const gpBest = seeds.map((s) => bestOf(gpSampler(schema, space, options(s))));
  const tpeBest = seeds.map((s) => bestOf(tpeSampler(schema, space, options(s))));
  const randomBest = seeds.map((s) => bestOf(listSampler(randomCandidates(schema, space, 30, s))));
  const show = [gpBest, tpeBest, randomBest].map((b) => b.map((v) => v.toFixed(4)).join(" "));
  assert.ok(seeds.every((_, i) => gpBest[i] < randomBest[i] / 10), show.join("; "));
  assert.ok(seeds.every((_, i) => gpBest[i] < tpeBest[i] / 10), show.join("; "));
});

Deno.test("with a choice in the space, the GP sampler beats random search and mostly TPE", () => {
  // The 0.1 step between options is not smooth, unlike what the GP assumes.
  const seeds = [1, 2, 3, 4, 5, 6];
  const gpBest = seeds.map((s) => best(run(gp(s))));
  const randomBest = seeds.map((s) =>
    best(run(listSampler(randomCandidates(Schema, SPACE, 30, s))))
  );
  const tpeBest = seeds.map((s) =>
    best(run(tpeSampler(Schema, SPACE, { trials: 30, startupTrials: 10, seed: s })))
  );
  const show = [gpBest, tpeBest, randomBest].map((b) => b.map((v) => v.toFixed(3)).join(" "));
  assert.ok(seeds.every((_, i) => gpBest[i] < randomBest[i]), show.join("; "));
  assert.ok(seeds.filter((_, i) => gpBest[i] < tpeBest[i]).length >= 5, show.join("; "));
});

Deno.test("the GP sampler proposes no point twice while untried ones are left", () => {
  // Nine points in all; a fixed-seed score teaches nothing twice.
  const schema = z.strictObject({ a: z.number().int(), b: z.number().int() });
  const space: SearchSpace = {
    a: { kind: "int", min: 1, max: 3 },
    b: { kind: "int", min: 1, max: 3 },
  };
  const sampler = gpSampler(schema, space, { trials: 9, startupTrials: 3, seed: 4 });
  const history: Trial<{ a: number; b: number }>[] = [];
  while (history.length < sampler.size) {
    const params = sampler.suggest(history);
    const score = (params.a - 2) ** 2 + params.b;
    history.push({ params, score, foldScores: [score], state: "complete" });
  }
  const keys = history.slice(3).map((t) => `${t.params.a},${t.params.b}`);
  const start = new Set(history.slice(0, 3).map((t) => `${t.params.a},${t.params.b}`));
  assert.equal(new Set(keys).size, keys.length, keys.join(" "));
  assert.ok(keys.every((k) => !start.has(k)), keys.join(" "));
});

Deno.test("the GP sampler counts pruned trials as bad, whatever their partial score", () => {
  const sampler = gpSampler(SHARE_SCHEMA, SHARE_SPACE, { trials: 60, startupTrials: 1, seed: 2 });
  const history = prunedTrap(); // see tests/support/sampler_fixtures.ts
  const proposals = Array.from(
    { length: 10 },
    (_, k) => sampler.suggest(history.slice(0, 25 + k)).share,
  );
  assert.ok(proposals.every((share) => Math.abs(share - 0.2) < 0.15), proposals.join(" "));
});
