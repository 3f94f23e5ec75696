/**
 * Measured coverage of prediction intervals: the share of targets inside their interval
 * and the mean width, over all rows and per group.
 *
 * @module
 */
import { ALL_ROWS, type Bounds } from "../bundle/prediction_intervals.ts";

/** Coverage of one set of rows. */
export interface Coverage {
  readonly group: string;
  readonly count: number;
  /** Share of rows whose target lies in [lower, upper]. */
  readonly coverage: number;
  readonly meanWidth: number;
}

/**
 * Coverage over all rows (group `all`) and per group of `groupOf(i)` (rows with an
 * undefined group count only in `all`), groups sorted by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bounds = { lower: new Float64Array([0, 0, 0.5]), upper: new Float64Array([1, 0.2, 1]) };
 * const [all, a, b] = intervalCoverage([0.5, 0.5, 0.7], bounds, (i) => (i < 2 ? "a" : "b"));
 * assert.deepEqual([all.count, all.coverage], [3, 2 / 3]);
 * assert.deepEqual([a.group, a.coverage, a.meanWidth], ["a", 0.5, 0.6]);
 * assert.deepEqual([b.group, b.coverage], ["b", 1]);
 * ```
 */
export function intervalCoverage(
  actual: ArrayLike<number>,
  bounds: Bounds,
  groupOf: (row: number) => string | undefined = () => undefined,
): Coverage[] {
  const sums = new Map<string, { n: number; hit: number; width: number }>();
  const add = (key: string, hit: boolean, width: number) => {
    const s = sums.get(key) ?? { n: 0, hit: 0, width: 0 };
    s.n++;
    s.hit += hit ? 1 : 0;
    s.width += width;
    sums.set(key, s);
  };
  for (let i = 0; i < actual.length; i++) {
    const hit = actual[i] >= bounds.lower[i] && actual[i] <= bounds.upper[i];
    const width = bounds.upper[i] - bounds.lower[i];
    add(ALL_ROWS, hit, width);
    const group = groupOf(i);
    if (group !== undefined) add(group, hit, width);
  }
  const groups = [...sums.keys()].filter((k) => k !== ALL_ROWS).sort();
  return [ALL_ROWS, ...groups].filter((g) => sums.has(g)).map((group) => {
    const s = sums.get(group)!;
    return { group, count: s.n, coverage: s.hit / s.n, meanWidth: s.width / s.n };
  });
}
