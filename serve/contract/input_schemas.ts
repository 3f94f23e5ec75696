/**
 * The request schemas, built from a bundle's feature schema: the documented contract of
 * `/predict` and `/predict/batch`, the source of the OpenAPI document and of the
 * field-by-field error report. (The hot path checks rows with `row_packer.ts`, which
 * tests prove accepts exactly what these schemas accept.)
 *
 * @module
 */
import { z } from "zod";
import type { FeatureSpec } from "../../pipeline/bundle/bundle_schema.ts";

/** The request schemas of one model. */
export interface InputSchemas {
  /** One community: every contract feature, by name. */
  readonly row: z.ZodType;
  /** `{ rows: [...] }` with 1 to `maxBatchRows` rows. */
  readonly batch: z.ZodType;
  /**
   * The parts of `batch` other than its rows, for reports that check rows one at a time:
   * the `rows` array's type and length (elements unchecked), and the body's other keys.
   */
  readonly batchParts: {
    readonly rows: z.ZodType;
    readonly keys: z.ZodType;
    /** The longest rows array whose rows zod checks (`maxBatchRows`). */
    readonly maxRows: number;
  };
  /**
   * How many issues `row` finds in a value, as `describeIssues` lists them (one per
   * unknown key), counted without building any: a report lists 100 at most, and a batch
   * of 1,000 empty rows has 122,000.
   */
  countRowIssues(row: unknown): number;
}

/** The schema of one feature value: a number in the feature's range, or null if nullable. */
export function featureValueSchema(feature: FeatureSpec): z.ZodType {
  const value = z.number().min(feature.min).max(feature.max);
  const description = feature.nullable
    ? `${feature.description} (${feature.group}; null = unknown, imputed with the training median)`
    : `${feature.description} (${feature.group})`;
  return (feature.nullable ? value.nullable() : value).describe(description);
}

/**
 * Builds the row and batch schemas for a feature schema.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
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
 * const { row } = inputSchemas(features, 1000);
 * assert.equal(row.safeParse({ population: 0.4 }).success, true);
 * assert.equal(row.safeParse({ population: 2 }).success, false); // above the feature's max
 * ```
 */
export function inputSchemas(features: readonly FeatureSpec[], maxBatchRows: number): InputSchemas {
  const row = z.strictObject(
    Object.fromEntries(features.map((f) => [f.name, featureValueSchema(f)])),
  )
    .describe(
      "One community's features, all required. Values are on the data set's normalised " +
        "[0, 1] scale; null is accepted only for nullable features.",
    );
  const rows = (element: z.ZodType) =>
    z.array(element).min(1).max(maxBatchRows).describe("Communities to predict, in order.");
  const batch = z.strictObject({ rows: rows(row) });
  const batchParts = {
    rows: rows(z.unknown()),
    keys: z.strictObject({ rows: z.unknown().optional() }),
    maxRows: maxBatchRows,
  };
  return { row, batch, batchParts, countRowIssues: issueCounter(features) };
}

/** Counts what the row schema would report: the zod rules above, one by one. */
function issueCounter(features: readonly FeatureSpec[]): (row: unknown) => number {
  const names = new Set(features.map((f) => f.name));
  return (row) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) return 1;
    const values = row as Record<string, unknown>;
    let issues = 0;
    for (const f of features) {
      const v = values[f.name];
      if (typeof v === "number") {
        // Not finite: one type issue, and zod skips the range checks.
        if (!Number.isFinite(v)) issues++;
        else issues += (v < f.min ? 1 : 0) + (v > f.max ? 1 : 0);
      } else if (!(v === null && f.nullable)) issues++;
    }
    // zod's strict check walks the keys with for...in too.
    for (const key in values) if (!names.has(key)) issues++;
    return issues;
  };
}
