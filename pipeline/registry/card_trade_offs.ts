/**
 * The model card's sections on what a prediction can be trusted for: the measured
 * coverage of its prediction intervals on the held-out fold (overall, per group, and
 * of each variant tried), and the fairness trade-off of leaving the sensitive features
 * out (accuracy and group errors of both models side by side, with bootstrap intervals).
 *
 * @module
 */
import type { FairnessReport } from "../artefacts/fairness_report.ts";
import type { IntervalMeasurement, IntervalReport } from "../artefacts/interval_report.ts";

type IntervalVariant = IntervalMeasurement["variants"][number];

const num = (v: number | null | undefined, digits = 4) =>
  v === null || v === undefined || !Number.isFinite(v) ? "n/a" : v.toFixed(digits);
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
type Estimate = { estimate: number | null; low: number | null; high: number | null };
const ci = (e: Estimate) => `${num(e.estimate)} [${num(e.low)}, ${num(e.high)}]`;

/** A Markdown table. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** The interval section, or a line saying the model has none. */
export function intervalSection(report: IntervalReport | undefined): string {
  if (!report?.enabled) {
    return "## Prediction intervals\n\nThis model was trained without prediction intervals.";
  }
  const name = (method: string, grouped: boolean) =>
    `${method}${grouped ? `, per ${report.groupBy} quartile` : ", one quantile"}`;
  const groups = report.coverage.map((c) => c.group);
  const cell =
    (list: readonly { group: string; coverage: number; meanWidth: number }[]) => (g: string) => {
      const c = list.find((x) => x.group === g);
      return c ? `${pct(c.coverage)} / ${num(c.meanWidth, 3)}` : "n/a";
    };
  const variantRows = (pick: (v: IntervalVariant) => IntervalVariant["coverage"] | undefined) =>
    report.variants.flatMap((v) => {
      const list = pick(v);
      if (!list) return [];
      const served = v.method === report.method && v.grouped === (report.groupBy !== null);
      return [[name(v.method, v.grouped) + (served ? " (served)" : ""), ...groups.map(cell(list))]];
    });
  const variants = variantRows((v) => v.coverage);
  const crossFold = variantRows((v) => v.crossFold);
  return `## Prediction intervals

\`/predict?interval=true\` answers \`lower\` and \`upper\`: conformal intervals of nominal
coverage ${pct(report.level)} (${name(report.method, report.groupBy !== null)}), from the
out-of-fold residuals of the selected configuration. Measured on held-out fold
${report.holdoutFold} by the model trained without it, its intervals calibrated on the
${report.calibrationRows} out-of-fold residuals of the other folds (those residuals come
from the pooled CV, whose fold models saw the held-out rows, so this may be slightly
optimistic; with about 50 communities per quartile, a coverage is uncertain by about
±4 points):

${
    markdownTable(
      ["group", "communities", "coverage", "mean width"],
      report.coverage.map((c) => [c.group, String(c.count), pct(c.coverage), num(c.meanWidth, 3)]),
    )
  }

Every variant calibrated on the same residuals (coverage / mean width, held-out fold):

${markdownTable(["variant", ...groups], variants)}${
    crossFold.length === 0 ? "" : `

The same variants on the ${report.calibrationRows} rows of the calibration folds, each
fold covered by intervals calibrated on the others (about 450 communities per quartile,
so ±1.5 points):

${markdownTable(["variant", ...groups], crossFold)}`
  }`;
}

/** The fairness section, or a line saying the comparison was not run. */
export function fairnessSection(report: FairnessReport | undefined): string {
  if (!report?.enabled) {
    return "## Fairness trade-off\n\nThe comparison without the sensitive features was not run.";
  }
  const { comparison } = report;
  const [full, blind] = comparison.models;
  const groupings = Object.keys(full.groupings);
  const headline = markdownTable(["figure", full.name, blind.name, "difference"], [
    ["CV RMSE", ci(full.rmse), ci(blind.rmse), ci(comparison.difference.rmse)],
    ["CV R²", ci(full.r2), ci(blind.r2), ""],
    ...groupings.map((g) => [
      `largest RMSE gap by ${g} (worst − best)`,
      `${ci(full.groupings[g].gap)} (${full.groupings[g].worst} vs ${full.groupings[g].best})`,
      `${ci(blind.groupings[g].gap)} (${blind.groupings[g].worst} vs ${blind.groupings[g].best})`,
      ci(comparison.difference.gaps[g]),
    ]),
  ]);
  const quartiles = groupings[0];
  const perGroup = full.groupings[quartiles].groups.map((g, k) => [
    g.group,
    String(g.count),
    ci(g.rmse),
    ci(blind.groupings[quartiles].groups[k].rmse),
  ]);
  return `## Fairness trade-off

The selected configuration was trained a second time on the same folds without
${
    report.leftOut.map((f) => `\`${f}\``).join(", ")
  }. Out-of-fold figures of both on the same ${comparison.rows} communities, each
with a ${comparison.resamples}-resample bootstrap 95% interval; the difference is the
second minus the first, paired on the same resamples. Gaps are over groups of at least
${comparison.minGroupRows} communities. Leaving the features out does not remove the
information: other features (income, family structure, housing) carry much of it.

${headline}

RMSE by ${quartiles} (q1 lowest):

${markdownTable(["quartile", "communities", full.name, blind.name], perGroup)}`;
}
