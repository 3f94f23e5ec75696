/**
 * The evaluation report's part on per-prediction contributions: mean absolute
 * contribution per feature over the held-out fold as a bar chart, and a table setting
 * each top feature's rank beside its permutation-importance rank.
 *
 * @module
 */
import type { ContributionSummary } from "../artefacts/contribution_summary.ts";
import { escapeHtml, type PlotlyFigure } from "./plotly_html.ts";

/**
 * Horizontal bars of the `top` features' mean absolute contribution, largest at the top.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contributionFigure } from "./contribution_section.ts";
 *
 * const figure = contributionFigure({
 *   rows: 2,
 *   features: [
 *     { feature: "a", meanAbsContribution: 2, contributionRank: 1, permutationImportance: 0.9, permutationRank: 1 },
 *     { feature: "b", meanAbsContribution: 1, contributionRank: 2, permutationImportance: 0.1, permutationRank: 2 },
 *   ],
 *   spearman: 1,
 *   topShared: { top: 2, shared: 2 },
 *   maxLocalAccuracyError: 0,
 * }, 20);
 * assert.deepEqual(figure.data[0].y, ["b", "a"]); // plotly draws the first category lowest
 * ```
 */
export function contributionFigure(summary: ContributionSummary, top: number): PlotlyFigure {
  const shown = summary.features.slice(0, top).toReversed();
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: shown.map((f) => f.meanAbsContribution),
      y: shown.map((f) => f.feature),
      marker: { color: "#4c78a8" },
      hovertemplate: "%{y}<br>mean |contribution| %{x:.5f}<extra></extra>",
    }],
    layout: {
      title: { text: `Mean |contribution| over ${summary.rows} held-out communities` },
      xaxis: { title: { text: "mean absolute contribution" }, zeroline: true, automargin: true },
      yaxis: { type: "category", automargin: true },
      height: Math.max(240, 60 + 22 * shown.length),
      margin: { l: 10, r: 20, t: 50, b: 50 },
    },
  };
}

/**
 * What the figure does not show: how the contributions were computed, how exact they are,
 * and each top feature's rank beside its permutation-importance rank, as HTML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contributionTable } from "./contribution_section.ts";
 *
 * const html = contributionTable({
 *   rows: 2,
 *   features: [{ feature: "a<b", meanAbsContribution: 1, contributionRank: 1, permutationImportance: 0.9, permutationRank: 1 }],
 *   spearman: 1,
 *   topShared: { top: 1, shared: 1 },
 *   maxLocalAccuracyError: 0,
 * }, 20);
 * assert.match(html, /<td>a&lt;b<\/td>/);
 * ```
 */
export function contributionTable(summary: ContributionSummary, top: number): string {
  const rows = summary.features.slice(0, top).map((f) =>
    `<tr><td>${escapeHtml(f.feature)}</td><td>${f.meanAbsContribution.toFixed(4)}</td>` +
    `<td>${f.contributionRank}</td><td>${f.permutationImportance.toFixed(4)}</td>` +
    `<td>${f.permutationRank}</td></tr>`
  ).join("");
  return `<p>Exact for linear models and boosted trees, sampled Shapley values for the ` +
    `neural network; base value plus contributions equal each prediction to ` +
    `${summary.maxLocalAccuracyError.toExponential(1)}. Spearman rank correlation with ` +
    `permutation importance over the used features: ${summary.spearman.toFixed(3)}; of the ` +
    `top ${summary.topShared.top} by either measure, ${summary.topShared.shared} are shared.</p>` +
    `<table><thead><tr><th>feature</th><th>mean |contribution|</th><th>rank</th>` +
    `<th>permutation importance</th><th>rank</th></tr></thead><tbody>${rows}</tbody></table>`;
}
