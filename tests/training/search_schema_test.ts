import assert from "node:assert/strict";
import { CandidateSchema, TrainParamsSchema } from "../../pipeline/config/params_schema.ts";
import { parseWith } from "../../pipeline/config/schema_error.ts";

const space = { alpha: { kind: "log_uniform", min: 0.01, max: 100 } };
const parse = (candidate: unknown) =>
  parseWith(TrainParamsSchema, { candidates: [candidate], ensemble: {} }, "config/params.yaml");

Deno.test("a search gets its defaults and keeps the tuning budget", () => {
  const candidate = CandidateSchema.parse({ family: "ridge", search: { space } });
  assert.deepEqual(candidate.search, {
    method: "tpe",
    space,
    trials: 50,
    startup_trials: 10,
    prune: true,
  });
  assert.equal(candidate.tuning_budget_s, 60);
});

Deno.test("a GP search is accepted with the same defaults", () => {
  const candidate = CandidateSchema.parse({ family: "ridge", search: { method: "gp", space } });
  assert.deepEqual(candidate.search, {
    method: "gp",
    space,
    trials: 50,
    startup_trials: 10,
    prune: true,
  });
});

Deno.test("a misspelt search key is named, with its path", () => {
  assert.throws(
    () => parse({ family: "ridge", search: { space, trails: 20 } }),
    /unknown key candidates\.0\.search\.trails \(check the spelling\)/,
  );
  assert.throws(
    () => parse({ family: "ridge", serach: { space } }),
    /unknown key candidates\.0\.serach/,
  );
});

Deno.test("an unknown method or range kind is rejected with the allowed ones", () => {
  assert.throws(
    () => parse({ family: "ridge", search: { method: "bayes", space } }),
    /candidates\.0\.search\.method: .*"tpe"\|"gp"\|"random"/,
  );
  assert.throws(
    () =>
      parse({
        family: "ridge",
        search: { space: { alpha: { kind: "loguniform", min: 1, max: 2 } } },
      }),
    /candidates\.0\.search\.space\.alpha\.kind: .*'log_uniform'/,
  );
  assert.throws(
    () => parse({ family: "ridge", search: { space: { alpha: { kind: "int", min: 1, mx: 2 } } } }),
    /search\.space\.alpha\.mx/,
  );
});

Deno.test("grid and search together, an empty space or too many start-up trials are refused", () => {
  assert.throws(
    () => parse({ family: "ridge", grid: { alpha: [1] }, search: { space } }),
    /candidates\.0\.search: give either grid or search, not both/,
  );
  assert.throws(
    () => parse({ family: "ridge", search: { space: {} } }),
    /search\.space: the search space names no parameter/,
  );
  assert.throws(
    () => parse({ family: "ridge", search: { space, trials: 5, startup_trials: 10 } }),
    /search\.startup_trials: startup_trials must not exceed trials/,
  );
});
