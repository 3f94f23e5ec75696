import assert from "node:assert/strict";
import { parseCatalogue } from "../../pipeline/data/catalogue.ts";
import { summarize, validateDataset } from "../../pipeline/data/validate_dataset.ts";
import { loadParams } from "../../pipeline/config/load_params.ts";

const columns = parseCatalogue(await Deno.readTextFile("data/raw/communities.names"));
const params = await loadParams("validate");
const text = await Deno.readTextFile("data/raw/communities.data");
const lines = text.trimEnd().split("\n");
const index = (name: string) => columns.findIndex((c) => c.name === name);

/** Replaces one field of one data line (0-based) in `base`, returning the whole file text. */
function withField(line: number, column: string, value: string, base = text): string {
  const copy = base.trimEnd().split("\n");
  const fields = copy[line].split(",");
  fields[index(column)] = value;
  copy[line] = fields.join(",");
  return copy.join("\n") + "\n";
}

function failure(report: ReturnType<typeof validateDataset>, rule: string) {
  return report.failures.find((f) => f.rule === rule);
}

Deno.test("the shipped snapshot passes every check", () => {
  const report = validateDataset(text, columns, params);
  assert.equal(report.passed, true, summarize(report));
  assert.equal(report.rows, 1994);
});

Deno.test("an empty file fails with a message saying so", () => {
  const report = validateDataset("", columns, params);
  assert.equal(report.passed, false);
  assert.match(failure(report, "non_empty")!.message, /holds no rows/);
});

Deno.test("a row with a wrong column count is named by its line", () => {
  const copy = [...lines];
  copy[41] = copy[41].split(",").slice(0, 120).join(",");
  const report = validateDataset(copy.join("\n") + "\n", columns, params);
  const f = failure(report, "column_count")!;
  assert.match(f.message, /1 row\(s\) do not have 128 fields: line 42: "120 fields"/);
});

Deno.test("a truncated last line is reported as truncated", () => {
  const truncated = text.trimEnd().slice(0, -40);
  const f = failure(validateDataset(truncated, columns, params), "column_count")!;
  assert.match(f.message, /line 1994/);
  assert.match(f.message, /last line looks truncated/);
});

Deno.test("text in a numeric column names the column, rule and value", () => {
  const report = validateDataset(withField(9, "medIncome", "abc"), columns, params);
  const f = report.failures.find((r) => r.rule === "numeric_type")!;
  assert.equal(f.column, "medIncome");
  assert.match(f.message, /1 non-numeric value\(s\): line 10: "abc"/);
});

Deno.test("an out-of-range value is reported with its line", () => {
  const report = validateDataset(withField(4, "PctUnemployed", "1.7"), columns, params);
  const f = failure(report, "range_0_1")!;
  assert.equal(f.column, "PctUnemployed");
  assert.match(f.message, /line 5: "1.7"/);
});

Deno.test("a missing target and an unexpected missing rate both fail", () => {
  let broken = text;
  for (let i = 0; i < 100; i++) {
    broken = withField(i, "ViolentCrimesPerPop", "?", broken);
  }
  const report = validateDataset(broken, columns, params);
  assert.match(failure(report, "target_present")!.message, /100 row\(s\) without a target/);
  const rate = report.failures.find((f) =>
    f.rule === "missing_rate" && f.column === "ViolentCrimesPerPop"
  );
  assert.match(rate!.message, /missing rate 0.0502, expected 0.0000/);
});

Deno.test("a fold outside 1..10 is rejected", () => {
  const f = failure(validateDataset(withField(0, "fold", "11"), columns, params), "fold_values")!;
  assert.match(f.message, /not in 1..10: line 1: "11"/);
});

Deno.test("duplicate rows beyond the tolerance fail", () => {
  const duplicated = text + lines[0] + "\n";
  const f = failure(validateDataset(duplicated, columns, params), "duplicate_rows")!;
  assert.match(f.message, /1 duplicate row\(s\), at most 0 allowed: line 1995: "same as line 1"/);
});
