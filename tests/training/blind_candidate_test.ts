/**
 * The blind candidate's inputs: the sensitive features come from the declared groups
 * and proxies (an unknown group is a clear error), and they leave the training data with
 * every indicator and interaction that used them.
 */
import assert from "node:assert/strict";
import { FairnessParamsSchema } from "../../pipeline/config/params_schema.ts";
import { fromRows } from "../../pipeline/core/matrix.ts";
import { UserError } from "../../pipeline/core/user_error.ts";
import { sensitiveFeatures, withoutFeatures } from "../../pipeline/training/blind_candidate.ts";
import type { TrainingData } from "../../pipeline/training/cross_validate.ts";

Deno.test("the sensitive features are the race group's and the named proxies", () => {
  const features = sensitiveFeatures(FairnessParamsSchema.parse({ proxies: ["PctIlleg"] }));
  assert.ok(features.includes("racepctblack") && features.includes("PctIlleg"));
  assert.throws(
    () => sensitiveFeatures(FairnessParamsSchema.parse({ sensitive_groups: ["race"] })),
    (e) =>
      e instanceof UserError &&
      /unknown feature group\(s\) race; known: race_ethnicity/.test(e.message),
  );
});

Deno.test("leaving features out drops their columns, indicators and interactions", () => {
  const data: TrainingData = {
    x: fromRows([[1, 2, 3], [4, 5, 6]]),
    y: new Float64Array([0.1, 0.2]),
    folds: new Float64Array([1, 2]),
    spec: {
      inputFeatures: ["a", "racepctblack", "c"],
      indicators: ["racepctblack", "c"],
      interactions: [["a", "c"], ["a", "racepctblack"]],
    },
  };
  const blind = withoutFeatures(data, new Set(["racepctblack"]));
  assert.deepEqual(blind.spec, {
    inputFeatures: ["a", "c"],
    indicators: ["c"],
    interactions: [["a", "c"]],
  });
  assert.deepEqual(Array.from(blind.x.data), [1, 3, 4, 6]);
  assert.equal(blind.y, data.y);
});
