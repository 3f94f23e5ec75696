import assert from "node:assert/strict";
import { seededRandom } from "../../pipeline/core/random.ts";
import { parameterImportance } from "../../pipeline/training/parameter_importance.ts";
import type { Trial } from "../../pipeline/training/sampler.ts";

type P = { rate: number; kind: string; noise: number };

function trials(count: number, score: (p: P) => number): Trial<P>[] {
  const rng = seededRandom(9);
  return Array.from({ length: count }, () => {
    const params = { rate: rng.next(), kind: ["a", "b", "c"][rng.int(3)], noise: rng.next() };
    const s = score(params);
    return { params, score: s, foldScores: [s], state: "complete" };
  });
}

Deno.test("importance finds the parameter that drives the score, numeric or categorical", () => {
  const byRate = parameterImportance(trials(60, (p) => p.rate ** 2), ["rate", "kind", "noise"]);
  assert.ok(byRate.rate > 0.7, JSON.stringify(byRate));
  const byKind = parameterImportance(
    trials(60, (p) => (p.kind === "b" ? 0 : 1) + 0.01 * p.noise),
    ["rate", "kind", "noise"],
  );
  assert.ok(byKind.kind > 0.7, JSON.stringify(byKind));
  const sum = Object.values(byKind).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12);
});

Deno.test("importance ranks scores, so one diverged trial does not decide it", () => {
  const history = trials(60, (p) => p.rate);
  // The trial with the largest noise diverged: without ranks, noise would look decisive.
  const worst = history.reduce((a, b) => (b.params.noise > a.params.noise ? b : a));
  const diverged = history.map((t) => t === worst ? { ...t, score: 1e9 } : t);
  const importance = parameterImportance(diverged, ["rate", "noise"]);
  assert.ok(importance.rate > importance.noise * 3, JSON.stringify(importance));
});

Deno.test("importance leaves out pruned trials and is zero without enough complete ones", () => {
  const history = trials(3, (p) => p.rate);
  assert.deepEqual(parameterImportance(history, ["rate"]), { rate: 0 });
  const pruned = trials(30, (p) => p.noise).map((t) => ({ ...t, state: "pruned" as const }));
  const mixed = [...trials(30, (p) => p.rate), ...pruned];
  const importance = parameterImportance(mixed, ["rate", "noise"]);
  assert.ok(importance.rate > 0.7, JSON.stringify(importance));
});
