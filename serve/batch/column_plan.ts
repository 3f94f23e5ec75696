/**
 * Which column of an input file feeds which model feature, which ones identify a row and
 * are copied to the output, and which ones are not used.
 *
 * @module
 */
import type { FeatureSpec } from "../../pipeline/bundle/bundle_schema.ts";
import { InputFileError } from "./input_table.ts";

/**
 * The data set's identifier columns (`pipeline/data/catalogue.ts` declares them for
 * training, which the server does not import): copied to the output when present.
 */
export const IDENTIFIER_COLUMNS: readonly string[] = [
  "state",
  "county",
  "community",
  "communityname",
];

/** How a file's columns are used. */
export interface ColumnPlan {
  /** The input column of each feature, in the bundle's feature order. */
  readonly featureColumns: readonly number[];
  /** The identifier columns present, with their input column. */
  readonly identifiers: readonly { readonly name: string; readonly column: number }[];
  /** Columns that are neither features nor identifiers (a target or fold column, say). */
  readonly unused: readonly string[];
}

/**
 * Plans the columns of a file; throws an {@linkcode InputFileError} naming every missing
 * feature column or repeated column name, or, with `strict`, every unused column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planColumns } from "./column_plan.ts";
 *
 * const spec = { description: "", group: "census", min: 0, max: 1, nullable: false };
 * const features = [{ ...spec, name: "population" }, { ...spec, name: "medIncome" }];
 * const plan = planColumns(["communityname", "medIncome", "fold", "population"], features);
 * assert.deepEqual(plan.featureColumns, [3, 1]);
 * assert.deepEqual(plan.identifiers, [{ name: "communityname", column: 0 }]);
 * assert.deepEqual(plan.unused, ["fold"]);
 * assert.throws(() => planColumns(["population"], features), /missing.*medIncome/);
 * ```
 */
export function planColumns(
  columns: readonly string[],
  features: readonly FeatureSpec[],
  strict = false,
): ColumnPlan {
  const index = new Map<string, number>();
  const repeated = new Set<string>();
  columns.forEach((name, i) => index.has(name) ? repeated.add(name) : index.set(name, i));
  const problems: string[] = [];
  if (repeated.size > 0) problems.push(`repeated column names: ${[...repeated].join(", ")}`);
  const missing = features.filter((f) => !index.has(f.name)).map((f) => f.name);
  if (missing.length > 0) {
    problems.push(
      `missing feature column${missing.length === 1 ? "" : "s"} (${missing.length} of ` +
        `${features.length}): ${shortList(missing)}`,
    );
  }
  const featureNames = new Set(features.map((f) => f.name));
  const unused = columns.filter((name) =>
    !featureNames.has(name) && !IDENTIFIER_COLUMNS.includes(name)
  );
  if (strict && unused.length > 0) {
    problems.push(`columns that are not inputs of this model: ${shortList(unused)}`);
  }
  if (problems.length > 0) throw new InputFileError(problems.join("; "));
  return {
    featureColumns: features.map((f) => index.get(f.name)!),
    identifiers: IDENTIFIER_COLUMNS.filter((name) => index.has(name))
      .map((name) => ({ name, column: index.get(name)! })),
    unused,
  };
}

function shortList(names: readonly string[]): string {
  const shown = names.slice(0, 10).map((n) => JSON.stringify(n.slice(0, 100))).join(", ");
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}
