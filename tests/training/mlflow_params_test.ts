import assert from "node:assert/strict";
import { foldChoices, hyperParams } from "../../pipeline/training/mlflow_params.ts";

Deno.test("a tie between folds' choices goes to the earliest fold's value", () => {
  const choices = foldChoices([
    { fold: 4, params: { alpha: 10 } },
    { fold: 5, params: { alpha: 3 } },
  ]);
  assert.deepEqual(choices.params, { alpha: "10" });
  assert.deepEqual(choices.varying, ["alpha"]);
});

Deno.test("a hyper-parameter some folds lack counts as varying, and no fold's value is lost", () => {
  const choices = foldChoices([
    { fold: 1, params: { alpha: 1, l1Ratio: 0.5 } },
    { fold: 2, params: { alpha: 1 } },
  ]);
  assert.deepEqual(choices.params, { alpha: "1", l1Ratio: "0.5" });
  assert.deepEqual(choices.varying, ["l1Ratio"]);
  assert.deepEqual(choices.byFold, { 1: { l1Ratio: "0.5" }, 2: {} });
});

Deno.test("folds that agree leave nothing varying", () => {
  const same = { maxDepth: 4, hiddenLayers: [32] };
  const choices = foldChoices([{ fold: 1, params: same }, { fold: 2, params: same }]);
  assert.deepEqual(choices.params, { maxDepth: "4", hiddenLayers: "[32]" });
  assert.deepEqual(choices.varying, []);
});

Deno.test("null and nested values become text MLflow can store", () => {
  assert.deepEqual(hyperParams({ seed: null, a: { b: { c: 1 } } }), { seed: "null", "a.b.c": "1" });
});
