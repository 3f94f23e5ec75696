import assert from "node:assert/strict";
import { join } from "node:path";
import { FEATURE_LIST } from "../../pipeline/artefacts/feature_list.ts";
import { ArtefactError } from "../../pipeline/artefacts/json_artefact.ts";
import {
  formatOofPredictions,
  parseOofPredictions,
} from "../../pipeline/artefacts/oof_predictions.ts";
import { SPLIT_PLAN } from "../../pipeline/artefacts/split_plan.ts";
import { TRAIN_RUN } from "../../pipeline/artefacts/train_run.ts";
import { SchemaError } from "../../pipeline/config/schema_error.ts";
import { UserError } from "../../pipeline/core/user_error.ts";
import { describeFailure, StageError } from "../../pipeline/stage_support/run_stage.ts";

Deno.test("a missing artefact names its file and the command that makes it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const error = await TRAIN_RUN.read(join(dir, "train_run.json")).catch((e) => e);
    assert.ok(error instanceof ArtefactError && error instanceof UserError);
    assert.match(error.message, /train_run\.json is missing: run the stage that produces it/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an artefact of the wrong shape names the file and the key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "split.json");
    await Deno.writeTextFile(path, JSON.stringify({ cvFolds: [1, 2], holdoutFold: "10" }));
    const error = await SPLIT_PLAN.read(path).catch((e) => e);
    assert.ok(error instanceof SchemaError);
    assert.match(error.message, /split\.json: holdoutFold: .*expected number/);
    assert.match(error.message, /split\.json: rowsPerFold: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an artefact round-trips through write and read, and a bad value is not written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "features.json");
    const list = {
      features: ["a", "b"],
      interactions: [["a", "b"] as const],
      decisions: [{ name: "a", kept: true, reason: "selected" }],
      indicators: ["b"],
    };
    await FEATURE_LIST.write(list, path);
    assert.deepEqual(await FEATURE_LIST.read(path), list);
    await assert.rejects(FEATURE_LIST.write({ ...list, features: [] }, path), SchemaError);
    assert.deepEqual(await FEATURE_LIST.read(path), list, "the good file is left as it was");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("out-of-fold predictions are read by column name, not position", () => {
  const text = "predicted,row,actual,fold\n0.250000,3,0.2,1\n0.5,4,0.75,2\n";
  assert.deepEqual(parseOofPredictions(text), [
    { row: 3, fold: 1, actual: 0.2, predicted: 0.25 },
    { row: 4, fold: 2, actual: 0.75, predicted: 0.5 },
  ]);
  const rows = [{ row: 0, fold: 10, actual: 0.1, predicted: 0.1234567 }];
  assert.equal(formatOofPredictions(rows), "row,fold,actual,predicted\n0,10,0.1,0.123457\n");
});

Deno.test("a bad out-of-fold file names the line or the missing column", () => {
  assert.throws(
    () => parseOofPredictions("row,fold,actual,predicted\n1,1,0.2,0.3\n2,1,,0.4\n", "oof.csv"),
    /oof\.csv: line 3: actual: /,
  );
  assert.throws(
    () => parseOofPredictions("row,fold,actual\n1,1,0.2\n"),
    /lacks column\(s\) predicted/,
  );
});

Deno.test("a failed stage shows a user error's message and a bug's stack", () => {
  assert.equal(
    describeFailure(new StageError("fold 3 has no rows"), undefined),
    "fold 3 has no rows",
  );
  assert.equal(
    describeFailure(new SchemaError("params.yaml: seed: bad"), undefined),
    "params.yaml: seed: bad",
  );
  const bug = describeFailure(new TypeError("x is undefined"), undefined);
  assert.match(bug, /^TypeError: x is undefined\n\s+at /);
  assert.match(describeFailure(new StageError("fold 3"), "1"), /^StageError: fold 3\n\s+at /);
});
