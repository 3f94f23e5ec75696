// Generated from notebooks/04_evaluation.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * Errors broken down by a grouping of the rows (a state, a quantile band of a feature):
 * where the model is worse, and whether it is biased there.
 *
 * @module
 */

/** The error of one group of rows. */
export interface GroupError {
  readonly group: string;
  readonly count: number;
  readonly rmse: number;
  readonly meanResidual: number;
  readonly meanActual: number;
}

/**
 * Groups rows by `keyOf(i)` and computes each group's RMSE and mean residual
 * (actual − predicted), sorted by group key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupErrors } from "./group_errors.ts";
 *
 * const groups = groupErrors(
 *   new Float64Array([1, 2]),
 *   new Float64Array([1, 1]),
 *   (i) => (i === 0 ? "a" : "b"),
 * );
 * assert.deepEqual(groups.map((g) => [g.group, g.rmse]), [["a", 0], ["b", 1]]);
 * ```
 */
export function groupErrors(
  actual: Float64Array,
  predicted: Float64Array,
  keyOf: (row: number) => string | undefined,
): GroupError[] {
  const groups = new Map<string, { n: number; se: number; res: number; act: number }>();
  for (let i = 0; i < actual.length; i++) {
    const key = keyOf(i);
    if (key === undefined || Number.isNaN(predicted[i])) continue;
    const g = groups.get(key) ?? { n: 0, se: 0, res: 0, act: 0 };
    const residual = actual[i] - predicted[i];
    g.n++;
    g.se += residual * residual;
    g.res += residual;
    g.act += actual[i];
    groups.set(key, g);
  }
  return [...groups].map(([group, g]) => ({
    group,
    count: g.n,
    rmse: Math.sqrt(g.se / g.n),
    meanResidual: g.res / g.n,
    meanActual: g.act / g.n,
  })).sort((a, b) => a.group.localeCompare(b.group, "en", { numeric: true }));
}

/**
 * Labels a value by the quantile band it falls in (`q1`..`qk`), cut points from `values`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantileBands } from "./group_errors.ts";
 *
 * const band = quantileBands(new Float64Array([0.1, 0.2, 0.3, 0.4]), 2);
 * assert.deepEqual([0, 1, 2, 3].map((row) => band(row)), ["q1", "q1", "q2", "q2"]);
 * ```
 */
export function quantileBands(values: Float64Array, bands: number): (row: number) => string {
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v)).sort();
  const cuts = Array.from(
    { length: bands - 1 },
    (_, k) => sorted[Math.floor(((k + 1) * sorted.length) / bands)],
  );
  return (row) => {
    const v = values[row];
    const band = cuts.findIndex((c) => v < c);
    return `q${band < 0 ? bands : band + 1}`;
  };
}
