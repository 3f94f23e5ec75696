// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * Chooses the model's input features: the configured feature groups, minus the columns
 * the missing-value plan dropped, minus near-duplicates; records why for every feature.
 *
 * @module
 */
import type { FeaturesParams } from "../config/params_schema.ts";
import { SchemaError } from "../config/schema_error.ts";
import { FEATURE_GROUPS } from "../data/feature_groups.ts";
import { type FeatureDecision, filterCorrelated } from "./correlation_filter.ts";

/** The feature list a training run uses, with the reasoning. */
export interface FeatureSelection {
  readonly features: readonly string[];
  readonly interactions: readonly (readonly [string, string])[];
  readonly decisions: readonly FeatureDecision[];
}

/**
 * Selects features from `candidates` (the columns left by preprocessing). Correlations
 * are computed on `columns`, which the caller restricts to development rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectFeatures } from "./select_features.ts";
 *
 * const income = new Float64Array([0.1, 0.2, 0.3, 0.4]);
 * const selection = selectFeatures(
 *   ["medIncome", "medFamInc"],
 *   new Map([["medIncome", income], ["medFamInc", income.map((v) => v + 0.01)]]),
 *   { groups: ["income"], correlation_threshold: 0.98, interactions: [] },
 * );
 * assert.deepEqual(selection.features, ["medIncome"]);
 * ```
 */
export function selectFeatures(
  candidates: readonly string[],
  columns: ReadonlyMap<string, Float64Array>,
  params: FeaturesParams,
): FeatureSelection {
  const unknown = params.groups.filter((g) => !(g in FEATURE_GROUPS));
  if (unknown.length > 0) {
    throw new SchemaError(
      `features.groups: unknown group(s) ${unknown.join(", ")} (known: ${
        Object.keys(FEATURE_GROUPS).join(", ")
      })`,
    );
  }
  const wanted = new Set(params.groups.flatMap((g) => FEATURE_GROUPS[g]));
  const decisions: FeatureDecision[] = candidates.filter((n) => !wanted.has(n)).map((name) => ({
    name,
    kept: false,
    reason: "its feature group is not selected",
  }));
  const inGroups = new Map(
    candidates.filter((n) => wanted.has(n)).map((n) => [n, columns.get(n)!]),
  );
  decisions.push(...filterCorrelated(inGroups, params.correlation_threshold));
  const features = decisions.filter((d) => d.kept).map((d) => d.name);
  for (const [a, b] of params.interactions) {
    for (const name of [a, b]) {
      if (!features.includes(name)) {
        throw new SchemaError(
          `features.interactions: ${a} x ${b}: "${name}" is not a selected feature`,
        );
      }
    }
  }
  const order = new Map(candidates.map((n, i) => [n, i]));
  decisions.sort((x, y) => order.get(x.name)! - order.get(y.name)!);
  return { features, interactions: params.interactions, decisions };
}
