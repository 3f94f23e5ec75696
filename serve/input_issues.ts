/**
 * Turns zod's validation issues into the API's input issues: a JSONPath to the field,
 * the rule broken, and a message that says what was expected and what was sent.
 *
 * @module
 */
import type { z } from "zod";
import type { InputIssue } from "./api_schemas.ts";

/**
 * Describes every problem zod found; one issue per unknown key.
 *
 * @example
 * ```ts
 * const result = schemas.row.safeParse(body, { reportInput: true });
 * if (!result.success) describeIssues(result.error.issues);
 * ```
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): InputIssue[] {
  return issues.flatMap((issue): InputIssue[] => {
    const path = jsonPath(issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        return issue.keys.map((key) => ({
          path: jsonPath([...issue.path, key]),
          rule: "unknown_field",
          message: "unknown field: not an input of this model",
        }));
      case "invalid_type":
        return [typeIssue(path, issue)];
      case "too_small":
        return [
          issue.origin === "array"
            ? { path, rule: "min_items", message: `must hold at least ${issue.minimum} rows` }
            : { path, rule: "minimum", message: `must be >= ${issue.minimum}, got ${issue.input}` },
        ];
      case "too_big":
        return [
          issue.origin === "array"
            ? { path, rule: "max_items", message: `must hold at most ${issue.maximum} rows` }
            : { path, rule: "maximum", message: `must be <= ${issue.maximum}, got ${issue.input}` },
        ];
      default:
        return [{ path, rule: "invalid", message: issue.message }];
    }
  });
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

/** `$.rows[2].medIncome` for `["rows", 2, "medIncome"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${out}.${name}` : `${out}[${JSON.stringify(name)}]`;
  }, "$");
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const shown = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
