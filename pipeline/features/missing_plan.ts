// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * Decides, from params and the observed missing rates, which columns are dropped, which
 * are imputed and which get a missing-value indicator. Only the decision is made here;
 * fill values are fitted later, inside each training fold.
 *
 * @module
 */
import type { PreprocessParams } from "../config/params_schema.ts";

/** The missing-value decision for the predictive columns. */
export interface MissingPlan {
  readonly strategy: PreprocessParams["missing_strategy"];
  /** Columns kept for modelling, in order. */
  readonly kept: readonly string[];
  /** Columns dropped, with their missing rate. */
  readonly dropped: readonly { name: string; missingRate: number }[];
  /** Kept columns that get a 0/1 "was missing" indicator. */
  readonly indicators: readonly string[];
}

/**
 * Share of NaN values in a column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missingRate } from "./missing_plan.ts";
 *
 * assert.equal(missingRate(new Float64Array([NaN, 1, 2, NaN])), 0.5);
 * ```
 */
export function missingRate(values: Float64Array): number {
  let missing = 0;
  for (const v of values) if (Number.isNaN(v)) missing++;
  return values.length === 0 ? 0 : missing / values.length;
}

/**
 * Plans the missing-value treatment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PreprocessParamsSchema } from "../config/params_schema.ts";
 * import { planMissing } from "./missing_plan.ts";
 *
 * const params = PreprocessParamsSchema.parse({ missing_strategy: "drop" });
 * const plan = planMissing(new Map([["a", new Float64Array([NaN, NaN, 1])]]), params);
 * assert.deepEqual(plan.dropped, [{ name: "a", missingRate: 2 / 3 }]);
 * ```
 */
export function planMissing(
  columns: ReadonlyMap<string, Float64Array>,
  params: PreprocessParams,
): MissingPlan {
  const rates = [...columns].map(([name, values]) => ({ name, missingRate: missingRate(values) }));
  const mostlyMissing = (r: { missingRate: number }) =>
    r.missingRate > params.mostly_missing_threshold;
  const dropped = params.missing_strategy === "drop" ? rates.filter(mostlyMissing) : [];
  const kept = rates.filter((r) => !dropped.includes(r)).map((r) => r.name);
  const indicators = params.missing_strategy === "indicators"
    ? rates.filter(mostlyMissing).map((r) => r.name)
    : [];
  return { strategy: params.missing_strategy, kept, dropped, indicators };
}
