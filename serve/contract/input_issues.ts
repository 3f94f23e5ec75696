/**
 * Turns zod's validation issues into the API's input issues: a JSONPath to the field,
 * the rule broken, and a message that says what was expected and what was sent.
 *
 * A report lists at most a given number of issues and counts the rest: zod builds an
 * issue object for every problem it finds, so a body's rows are handed to zod only while
 * the list has room, and the remaining ones are counted by `countRowIssues`.
 *
 * @module
 */
import type { z } from "zod";
import type { InputIssue } from "./api_schemas.ts";
import type { InputSchemas } from "./input_schemas.ts";

/** The issues listed (up to a limit) and how many there are in all. */
export interface IssueReport {
  readonly issues: InputIssue[];
  readonly count: number;
}

/** Longest key shown whole in a path; longer ones are cut, marked with "...". */
const MAX_KEY_SHOWN = 100;

/**
 * Describes the problems zod found, one issue per unknown key, stopping at `limit`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeIssues } from "./input_issues.ts";
 * import { inputSchemas } from "./input_schemas.ts";
 *
 * const features = [{
 *   name: "population",
 *   description: "Population, normalised to [0, 1]",
 *   group: "demographics",
 *   min: 0,
 *   max: 1,
 *   nullable: false,
 * }];
 * const schemas = inputSchemas(features, 1000);
 * const result = schemas.row.safeParse({ population: "high", extra: 1 }, { reportInput: true });
 * assert.ok(!result.success);
 * const paths = describeIssues(result.error.issues).map((issue) => issue.path);
 * assert.deepEqual(paths.sort(), ["$.extra", "$.population"]);
 * ```
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  limit = Infinity,
): InputIssue[] {
  const out: InputIssue[] = [];
  for (const issue of issues) {
    if (out.length >= limit) break;
    const path = jsonPath(issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          if (out.length >= limit) break;
          out.push({
            path: jsonPath([...issue.path, key]),
            rule: "unknown_field",
            message: "unknown field: not an input of this model",
          });
        }
        break;
      case "invalid_type":
        out.push(typeIssue(path, issue));
        break;
      case "too_small":
        out.push(
          issue.origin === "array"
            ? { path, rule: "min_items", message: `must hold at least ${issue.minimum} rows` }
            : { path, rule: "minimum", message: `must be >= ${issue.minimum}, got ${issue.input}` },
        );
        break;
      case "too_big":
        out.push(
          issue.origin === "array"
            ? { path, rule: "max_items", message: `must hold at most ${issue.maximum} rows` }
            : { path, rule: "maximum", message: `must be <= ${issue.maximum}, got ${issue.input}` },
        );
        break;
      default:
        out.push({ path, rule: "invalid", message: issue.message });
    }
  }
  return out;
}

/**
 * The issues of a `/predict` body against the row schema: the first `limit`, and the count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowReport } from "./input_issues.ts";
 * import { inputSchemas } from "./input_schemas.ts";
 *
 * const features = [{
 *   name: "population",
 *   description: "Population, normalised to [0, 1]",
 *   group: "demographics",
 *   min: 0,
 *   max: 1,
 *   nullable: false,
 * }];
 * const { issues, count } = rowReport(inputSchemas(features, 1000), { population: 2 }, 100);
 * assert.equal(count, 1); // population is above its max
 * assert.equal(issues[0].path, "$.population");
 * ```
 */
export function rowReport(schemas: InputSchemas, body: unknown, limit: number): IssueReport {
  const count = schemas.countRowIssues(body);
  if (count === 0) return { issues: [], count };
  return { issues: listed(schemas.row, body, [], limit), count };
}

/**
 * The issues of a `/predict/batch` body against the batch schema, in the order zod lists
 * them (each row's, then the rows array's own, then unknown keys): the first `limit`,
 * and the count. zod sees a row only while the list has room.
 */
export function batchReport(schemas: InputSchemas, body: unknown, limit: number): IssueReport {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { issues: listed(schemas.batch, body, [], limit), count: 1 };
  }
  const issues: InputIssue[] = [];
  let count = 0;
  const add = (schema: z.ZodType, value: unknown, prefix: readonly PropertyKey[]) => {
    const found = listed(schema, value, prefix, Infinity);
    count += found.length;
    for (const issue of found) if (issues.length < limit) issues.push(issue);
  };
  const rows = (body as { rows?: unknown }).rows;
  const { rows: rowsSchema, keys: keysSchema, maxRows } = schemas.batchParts;
  // zod checks no row of an array over its length limit: it reports the length alone.
  if (Array.isArray(rows) && rows.length <= maxRows) {
    for (let i = 0; i < rows.length; i++) {
      const n = schemas.countRowIssues(rows[i]);
      if (n === 0) continue;
      count += n;
      if (issues.length < limit) {
        issues.push(...listed(schemas.row, rows[i], ["rows", i], limit - issues.length));
      }
    }
  }
  add(rowsSchema, rows, ["rows"]);
  add(keysSchema, body, []);
  return { issues, count };
}

/** zod's issues for `value`, described with `prefix` before each path, at most `limit`. */
function listed(
  schema: z.ZodType,
  value: unknown,
  prefix: readonly PropertyKey[],
  limit: number,
): InputIssue[] {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  const issues = prefix.length === 0
    ? result.error.issues
    : result.error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
  return describeIssues(issues, limit);
}

function typeIssue(path: string, issue: z.core.$ZodIssueInvalidType): InputIssue {
  // zod names NaN and ±Infinity in `received`; they are numbers, just not usable ones.
  const received = (issue as { received?: string }).received;
  if (received !== undefined) {
    return { path, rule: "finite", message: `must be a finite number, got ${received}` };
  }
  if (issue.input === undefined) {
    return { path, rule: "required", message: `required ${issue.expected} is missing` };
  }
  if (issue.input === null && issue.expected === "number") {
    return {
      path,
      rule: "not_nullable",
      message: "must be a number: null is accepted only for features with missing values " +
        "in the training data, which this one had none of",
    };
  }
  return {
    path,
    rule: "type",
    message: `must be ${article(issue.expected)}, got ${kindOf(issue.input)}`,
  };
}

/**
 * `$.rows[2].medIncome` for `["rows", 2, "medIncome"]`. A key longer than 100 characters
 * is shown cut, ending in "...", so that an answer does not echo a megabyte-long key.
 */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    const name = String(key);
    if (name.length > MAX_KEY_SHOWN) {
      return `${out}[${JSON.stringify(`${name.slice(0, MAX_KEY_SHOWN)}...`)}]`;
    }
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${out}.${name}` : `${out}[${JSON.stringify(name)}]`;
  }, "$");
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  // A string's first 40 characters give the same first 37 characters of JSON as the
  // whole string, and more than 40 of it whenever the whole string is longer.
  const shown = JSON.stringify(typeof value === "string" ? value.slice(0, 40) : value) ??
    String(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
