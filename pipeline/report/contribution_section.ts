/**
 * The evaluation report's section on per-prediction contributions: mean absolute
 * contribution per feature over the held-out fold as a bar chart, and a table setting
 * each top feature's rank beside its permutation-importance rank.
 *
 * @module
 */
import type { ContributionSummary } from "../artefacts/contribution_summary.ts";
import { barSvg, escapeXml } from "./svg_chart.ts";

/**
 * The section's HTML, for the `top` features by mean absolute contribution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contributionSection } from "./contribution_section.ts";
 *
 * const html = contributionSection({
 *   rows: 2,
 *   features: [{ feature: "a", meanAbsContribution: 1, contributionRank: 1, permutationImportance: 0.9, permutationRank: 1 }],
 *   spearman: 1,
 *   topShared: { top: 1, shared: 1 },
 *   maxLocalAccuracyError: 0,
 * }, 20);
 * assert.match(html, /<h2>Feature contributions/);
 * ```
 */
export function contributionSection(summary: ContributionSummary, top: number): string {
  const shown = summary.features.slice(0, top);
  const rows = shown.map((f) =>
    `<tr><td>${escapeXml(f.feature)}</td><td>${f.meanAbsContribution.toFixed(4)}</td>` +
    `<td>${f.contributionRank}</td><td>${f.permutationImportance.toFixed(4)}</td>` +
    `<td>${f.permutationRank}</td></tr>`
  ).join("");
  return `<section id="contributions"><h2>Feature contributions (held-out fold)</h2>` +
    `<p>Mean absolute contribution of each feature to the held-out model's predictions ` +
    `over the ${summary.rows} held-out communities (exact for linear models and boosted ` +
    `trees, sampled Shapley values for the neural network; base value plus contributions ` +
    `equal each prediction to ${summary.maxLocalAccuracyError.toExponential(1)}), beside ` +
    `permutation importance on the same rows. Spearman rank correlation over the used ` +
    `features: ${summary.spearman.toFixed(3)}; of the top ${summary.topShared.top} by ` +
    `either measure, ${summary.topShared.shared} are shared.</p>` +
    barSvg(
      "Mean |contribution| (held-out fold)",
      shown.map((f) => f.feature),
      shown.map((f) => f.meanAbsContribution),
    ) +
    `<table><thead><tr><th>feature</th><th>mean |contribution|</th><th>rank</th>` +
    `<th>permutation importance</th><th>rank</th></tr></thead><tbody>${rows}</tbody></table>` +
    `</section>`;
}
