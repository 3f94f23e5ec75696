/**
 * The optional fairness gate: a challenger whose out-of-fold RMSE differs too much
 * between racial-composition quartiles is not promoted. Off unless
 * `register.gates.max_group_gap` is set.
 *
 * @module
 */
import type { GateResult } from "./gate_result.ts";

/** The gate's name. */
export const GROUP_GAP_GATE = "max_group_gap";
/** The bundle metric it reads (written by `train` with the fairness comparison). */
export const GROUP_GAP_METRIC = "racial_quartile_rmse_gap";

/**
 * Checks the bundle's largest racial-quartile RMSE gap against `limit`; a bundle without
 * the metric fails, since it cannot show it meets it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(groupGapGate({ racial_quartile_rmse_gap: 0.05 }, 0.08).passed, true);
 * assert.equal(groupGapGate({ racial_quartile_rmse_gap: 0.11 }, 0.08).passed, false);
 * assert.match(groupGapGate({}, 0.08).detail, /no finite racial_quartile_rmse_gap/);
 * ```
 */
export function groupGapGate(metrics: Readonly<Record<string, number>>, limit: number): GateResult {
  const value = metrics[GROUP_GAP_METRIC];
  if (value === undefined || !Number.isFinite(value)) {
    return {
      name: GROUP_GAP_GATE,
      passed: false,
      threshold: limit,
      detail: `the bundle has no finite ${GROUP_GAP_METRIC} (trained without train.fairness?)`,
    };
  }
  const passed = value <= limit;
  return {
    name: GROUP_GAP_GATE,
    passed,
    value,
    threshold: limit,
    detail: `${GROUP_GAP_METRIC} ${value.toFixed(4)} ${passed ? "<=" : ">"} max ${limit}`,
  };
}
