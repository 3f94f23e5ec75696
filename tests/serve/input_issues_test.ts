import assert from "node:assert/strict";
import { z } from "zod";
import { describeIssues, jsonPath } from "../../serve/input_issues.ts";

Deno.test("jsonPath writes indices in brackets and quotes odd keys", () => {
  assert.equal(jsonPath([]), "$");
  assert.equal(jsonPath(["rows", 2, "medIncome"]), "$.rows[2].medIncome");
  assert.equal(jsonPath(["a b", "x.y"]), '$["a b"]["x.y"]');
});

Deno.test("zod issues map to the API's rules with readable messages", () => {
  const schema = z.strictObject({
    a: z.number().min(0).max(1),
    b: z.number().min(0).max(1).nullable(),
    c: z.number(),
    d: z.number(),
    e: z.number(),
  });
  const result = schema.safeParse(
    { a: 2, b: -1, c: null, d: "x".repeat(100), e: NaN, f: 1, g: 2 },
    { reportInput: true },
  );
  assert.ok(!result.success);
  assert.deepEqual(describeIssues(result.error.issues), [
    { path: "$.a", rule: "maximum", message: "must be <= 1, got 2" },
    { path: "$.b", rule: "minimum", message: "must be >= 0, got -1" },
    {
      path: "$.c",
      rule: "not_nullable",
      message: "must be a number: null is accepted only for features with missing values in " +
        "the training data, which this one had none of",
    },
    { path: "$.d", rule: "type", message: `must be a number, got string "${"x".repeat(36)}...` },
    { path: "$.e", rule: "finite", message: "must be a finite number, got NaN" },
    { path: "$.f", rule: "unknown_field", message: "unknown field: not an input of this model" },
    { path: "$.g", rule: "unknown_field", message: "unknown field: not an input of this model" },
  ]);
});

Deno.test("array length and missing keys have their own rules", () => {
  const schema = z.strictObject({ rows: z.array(z.number()).min(1).max(2), n: z.number() });
  const short = schema.safeParse({ rows: [] }, { reportInput: true });
  assert.ok(!short.success);
  assert.deepEqual(describeIssues(short.error.issues).map((i) => [i.path, i.rule]), [
    ["$.rows", "min_items"],
    ["$.n", "required"],
  ]);
  const long = schema.safeParse({ rows: [1, 2, 3], n: [] }, { reportInput: true });
  assert.ok(!long.success);
  assert.deepEqual(describeIssues(long.error.issues).map((i) => [i.path, i.rule, i.message]), [
    ["$.rows", "max_items", "must hold at most 2 rows"],
    ["$.n", "type", "must be a number, got an array"],
  ]);
});
