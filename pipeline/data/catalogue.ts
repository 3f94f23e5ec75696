/**
 * The column catalogue of the Communities and Crime data set, parsed from
 * `communities.names`: names in file order, types, descriptions and roles.
 *
 * @module
 */
import { DataError } from "./data_error.ts";

/** What a column is used for. */
export type ColumnRole = "identifier" | "split" | "feature" | "target";

/** One column of the raw data file. */
export interface ColumnInfo {
  readonly index: number;
  readonly name: string;
  readonly type: "numeric" | "string";
  readonly description: string;
  readonly role: ColumnRole;
}

/** The name of the column to predict. */
export const TARGET = "ViolentCrimesPerPop";
/** The data set's own cross-validation fold column. */
export const FOLD = "fold";
/** Columns that describe a community but must not be used to predict. */
export const IDENTIFIERS: readonly string[] = ["state", "county", "community", "communityname"];
/**
 * The identifier the clean table keeps beside the split key: each community's state (its
 * FIPS code), by which reports group errors and the model may learn group offsets.
 */
export const STATE = "state";

function roleOf(name: string): ColumnRole {
  if (name === TARGET) return "target";
  if (name === FOLD) return "split";
  return IDENTIFIERS.includes(name) ? "identifier" : "feature";
}

/**
 * Parses the `@attribute` lines (names, types) and the `-- name: description` lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCatalogue, TARGET } from "./catalogue.ts";
 *
 * const columns = parseCatalogue(await Deno.readTextFile("data/raw/communities.names"));
 * assert.equal(columns.filter((c) => c.role === "feature").length, 122);
 * assert.equal(columns.find((c) => c.role === "target")?.name, TARGET);
 * ```
 */
export function parseCatalogue(namesText: string): ColumnInfo[] {
  const descriptions = new Map<string, string>();
  for (const match of namesText.matchAll(/^-- (\w+): (.+)$/gm)) {
    if (!descriptions.has(match[1])) descriptions.set(match[1], match[2].trim());
  }
  const columns: ColumnInfo[] = [];
  for (const match of namesText.matchAll(/^@attribute\s+(\S+)\s+(\S+)/gm)) {
    const [, name, type] = match;
    if (type !== "numeric" && type !== "string") {
      throw new DataError(`communities.names: column ${name} has unknown type "${type}"`);
    }
    columns.push({
      index: columns.length,
      name,
      type,
      description: descriptions.get(name) ?? "",
      role: roleOf(name),
    });
  }
  if (columns.length === 0) throw new DataError("communities.names: no @attribute lines found");
  return columns;
}

/** Names of the predictive feature columns, in file order. */
export function featureNames(columns: readonly ColumnInfo[]): string[] {
  return columns.filter((c) => c.role === "feature").map((c) => c.name);
}
