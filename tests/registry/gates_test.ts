import assert from "node:assert/strict";
import { absoluteGates } from "../../pipeline/registry/absolute_gates.ts";
import {
  failedGates,
  gateTagValue,
  onlyFailsToBeatChampion,
} from "../../pipeline/registry/gate_result.ts";
import { promotionGates } from "../../pipeline/registry/promotion_gates.ts";
import { GateThresholdsSchema } from "../../pipeline/config/register_params_schema.ts";
import { relativeGates } from "../../pipeline/registry/relative_gates.ts";
import { bundleGate, predictionGate, schemaGate } from "../../pipeline/registry/sanity_gates.ts";
import { matrix } from "../../pipeline/core/matrix.ts";
import { uniformMatrix } from "../support/linear_data.ts";
import { CONTRACT, testBundle } from "../support/test_bundle.ts";

const thresholds = GateThresholdsSchema.parse({
  max_cv_rmse: 0.15,
  min_cv_r2: 0.6,
  max_fold_rmse: 0.2,
  min_improvement: 0.002,
});
const good = { cv_rmse: 0.13, cv_r2: 0.66, cv_fold_rmse_max: 0.17 };
const byName = (gates: { name: string; passed: boolean }[]) =>
  Object.fromEntries(gates.map((g) => [g.name, g.passed]));

Deno.test("absolute gates pass a model within every limit", () => {
  const gates = absoluteGates(good, thresholds);
  assert.deepEqual(byName(gates), { max_cv_rmse: true, min_cv_r2: true, max_fold_rmse: true });
  assert.equal(gateTagValue(gates[0]), "pass 0.130000");
});

Deno.test("absolute gates fail each limit on its own", () => {
  assert.deepEqual(failedGates(absoluteGates({ ...good, cv_rmse: 0.151 }, thresholds)), [
    "max_cv_rmse",
  ]);
  assert.deepEqual(failedGates(absoluteGates({ ...good, cv_r2: 0.59 }, thresholds)), ["min_cv_r2"]);
  assert.deepEqual(
    failedGates(absoluteGates({ ...good, cv_fold_rmse_max: 0.21 }, thresholds)),
    ["max_fold_rmse"],
  );
  const missing = absoluteGates({ cv_r2: 0.7, cv_fold_rmse_max: 0.1 }, thresholds)[0];
  assert.equal(missing.passed, false);
  assert.match(missing.detail, /no finite cv_rmse/);
});

const champion = { version: "1", dataHash: "d1", split: "cv=1,2;holdout=2", cvRmse: 0.14 };

Deno.test("relative gates pass a challenger that beats the champion by the margin", () => {
  const gates = relativeGates({ ...champion, version: "2", cvRmse: 0.137 }, champion, 0.002);
  assert.deepEqual(byName(gates), { same_data: true, beats_champion: true });
  assert.ok(Math.abs(gates[1].value! - 0.003) < 1e-12);
});

Deno.test("relative gates fail a challenger that improves by less than the margin", () => {
  const gates = relativeGates({ ...champion, version: "2", cvRmse: 0.139 }, champion, 0.002);
  assert.deepEqual(byName(gates), { same_data: true, beats_champion: false });
  assert.match(gates[1].detail, /improvement 0\.0010 < min 0\.002/);
});

Deno.test("relative gates refuse to compare scores on different data or folds", () => {
  const data = relativeGates(
    { ...champion, version: "2", dataHash: "d2", cvRmse: 0.01 },
    champion,
    0,
  );
  assert.deepEqual(byName(data), { same_data: false, beats_champion: false });
  assert.match(data[0].detail, /data changed/);
  assert.match(data[1].detail, /not compared/);
  const folds = relativeGates(
    { ...champion, version: "2", split: "cv=1,2,3;holdout=3" },
    champion,
    0,
  );
  assert.match(folds[0].detail, /folds differ/);
  assert.equal(
    relativeGates({ ...champion, split: "" }, { ...champion, split: "" }, 0)[0].passed,
    false,
  );
});

Deno.test("bundle gate reports why the bundle did not open", () => {
  assert.equal(bundleGate(undefined).passed, true);
  const failed = bundleGate("checksum mismatch");
  assert.equal(failed.passed, false);
  assert.equal(failed.detail, "checksum mismatch");
});

Deno.test("schema gate requires the contract's names in the contract's order", () => {
  assert.equal(schemaGate(CONTRACT, CONTRACT).passed, true);
  const missing = schemaGate(CONTRACT.slice(1), CONTRACT);
  assert.equal(missing.passed, false);
  assert.match(missing.detail, /121 features, contract 122: missing population/);
  const swapped = [CONTRACT[1], CONTRACT[0], ...CONTRACT.slice(2)];
  assert.match(schemaGate(swapped, CONTRACT).detail, /order differs at position 1/);
});

Deno.test("prediction gate requires finite predictions inside the range", () => {
  assert.equal(predictionGate(new Float64Array([0, 0.5, 1]), [0, 1], "fold 10").passed, true);
  const bad = predictionGate(new Float64Array([0.2, NaN, 1.3, -0.4]), [0, 1], "fold 10");
  assert.equal(bad.passed, false);
  assert.equal(bad.value, 3);
  assert.match(bad.detail, /1 not finite, 2 outside \[0, 1\]/);
  assert.equal(predictionGate(new Float64Array(0), [0, 1], "fold 10").passed, false);
});

Deno.test("promotion gates run sanity and absolute gates, plus relative ones with a champion", async () => {
  const bundle = await testBundle({ inputs: 5, metrics: good, dataHash: "d1" });
  const inputs = {
    challenger: { bundle },
    version: "2",
    split: champion.split,
    contract: CONTRACT,
    holdout: uniformMatrix(30, CONTRACT.length, 7),
    holdoutFold: 10,
    thresholds,
  };
  const first = promotionGates(inputs);
  assert.deepEqual(first.map((g) => g.name), [
    "bundle_opens",
    "feature_schema",
    "holdout_predictions",
    "max_cv_rmse",
    "min_cv_r2",
    "max_fold_rmse",
  ]);
  assert.deepEqual(failedGates(first), []);
  const compared = promotionGates({ ...inputs, champion: { ...champion, cvRmse: 0.131 } });
  assert.deepEqual(failedGates(compared), ["beats_champion"]);
  const tight = promotionGates({
    ...inputs,
    thresholds: { ...thresholds, prediction_range: [0.9, 1] },
  });
  assert.deepEqual(failedGates(tight), ["holdout_predictions"]);
  const wrongWidth = promotionGates({ ...inputs, holdout: matrix(3, 5) });
  assert.match(
    wrongWidth.find((g) => g.name === "holdout_predictions")!.detail,
    /prediction failed/,
  );
  const unopened = promotionGates({ ...inputs, challenger: { problem: "checksum mismatch" } });
  assert.deepEqual(failedGates(unopened).length, 6);
});

Deno.test("only a sound challenger that is merely no better counts as a routine refusal", () => {
  const gate = (name: string, passed: boolean) => ({ name, passed, detail: "" });
  const sound = [
    gate("max_cv_rmse", true),
    gate("same_data", true),
    gate("holdout_predictions", true),
  ];
  assert.equal(onlyFailsToBeatChampion([...sound, gate("beats_champion", false)]), true);
  assert.equal(onlyFailsToBeatChampion([...sound, gate("beats_champion", true)]), false);
  // Worse on an absolute, data or sanity gate as well: a failure, not an outcome.
  for (const other of ["max_cv_rmse", "same_data", "holdout_predictions"]) {
    const gates = [...sound.filter((g) => g.name !== other), gate(other, false)];
    assert.equal(onlyFailsToBeatChampion([...gates, gate("beats_champion", false)]), false, other);
  }
});
