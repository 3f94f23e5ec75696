import assert from "node:assert/strict";
import { ElasticNetParamsSchema } from "../../pipeline/models/elastic_net/elastic_net_model.ts";
import { RidgeParamsSchema } from "../../pipeline/models/ridge/ridge_model.ts";
import { SearchSpaceSchema } from "../../pipeline/config/search_space_schema.ts";
import {
  gridCandidates,
  logSpace,
  randomCandidates,
} from "../../pipeline/training/search_space.ts";

Deno.test("logSpace spaces values evenly in log scale and hits both ends", () => {
  const values = logSpace(0.01, 100, 5);
  assert.equal(values.length, 5);
  assert.equal(values[0], 0.01);
  assert.equal(values[4], 100);
  for (let i = 1; i < 5; i++) assert.ok(Math.abs(values[i] / values[i - 1] - 10) < 1e-12);
});

Deno.test("gridCandidates builds the product, filling defaults from the schema", () => {
  const candidates = gridCandidates(ElasticNetParamsSchema, {
    alpha: [0.01, 0.1, 1],
    l1Ratio: [0.5, 1],
  });
  assert.equal(candidates.length, 6);
  assert.deepEqual(candidates[1], { alpha: 0.01, l1Ratio: 1, tol: 1e-6, maxIter: 10_000 });
  const pairs = new Set(candidates.map((c) => `${c.alpha}/${c.l1Ratio}`));
  assert.equal(pairs.size, 6);
});

Deno.test("gridCandidates rejects values the schema forbids", () => {
  assert.throws(() => gridCandidates(RidgeParamsSchema, { alpha: [1, -1] }));
  assert.throws(() => gridCandidates(RidgeParamsSchema, { gamma: [1] }));
});

Deno.test("randomCandidates stays in range and repeats with the same seed", () => {
  const space = SearchSpaceSchema.parse({
    alpha: { kind: "log_uniform", min: 1e-4, max: 1 },
    l1Ratio: { kind: "choice", values: [0.2, 0.8] },
    maxIter: { kind: "int", min: 100, max: 102 },
  });
  const candidates = randomCandidates(ElasticNetParamsSchema, space, 50, 3);
  for (const c of candidates) {
    assert.ok(c.alpha >= 1e-4 && c.alpha <= 1);
    assert.ok(c.l1Ratio === 0.2 || c.l1Ratio === 0.8);
    assert.ok([100, 101, 102].includes(c.maxIter));
  }
  assert.equal(new Set(candidates.map((c) => c.maxIter)).size, 3);
  assert.deepEqual(randomCandidates(ElasticNetParamsSchema, space, 50, 3), candidates);
  assert.notDeepEqual(randomCandidates(ElasticNetParamsSchema, space, 50, 4), candidates);
});

Deno.test("SearchSpaceSchema rejects inverted and non-positive log ranges", () => {
  assert.throws(() => SearchSpaceSchema.parse({ a: { kind: "uniform", min: 2, max: 1 } }));
  assert.throws(() => SearchSpaceSchema.parse({ a: { kind: "log_uniform", min: 0, max: 1 } }));
});
