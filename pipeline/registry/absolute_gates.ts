/**
 * The absolute promotion gates: a challenger must be good enough on its own,
 * whatever the champion is.
 *
 * @module
 */
import type { GateResult } from "./gate_result.ts";
import type { GateThresholds } from "../config/register_params_schema.ts";

function bound(
  name: string,
  metrics: Readonly<Record<string, number>>,
  metric: string,
  limit: number,
  kind: "max" | "min",
): GateResult {
  const value = metrics[metric];
  if (value === undefined || !Number.isFinite(value)) {
    return { name, passed: false, threshold: limit, detail: `the bundle has no finite ${metric}` };
  }
  const passed = kind === "max" ? value <= limit : value >= limit;
  const relation = kind === "max" ? (passed ? "<=" : ">") : (passed ? ">=" : "<");
  const detail = `${metric} ${value.toFixed(4)} ${relation} ${kind} ${limit}`;
  return { name, passed, value, threshold: limit, detail };
}

/**
 * Checks the bundle's cross-validation metrics against the configured limits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GateThresholdsSchema } from "../config/register_params_schema.ts";
 * import { absoluteGates } from "./absolute_gates.ts";
 *
 * const thresholds = GateThresholdsSchema.parse({}); // RMSE <= 0.16, R² >= 0.5, fold RMSE <= 0.2
 * const gates = absoluteGates({ cv_rmse: 0.14, cv_r2: 0.6, cv_fold_rmse_max: 0.17 }, thresholds);
 * assert.ok(gates.every((g) => g.passed)); // all pass
 * const failed = absoluteGates({ cv_rmse: 0.18, cv_r2: 0.6 }, thresholds).filter((g) => !g.passed);
 * assert.deepEqual(failed.map((g) => g.name), ["max_cv_rmse", "max_fold_rmse"]); // high; absent
 * ```
 */
export function absoluteGates(
  metrics: Readonly<Record<string, number>>,
  thresholds: Pick<GateThresholds, "max_cv_rmse" | "min_cv_r2" | "max_fold_rmse">,
): GateResult[] {
  return [
    bound("max_cv_rmse", metrics, "cv_rmse", thresholds.max_cv_rmse, "max"),
    bound("min_cv_r2", metrics, "cv_r2", thresholds.min_cv_r2, "min"),
    bound("max_fold_rmse", metrics, "cv_fold_rmse_max", thresholds.max_fold_rmse, "max"),
  ];
}
