/**
 * The checks the raw data must pass before anything downstream runs. Each rule is a pure
 * function returning results that name the column, the rule and the offending values.
 *
 * @module
 */
import type { ValidateParams } from "../config/params_schema.ts";
import { FOLD, TARGET } from "./catalogue.ts";
import { MISSING, type RawRecords, type RawTable } from "./raw_data.ts";

/** The outcome of one rule on one column (or on the whole file). */
export interface CheckResult {
  readonly rule: string;
  readonly column: string;
  readonly passed: boolean;
  readonly message: string;
  /** Up to a few offending values with their 1-based line numbers. */
  readonly examples?: readonly { line: number; value: string }[];
}

const MAX_EXAMPLES = 5;

function examples(table: RawTable, name: string, bad: (value: string, i: number) => boolean) {
  const values = table.text.get(name) ?? [];
  const found: { line: number; value: string }[] = [];
  let count = 0;
  values.forEach((value, i) => {
    if (!bad(value, i)) return;
    count++;
    if (found.length < MAX_EXAMPLES) found.push({ line: table.lines[i], value });
  });
  return { count, found };
}

function describe(found: readonly { line: number; value: string }[]): string {
  return found.map((e) => `line ${e.line}: "${e.value}"`).join(", ");
}

/** The file must hold data and every record must have the expected number of fields. */
export function checkShape(records: RawRecords, expectedColumns: number): CheckResult[] {
  if (records.fields.length === 0) {
    return [{ rule: "non_empty", column: "*", passed: false, message: "the file holds no rows" }];
  }
  const bad = records.fields
    .map((f, i) => ({ line: records.lines[i], value: `${f.length} fields` }))
    .filter((_, i) => records.fields[i].length !== expectedColumns);
  const truncated = records.missingFinalNewline && bad.some((b) => b.line === records.lines.at(-1));
  return [{
    rule: "column_count",
    column: "*",
    passed: bad.length === 0,
    message: bad.length === 0
      ? `${records.fields.length} rows, each with ${expectedColumns} fields`
      : `${bad.length} row(s) do not have ${expectedColumns} fields: ${
        describe(bad.slice(0, MAX_EXAMPLES))
      }${
        truncated ? " (the last line looks truncated: the file does not end with a newline)" : ""
      }`,
    examples: bad.slice(0, MAX_EXAMPLES),
  }];
}

/** Numeric columns must hold numbers or the missing marker. */
export function checkTypes(table: RawTable): CheckResult[] {
  return table.columns.filter((c) => c.type === "numeric").map((c) => {
    const { count, found } = examples(
      table,
      c.name,
      (v, i) => v !== MISSING && Number.isNaN(table.numbers.get(c.name)![i]),
    );
    return {
      rule: "numeric_type",
      column: c.name,
      passed: count === 0,
      message: count === 0
        ? "all values numeric or missing"
        : `${count} non-numeric value(s): ${describe(found)}`,
      examples: found,
    };
  });
}

/** Features and the target are normalised: every present value lies in [0, 1]. */
export function checkRanges(table: RawTable): CheckResult[] {
  return table.columns.filter((c) => c.role === "feature" || c.role === "target").map((c) => {
    const numbers = table.numbers.get(c.name)!;
    const { count, found } = examples(table, c.name, (_, i) => numbers[i] < 0 || numbers[i] > 1);
    return {
      rule: "range_0_1",
      column: c.name,
      passed: count === 0,
      message: count === 0
        ? "all values in [0, 1]"
        : `${count} value(s) outside [0, 1]: ${describe(found)}`,
      examples: found,
    };
  });
}

/** The share of missing values per column must match its expectation within a tolerance. */
export function checkMissingRates(table: RawTable, params: ValidateParams): CheckResult[] {
  return table.columns.map((c) => {
    const values = table.text.get(c.name)!;
    const rate = values.filter((v) => v === MISSING).length / Math.max(1, values.length);
    const expected = params.expected_missing[c.name] ?? params.default_expected_missing;
    const passed = Math.abs(rate - expected) <= params.missing_rate_tolerance;
    return {
      rule: "missing_rate",
      column: c.name,
      passed,
      message: `missing rate ${rate.toFixed(4)}, expected ${
        expected.toFixed(4)
      } ± ${params.missing_rate_tolerance}`,
    };
  });
}

/** The target must be present on every row. */
export function checkTarget(table: RawTable): CheckResult[] {
  if (!table.columns.some((c) => c.name === TARGET)) {
    return [{ rule: "target_present", column: TARGET, passed: false, message: "no target column" }];
  }
  const target = table.numbers.get(TARGET)!;
  const { count, found } = examples(table, TARGET, (_, i) => Number.isNaN(target[i]));
  return [{
    rule: "target_present",
    column: TARGET,
    passed: count === 0,
    message: count === 0
      ? "target present on every row"
      : `${count} row(s) without a target: ${describe(found)}`,
    examples: found,
  }];
}

/** Fold ids must be whole numbers from 1 to 10, and every fold must be used. */
export function checkFolds(table: RawTable): CheckResult[] {
  const folds = table.numbers.get(FOLD);
  if (!folds) {
    return [{ rule: "fold_values", column: FOLD, passed: false, message: "no fold column" }];
  }
  const { count, found } = examples(
    table,
    FOLD,
    (_, i) => !Number.isInteger(folds[i]) || folds[i] < 1 || folds[i] > 10,
  );
  const unused = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((f) => !folds.includes(f));
  const passed = count === 0 && unused.length === 0;
  const problems = [
    count > 0 ? `${count} value(s) not in 1..10: ${describe(found)}` : "",
    unused.length > 0 ? `fold(s) ${unused.join(", ")} have no rows` : "",
  ].filter(Boolean).join("; ");
  return [{
    rule: "fold_values",
    column: FOLD,
    passed,
    message: passed ? "folds 1..10 all present" : problems,
    examples: found,
  }];
}

/** Exact duplicate records are counted against a tolerance. */
export function checkDuplicates(records: RawRecords, maxDuplicates: number): CheckResult[] {
  const seen = new Map<string, number>();
  const duplicates: { line: number; value: string }[] = [];
  records.fields.forEach((fields, i) => {
    const key = fields.join(",");
    const first = seen.get(key);
    if (first === undefined) seen.set(key, records.lines[i]);
    else duplicates.push({ line: records.lines[i], value: `same as line ${first}` });
  });
  return [{
    rule: "duplicate_rows",
    column: "*",
    passed: duplicates.length <= maxDuplicates,
    message: `${duplicates.length} duplicate row(s), at most ${maxDuplicates} allowed${
      duplicates.length > 0 ? `: ${describe(duplicates.slice(0, MAX_EXAMPLES))}` : ""
    }`,
    examples: duplicates.slice(0, MAX_EXAMPLES),
  }];
}
