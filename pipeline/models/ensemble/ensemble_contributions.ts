/**
 * An ensemble's contributions: its members' contributions, base values and predictions,
 * each averaged with the ensemble's weights by the one {@linkcode weightedAverage}, so
 * the ensemble's local accuracy follows from its members' and its prediction is the
 * one it serves. Sampling standard errors combine as independent ones.
 *
 * @module
 */
import type { Contributions, RowExplainer } from "../contributions.ts";
import { weightedAverage } from "./ensemble.ts";

/**
 * Combines member explainers (`undefined` for members of weight 0, never computed)
 * with normalised `weights`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensembleExplainer } from "./ensemble_contributions.ts";
 *
 * const a = () => ({ base: 1, prediction: 2, values: Float64Array.of(1, 0) });
 * const b = () => ({ base: 3, prediction: 2, values: Float64Array.of(0, -1) });
 * const { base, prediction, values } = ensembleExplainer([0.5, 0.5], [a, b])(Float64Array.of(0, 0));
 * assert.deepEqual([base, prediction, [...values]], [2, 2, [0.5, -0.5]]);
 * ```
 */
export function ensembleExplainer(
  weights: readonly number[],
  members: readonly (RowExplainer | undefined)[],
): RowExplainer {
  return (row: Float64Array): Contributions => {
    const parts = members.map((explain) => explain?.(row));
    const part = (m: number) => {
      const found = parts[m];
      if (!found) throw new RangeError(`member ${m} of weight ${weights[m]} has no explainer`);
      return found;
    };
    const values = weightedAverage(row.length, weights, (m) => part(m).values);
    const [base] = weightedAverage(1, weights, (m) => [part(m).base]);
    const [prediction] = weightedAverage(1, weights, (m) => [part(m).prediction]);
    const sampled = parts.some((c) => c?.standardError);
    if (!sampled) return { base, prediction, values };
    const squares = weightedAverage(row.length, weights.map((w) => w * w), (m) => {
      const se = part(m).standardError;
      return se ? se.map((s) => s * s) : new Float64Array(row.length);
    });
    return { base, prediction, values, standardError: squares.map(Math.sqrt) };
  };
}
