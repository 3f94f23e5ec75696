/**
 * Which hyperparameters mattered in a search, in the spirit of fANOVA (Hutter et al.,
 * 2014) but without its random forest: for each parameter, the complete trials are put
 * in bins of that parameter (quantile bins of a numeric one, one bin per value of any
 * other), and its importance is the share of the variance of the trials' score ranks
 * that lies between the bins' means (the correlation ratio η²). Ranks rather than raw
 * scores, so that one diverged trial does not decide everything. Importances are
 * normalised to sum to 1; each is marginal (interactions are not separated), and with a
 * few dozen trials they are rough.
 *
 * @module
 */
import type { Trial } from "./sampler.ts";

/** Bins of a numeric parameter; fewer when there are too few trials for three per bin. */
const MAX_BINS = 5;

/** Ranks 0..n-1 of `values`, ties sharing their mean rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

/** The bin of each value: its quantile bin when every value is a number, else the value itself. */
function binsOf(values: readonly unknown[]): string[] {
  if (!values.every((v) => typeof v === "number")) return values.map((v) => JSON.stringify(v));
  const numbers = values as number[];
  const distinct = new Set(numbers).size;
  const count = Math.max(1, Math.min(MAX_BINS, distinct, Math.floor(numbers.length / 3)));
  const r = ranks(numbers);
  return r.map((rank) => String(Math.min(count - 1, Math.floor((rank / numbers.length) * count))));
}

/**
 * The importance of each parameter in `names` over the complete, finite trials;
 * all zero with fewer than four of them or no spread in the scores.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parameterImportance } from "./parameter_importance.ts";
 * import type { Trial } from "./sampler.ts";
 *
 * const trials: Trial<{ a: number; b: number }>[] = Array.from({ length: 40 }, (_, i) => {
 *   const params = { a: i / 40, b: (i * 7) % 40 };
 *   const score = params.a; // only `a` matters
 *   return { params, score, foldScores: [score], state: "complete" };
 * });
 * const importance = parameterImportance(trials, ["a", "b"]);
 * assert.ok(importance.a > 0.8 && importance.b < 0.2);
 * ```
 */
export function parameterImportance<P>(
  trials: readonly Trial<P>[],
  names: readonly string[],
): Record<string, number> {
  const complete = trials.filter((t) => t.state === "complete" && Number.isFinite(t.score));
  const zero = Object.fromEntries(names.map((n) => [n, 0]));
  if (complete.length < 4) return zero;
  const r = ranks(complete.map((t) => t.score));
  const grand = r.reduce((a, b) => a + b, 0) / r.length;
  const total = r.reduce((s, v) => s + (v - grand) ** 2, 0);
  if (total === 0) return zero;
  const raw = names.map((name) => {
    const bins = binsOf(complete.map((t) => (t.params as Record<string, unknown>)[name]));
    const groups = new Map<string, number[]>();
    bins.forEach((bin, i) => groups.set(bin, [...(groups.get(bin) ?? []), r[i]]));
    let between = 0;
    for (const members of groups.values()) {
      const m = members.reduce((a, b) => a + b, 0) / members.length;
      between += members.length * (m - grand) ** 2;
    }
    return between / total;
  });
  const sum = raw.reduce((a, b) => a + b, 0);
  return Object.fromEntries(names.map((n, i) => [n, sum > 0 ? raw[i] / sum : 0]));
}
