// Generated from notebooks/02_features.ipynb by `deno task promote`: do not edit; edit the notebook and promote again.

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

/** Pearson correlation over the rows where both values are present (NaN if undefined). */
export function pearson(a: Float64Array, b: Float64Array): number {
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return n < 3 || va <= 0 || vb <= 0 ? NaN : cov / Math.sqrt(va * vb);
}

/**
 * Greedy filter in column order: a feature is dropped when it correlates above
 * `threshold` with a feature already kept.
 *
 * @example
 * ```ts
 * const a = new Float64Array([1, 2, 3, 4]);
 * filterCorrelated(new Map([["a", a], ["b", a.map((v) => 2 * v + 1)]]), 0.98); // drops "b"
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
