/**
 * What leaving the sensitive features out costs and buys: two models' out-of-fold
 * predictions of the same rows side by side, with RMSE, R², the RMSE of each group of
 * each grouping (racial-composition quartile, state) and the largest gap between groups,
 * each with a seeded percentile bootstrap interval, and the bootstrap interval of the
 * paired difference (second minus first) of the RMSE and of each gap.
 *
 * @module
 */
import { type BootstrapEstimate, bootstrapInterval } from "../core/bootstrap.ts";
import { r2, rmse } from "../core/statistics.ts";

/** One grouping of the rows: each row's group, or undefined when it is in none. */
export type RowGrouping = (row: number) => string | undefined;

/** One group's error. */
export interface GroupFigure {
  readonly group: string;
  readonly count: number;
  readonly rmse: BootstrapEstimate;
}

/** One model's figures under one grouping. */
export interface GroupingFigures {
  readonly groups: readonly GroupFigure[];
  /** Largest minus smallest group RMSE, over groups of at least `minGroupRows` rows. */
  readonly gap: BootstrapEstimate;
  /** The groups of the largest and smallest RMSE. */
  readonly worst: string;
  readonly best: string;
}

/** One model's figures. */
export interface ModelFairness {
  readonly name: string;
  readonly rmse: BootstrapEstimate;
  readonly r2: BootstrapEstimate;
  readonly groupings: Readonly<Record<string, GroupingFigures>>;
}

/** The comparison of two models. */
export interface FairnessComparison {
  readonly models: readonly [ModelFairness, ModelFairness];
  /** Second minus first: of the RMSE and of each grouping's gap. */
  readonly difference: {
    readonly rmse: BootstrapEstimate;
    readonly gaps: Readonly<Record<string, BootstrapEstimate>>;
  };
  readonly rows: number;
  readonly resamples: number;
  readonly minGroupRows: number;
}

/** What to compare. */
export interface FairnessInputs {
  readonly actual: Float64Array;
  readonly models: readonly [
    { name: string; predicted: Float64Array },
    { name: string; predicted: Float64Array },
  ];
  readonly groupings: Readonly<Record<string, RowGrouping>>;
  readonly minGroupRows: number;
  readonly resamples: number;
  readonly seed: number;
}

interface CodedGrouping {
  readonly names: readonly string[];
  /** Group index per row, -1 for none. */
  readonly codes: Int32Array;
  /** Indices (into names) of the groups large enough for the gap. */
  readonly eligible: readonly number[];
}

function code(n: number, keyOf: RowGrouping, minRows: number): CodedGrouping {
  const keys = Array.from({ length: n }, (_, i) => keyOf(i));
  const names = [...new Set(keys.filter((k): k is string => k !== undefined))]
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const index = new Map(names.map((g, k) => [g, k]));
  const codes = Int32Array.from(keys, (k) => (k === undefined ? -1 : index.get(k)!));
  const counts = names.map((_, k) => codes.filter((c) => c === k).length);
  return { names, codes, eligible: names.flatMap((_, k) => (counts[k] >= minRows ? [k] : [])) };
}

/** RMSE of each group over `rows` (NaN for a group absent from them). */
function groupRmse(
  g: CodedGrouping,
  actual: Float64Array,
  predicted: Float64Array,
  rows: Int32Array,
): Float64Array {
  const se = new Float64Array(g.names.length), n = new Float64Array(g.names.length);
  for (const r of rows) {
    const k = g.codes[r];
    if (k < 0) continue;
    se[k] += (actual[r] - predicted[r]) ** 2;
    n[k]++;
  }
  return se.map((s, k) => (n[k] > 0 ? Math.sqrt(s / n[k]) : NaN));
}

function gapOf(g: CodedGrouping, per: Float64Array): number {
  const values = g.eligible.map((k) => per[k]).filter(Number.isFinite);
  return values.length < 2 ? NaN : Math.max(...values) - Math.min(...values);
}

/**
 * Compares two models' predictions of the same rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const actual = Float64Array.from({ length: 200 }, (_, i) => (i % 10) / 10);
 * const noise = (i: number, size: number) => ((i * 7919) % 13 - 6) / 6 * size;
 * const comparison = compareFairness({
 *   actual,
 *   models: [
 *     { name: "all features", predicted: actual.map((a, i) => a + noise(i, i < 100 ? 0.05 : 0.2)) },
 *     { name: "blind", predicted: actual.map((a, i) => a + noise(i, 0.12)) },
 *   ],
 *   groupings: { half: (i) => (i < 100 ? "first" : "second") },
 *   minGroupRows: 20, resamples: 200, seed: 1,
 * });
 * const [full, blind] = comparison.models;
 * assert.ok(full.groupings.half.gap.estimate > blind.groupings.half.gap.estimate);
 * assert.ok(comparison.difference.gaps.half.high < 0); // the blind model's gap is smaller
 * ```
 */
export function compareFairness(inputs: FairnessInputs): FairnessComparison {
  const { actual, resamples, seed, minGroupRows } = inputs;
  const n = actual.length;
  const options = { resamples, seed };
  const coded = Object.fromEntries(
    Object.entries(inputs.groupings).map(([name, keyOf]) => [name, code(n, keyOf, minGroupRows)]),
  );
  const pick = (v: Float64Array, rows: Int32Array) => Float64Array.from(rows, (r) => v[r]);
  const rmseOf = (p: Float64Array) => (rows: Int32Array) => rmse(pick(actual, rows), pick(p, rows));
  const describe = (name: string, predicted: Float64Array): ModelFairness => ({
    name,
    rmse: bootstrapInterval(n, rmseOf(predicted), options),
    r2: bootstrapInterval(n, (rows) => r2(pick(actual, rows), pick(predicted, rows)), options),
    groupings: Object.fromEntries(
      Object.entries(coded).map(([gname, g]) => {
        const all = Int32Array.from({ length: n }, (_, i) => i);
        const per = groupRmse(g, actual, predicted, all);
        const groups = g.names.map((group, k) => {
          const members = all.filter((r) => g.codes[r] === k);
          return {
            group,
            count: members.length,
            rmse: bootstrapInterval(
              members.length,
              (rows) => rmseOf(predicted)(Int32Array.from(rows, (r) => members[r])),
              options,
            ),
          };
        });
        const ranked = g.eligible.toSorted((a, b) => per[b] - per[a]);
        return [gname, {
          groups,
          gap: bootstrapInterval(
            n,
            (rows) => gapOf(g, groupRmse(g, actual, predicted, rows)),
            options,
          ),
          worst: g.names[ranked[0]] ?? "",
          best: g.names[ranked[ranked.length - 1]] ?? "",
        }];
      }),
    ),
  });
  const [first, second] = inputs.models;
  const gapDifference = (g: CodedGrouping) => (rows: Int32Array) =>
    gapOf(g, groupRmse(g, actual, second.predicted, rows)) -
    gapOf(g, groupRmse(g, actual, first.predicted, rows));
  return {
    models: [describe(first.name, first.predicted), describe(second.name, second.predicted)],
    difference: {
      rmse: bootstrapInterval(
        n,
        (rows) => rmseOf(second.predicted)(rows) - rmseOf(first.predicted)(rows),
        options,
      ),
      gaps: Object.fromEntries(
        Object.entries(coded).map((
          [name, g],
        ) => [name, bootstrapInterval(n, gapDifference(g), options)]),
      ),
    },
    rows: n,
    resamples,
    minGroupRows,
  };
}
