/**
 * Turns a zod validation failure into a message a person can act on: one line per
 * problem, each naming the key path and what was expected.
 *
 * @module
 */
import type { z } from "zod";
import { UserError } from "../core/user_error.ts";

/** A configuration or input that does not match its schema. */
export class SchemaError extends UserError {
  override name = "SchemaError";
}

/**
 * Formats zod issues as `source: path.to.key: message` lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { formatIssues } from "./schema_error.ts";
 *
 * const result = z.strictObject({ seed: z.number() }).safeParse({ seed: "42" });
 * assert.equal(
 *   formatIssues("config/params.yaml", result.error?.issues ?? []),
 *   "config/params.yaml: seed: Invalid input: expected number, received string",
 * );
 * ```
 */
export function formatIssues(source: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => [...issue.path, k].join(".")).join(", ");
      return `${source}: unknown key ${keys} (check the spelling)`;
    }
    return `${source}: ${path}: ${issue.message}`;
  }).join("\n");
}

/** Parses `value` with `schema`, throwing a {@link SchemaError} that names every bad key. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  source: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SchemaError(formatIssues(source, result.error.issues));
  return result.data;
}
