import assert from "node:assert/strict";
import { z } from "zod";
import { seededRandom } from "../../../pipeline/core/random.ts";
import {
  batchReport,
  describeIssues,
  jsonPath,
  rowReport,
} from "../../../serve/contract/input_issues.ts";
import { inputSchemas } from "../../../serve/contract/input_schemas.ts";
import { parseJsonBody } from "../../../serve/contract/read_json.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

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

Deno.test("describeIssues stops at its limit", () => {
  const schema = z.strictObject({ a: z.number(), b: z.number() });
  const result = schema.safeParse({ x: 1, y: 2, z: 3 }, { reportInput: true });
  assert.ok(!result.success);
  assert.deepEqual(describeIssues(result.error.issues, 3).map((i) => i.path), [
    "$.a",
    "$.b",
    "$.x",
  ]);
  assert.equal(describeIssues(result.error.issues).length, 5);
});

Deno.test("a key too long to show is cut in its path", () => {
  const key = "k".repeat(10_000);
  assert.equal(jsonPath([key]), `$["${"k".repeat(100)}..."]`);
  assert.equal(jsonPath(["rows", 1, "a".repeat(100)]), `$.rows[1].${"a".repeat(100)}`);
});

const bundle = await testBundle();
const schemas = inputSchemas(bundle.features, 5);
const names = bundle.features.map((f) => f.name);

/** A row broken in a few random ways (or not at all). */
function badRow(rng: ReturnType<typeof seededRandom>, seed: number): unknown {
  const odd: unknown[] = [null, NaN, Infinity, -1, 2, "0.5", true, {}, [1], undefined, 0.5];
  switch (rng.int(8)) {
    case 0:
      return [null, 3, "row", [], {}][rng.int(5)];
    case 1:
      return randomRow(bundle, seed);
    default: {
      const row: Record<string, unknown> = randomRow(bundle, seed, rng.int(3));
      for (let k = rng.int(6); k >= 0; k--) {
        const name = names[rng.int(names.length)];
        const choice = rng.int(4);
        if (choice === 0) delete row[name];
        else if (choice === 1) row[`${name}_x${k}`] = 1;
        else if (choice === 2) row[String(rng.int(9))] = 0; // integer keys come first
        else row[name] = odd[rng.int(odd.length)];
      }
      return row;
    }
  }
}

/** zod's whole report, described: what the bounded reports must agree with. */
function zodReport(schema: z.ZodType, body: unknown) {
  const result = schema.safeParse(body, { reportInput: true });
  return result.success ? [] : describeIssues(result.error.issues);
}

Deno.test("the bounded reports list what zod lists, in its order, and count all of it", () => {
  const rng = seededRandom(11);
  for (let n = 0; n < 400; n++) {
    const row = badRow(rng, n);
    const all = zodReport(schemas.row, row);
    for (const limit of [100, 3]) {
      assert.deepEqual(rowReport(schemas, row, limit), {
        issues: all.slice(0, limit),
        count: all.length,
      });
    }
    const batches: unknown[] = [
      { rows: Array.from({ length: rng.int(8) }, (_, i) => badRow(rng, 1000 * n + i)) },
      { rows: [badRow(rng, n)], [["extra", "__proto__", "0", "rows2"][rng.int(4)]]: 1 },
      { rows: badRow(rng, n) },
      {},
      [{ rows: [] }],
      null,
    ];
    for (const batch of batches) {
      const expected = zodReport(schemas.batch, batch);
      for (const limit of [100, 7]) {
        assert.deepEqual(
          batchReport(schemas, batch, limit),
          { issues: expected.slice(0, limit), count: expected.length },
          JSON.stringify(batch)?.slice(0, 200),
        );
      }
    }
  }
});

Deno.test("a batch of 1,000 empty rows: zod sees one row, the rest are only counted", () => {
  const big = inputSchemas(bundle.features, 1000);
  let checked = 0;
  const counting = {
    ...big,
    row: {
      safeParse: (...args: Parameters<z.ZodType["safeParse"]>) => {
        checked++;
        return big.row.safeParse(...args);
      },
    } as unknown as z.ZodType,
  };
  const started = performance.now();
  const report = batchReport(counting, { rows: Array.from({ length: 1000 }, () => ({})) }, 100);
  const ms = performance.now() - started;
  assert.equal(report.count, 1000 * names.length);
  assert.equal(report.issues.length, 100);
  assert.deepEqual(report.issues[0], {
    path: `$.rows[0].${names[0]}`,
    rule: "required",
    message: "required number is missing",
  });
  assert.equal(checked, 1);
  assert.ok(ms < 200, `${ms.toFixed(0)} ms`);
});

Deno.test("what the scan cuts from a body changes no report", () => {
  const rng = seededRandom(12);
  const junk = (): unknown =>
    [
      [[1, [2, [NaN]]], { a: { b: [] } }],
      { deep: [[[[[{}]]]]] },
      "z".repeat(300 + rng.int(300)) + '\u00e9\\"',
      `${"\u00e9".repeat(200)}😀${"x".repeat(100)}`,
      -Infinity,
    ][rng.int(5)];
  const encode = (value: unknown) =>
    JSON.stringify(value, (_k, v) => typeof v === "number" && !Number.isFinite(v) ? `#${v}#` : v)
      .replace(/"#(-?Infinity|NaN)#"/g, "$1");
  const maxFields = names.length + 100;
  let cuts = 0;
  for (let n = 0; n < 300; n++) {
    const row = badRow(rng, n) as Record<string, unknown>;
    if (typeof row === "object" && row !== null && !Array.isArray(row)) {
      for (let k = rng.int(4); k > 0; k--) {
        row[rng.int(2) ? names[rng.int(names.length)] : `j${k}`] = junk();
      }
    }
    const batch = { rows: [row, junk(), badRow(rng, n + 1)], [`x${n % 3}`]: junk() };
    for (const [body, kind] of [[row, "row"], [batch, "batch"], [junk(), "row"]] as const) {
      const text = encode(body);
      const whole = parseJsonBody(text);
      const cut = parseJsonBody(text, { kind, maxFields, maxRows: 5 });
      assert.ok(whole.ok && cut.ok, text.slice(0, 100));
      if (JSON.stringify(cut.value) !== JSON.stringify(whole.value)) cuts++;
      const report = kind === "row" ? rowReport : batchReport;
      assert.deepEqual(
        report(schemas, cut.value, 100),
        report(schemas, whole.value, 100),
        text.slice(0, 200),
      );
    }
  }
  assert.ok(cuts > 300, `only ${cuts} bodies had anything cut`);
});
