// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * Removes near-duplicate features: of each pair whose absolute Pearson correlation exceeds
 * a threshold, the later one in column order is dropped, with the reason recorded.
 *
 * @module
 */

/** Why a feature was kept or dropped. */
export interface FeatureDecision {
  readonly name: string;
  readonly kept: boolean;
  readonly reason: string;
}

import { pearson } from "../core/statistics.ts";

/**
 * Greedy filter in column order: a feature is dropped when it correlates above
 * `threshold` with a feature already kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filterCorrelated } from "./correlation_filter.ts";
 *
 * const a = new Float64Array([1, 2, 3, 4]);
 * const decisions = filterCorrelated(new Map([["a", a], ["b", a.map((v) => 2 * v + 1)]]), 0.98);
 * assert.deepEqual(decisions.map((d) => d.kept), [true, false]); // "b" is dropped
 * ```
 */
export function filterCorrelated(
  columns: ReadonlyMap<string, Float64Array>,
  threshold: number,
): FeatureDecision[] {
  const kept: string[] = [];
  const decisions: FeatureDecision[] = [];
  for (const [name, values] of columns) {
    let partner: { name: string; r: number } | undefined;
    for (const other of kept) {
      const r = pearson(values, columns.get(other)!);
      if (Math.abs(r) > threshold) {
        partner = { name: other, r };
        break;
      }
    }
    if (partner) {
      decisions.push({
        name,
        kept: false,
        reason: `|r| = ${Math.abs(partner.r).toFixed(4)} with ${partner.name} > ${threshold}`,
      });
    } else {
      kept.push(name);
      decisions.push({ name, kept: true, reason: "selected" });
    }
  }
  return decisions;
}
