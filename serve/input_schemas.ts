/**
 * The request schemas, built from a bundle's feature schema: the documented contract of
 * `/predict` and `/predict/batch`, the source of the OpenAPI document and of the
 * field-by-field error report. (The hot path checks rows with `row_packer.ts`, which
 * tests prove accepts exactly what these schemas accept.)
 *
 * @module
 */
import { z } from "zod";
import type { FeatureSpec } from "../pipeline/bundle/bundle_schema.ts";

/** The request schemas of one model. */
export interface InputSchemas {
  /** One community: every contract feature, by name. */
  readonly row: z.ZodType;
  /** `{ rows: [...] }` with 1 to `maxBatchRows` rows. */
  readonly batch: z.ZodType;
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
 * const { row } = inputSchemas(bundle.features, 1000);
 * row.safeParse(body).success;
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
  const batch = z.strictObject({
    rows: z.array(row).min(1).max(maxBatchRows).describe("Communities to predict, in order."),
  });
  return { row, batch };
}
