/**
 * The evaluation report, `reports/evaluation.html`: a summary header (model, version,
 * dates, headline metrics) and interactive Plotly figures (`evaluation_figures.ts`) with
 * axis ticks and values on hover. The page loads plotly.js from `plotly.min.js` beside
 * it (the `evaluate` stage writes it there), never from a CDN, so it opens offline.
 *
 * @module
 */
import type { ContributionSummary } from "../artefacts/contribution_summary.ts";
import type { Importance } from "../evaluation/permutation_importance.ts";
import { contributionFigure, contributionTable } from "./contribution_section.ts";
import { ENSEMBLE } from "../models/ensemble/ensemble.ts";
import type { ResidualAnalysis } from "../evaluation/residual_analysis.ts";
import {
  importanceFigure,
  predictedVsActualFigure,
  racialBandBiasFigure,
  racialBandErrorFigure,
  residualCorrelationFigure,
  residualHistogramFigure,
  residualsVsPredictedFigure,
  stateBiasFigure,
  stateErrorFigure,
} from "./evaluation_figures.ts";
import {
  escapeHtml,
  type PlotlyFigure,
  plotlyHtml,
  type PlotlyHtmlOptions,
} from "./plotly_html.ts";
import type { ComparisonTable } from "./candidate_comparison.ts";

/** What the header says about the model. */
export interface ReportSummary {
  /** The selected model, e.g. `ensemble (gbm, neural_network, ridge)`. */
  readonly model: string;
  /** What identifies this model: its commit and its MLflow training run. */
  readonly version: string;
  readonly trainedAt: string;
  readonly evaluatedAt: string;
  /** Headline metrics, in the order shown. */
  readonly metrics: readonly { readonly label: string; readonly value: number }[];
}

/**
 * The selected model in words: its name, its family when that differs, and an
 * ensemble's members.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(modelDescription({ name: "ensemble", family: "ensemble" }, ["gbm", "ridge"]),
 *   "ensemble of gbm, ridge");
 * assert.equal(modelDescription({ name: "ridge", family: "ridge" }, []), "ridge");
 * assert.equal(modelDescription({ name: "gbm_deep", family: "gbm" }, []), "gbm_deep (gbm)");
 * ```
 */
export function modelDescription(
  selected: { readonly name: string; readonly family: string },
  ensembleMembers: readonly string[],
): string {
  if (selected.family === ENSEMBLE && ensembleMembers.length) {
    return `${selected.name} of ${ensembleMembers.join(", ")}`;
  }
  return selected.name === selected.family
    ? selected.name
    : `${selected.name} (${selected.family})`;
}

/** What the report shows. */
export interface ReportInputs {
  readonly summary: ReportSummary;
  /** Out-of-fold targets and predictions, row by row. */
  readonly actual: Float64Array;
  readonly predicted: Float64Array;
  readonly analysis: ResidualAnalysis;
  /** The most important features, most important first. */
  readonly importance: readonly Importance[];
  /** Shuffles per feature behind each importance. */
  readonly repeats: number;
  /** States of fewer rows are left out (`evaluate.min_group_rows`). */
  readonly minGroupRows: number;
  /** Per-prediction contributions summarised per feature, when the model can explain. */
  readonly contributions?: ContributionSummary;
  /** Every candidate under the same protocol (`candidate_comparison.ts`). */
  readonly comparison?: ComparisonTable;
}

/** The comparison table as an HTML section, with its protocol notes. */
function comparisonSection(table: ComparisonTable): string {
  const cells = (tag: string, row: readonly string[]) =>
    `<tr>${row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("")}</tr>`;
  return `<section id="candidates"><h2>Candidates, same protocol</h2>` +
    `${table.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join("")}` +
    `<table><thead>${cells("th", table.header)}</thead><tbody>${
      table.rows.map((r) => cells("td", r)).join("")
    }</tbody></table></section>`;
}

/** One figure of the report, with the name it is logged under and what it shows. */
export interface NamedFigure {
  readonly name: string;
  readonly title: string;
  readonly note: string;
  readonly figure: PlotlyFigure;
  /** HTML shown below the figure, if any. */
  readonly html?: string;
}

/**
 * The report's figures, in page order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figures = evaluationFigures({
 *   summary: { model: "ridge", version: "commit abc", trainedAt: "", evaluatedAt: "", metrics: [] },
 *   actual: Float64Array.of(0.1, 0.5),
 *   predicted: Float64Array.of(0.2, 0.4),
 *   analysis: { byState: [], byRacialBand: [], byFeatureGroup: [] },
 *   importance: [],
 *   repeats: 5,
 *   minGroupRows: 10,
 * });
 * assert.equal(figures[0].name, "predicted_vs_actual");
 * ```
 */
export function evaluationFigures(inputs: ReportInputs): NamedFigure[] {
  const { actual, predicted, analysis, minGroupRows } = inputs;
  return [
    {
      name: "predicted_vs_actual",
      title: "Predicted vs. actual",
      note: "Out-of-fold predictions of the selected model; on the red line y = x the " +
        "prediction is exact.",
      figure: predictedVsActualFigure(actual, predicted),
    },
    {
      name: "residuals",
      title: "Residuals",
      note: "Residual = actual − predicted. Errors grow with the predicted rate (a skewed " +
        "target bounded at 0).",
      figure: residualsVsPredictedFigure(actual, predicted),
    },
    {
      name: "residual_histogram",
      title: "Residual distribution",
      note: "A long right tail: communities with far more crime than predicted.",
      figure: residualHistogramFigure(actual, predicted),
    },
    {
      name: "error_by_state",
      title: "Error by state",
      note: `States with at least ${minGroupRows} communities (the count is in the hover).`,
      figure: stateErrorFigure(analysis.byState, minGroupRows),
    },
    {
      name: "bias_by_state",
      title: "Bias by state",
      note: "A mean residual far from 0 means the model is biased for that state, not just " +
        "noisy.",
      figure: stateBiasFigure(analysis.byState, minGroupRows),
    },
    {
      name: "error_by_racial_band",
      title: "Error by racial composition",
      note: "Rows banded into quartiles of each racial-composition feature: the data set's " +
        "known fairness concern.",
      figure: racialBandErrorFigure(analysis.byRacialBand),
    },
    {
      name: "bias_by_racial_band",
      title: "Bias by racial composition",
      note: "Mean residual per quartile: above 0 the band is under-predicted.",
      figure: racialBandBiasFigure(analysis.byRacialBand),
    },
    {
      name: "residual_correlation",
      title: "Residual correlation by feature group",
      note: "Residuals that still correlate with a feature group leave some of its signal " +
        "unused.",
      figure: residualCorrelationFigure(analysis.byFeatureGroup),
    },
    {
      name: "importance",
      title: "Permutation importance",
      note: "The held-out-fold model on the held-out fold: the RMSE increase when one input " +
        "is shuffled. Collinear inputs share their importance.",
      figure: importanceFigure(inputs.importance, inputs.repeats),
    },
    ...(inputs.contributions
      ? [{
        name: "contributions",
        title: "Feature contributions",
        note: "Mean absolute contribution of each feature to the held-out model's predictions " +
          "on the held-out fold, beside permutation importance on the same rows.",
        figure: contributionFigure(inputs.contributions, inputs.importance.length),
        html: contributionTable(inputs.contributions, inputs.importance.length),
      }]
      : []),
  ];
}

function header(summary: ReportSummary): string {
  const facts = [
    ["model", summary.model],
    ["version", summary.version],
    ["trained", summary.trainedAt],
    ["evaluated", summary.evaluatedAt],
  ].map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join("");
  const metrics = summary.metrics.map((m) =>
    `<div class="metric"><span>${escapeHtml(m.label)}</span><b>${m.value.toFixed(4)}</b></div>`
  ).join("");
  return `<header><h1>Model evaluation</h1><dl>${facts}</dl>` +
    `<div class="metrics">${metrics}</div></header>`;
}

const STYLE = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:1.5em auto;" +
  "padding:0 1em;color:#222}header{border-bottom:1px solid #ddd;padding-bottom:1em}" +
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.5em 0}" +
  "dt{color:#666}dd{margin:0}.metrics{display:flex;flex-wrap:wrap;gap:.6em}" +
  ".metric{border:1px solid #ddd;border-radius:6px;padding:.4em .8em;display:flex;" +
  "flex-direction:column}.metric span{font-size:.8em;color:#666}.metric b{font-size:1.3em}" +
  "section{margin:1.5em 0}section p{color:#555;margin:.2em 0}" +
  "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:right}";

/**
 * Renders the report page; its figures load plotly.js from `options.plotlyScript`
 * (`plotly.min.js` beside the page by default).
 */
export function evaluationReport(inputs: ReportInputs, options: PlotlyHtmlOptions = {}): string {
  const sections = evaluationFigures(inputs).map((f) =>
    `<section id="${f.name}"><h2>${escapeHtml(f.title)}</h2><p>${escapeHtml(f.note)}</p>` +
    `${plotlyHtml(f.figure, options)}${f.html ?? ""}</section>`
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>Model evaluation</title>` +
    `<style>${STYLE}</style></head><body>${header(inputs.summary)}\n${
      [...(inputs.comparison ? [comparisonSection(inputs.comparison)] : []), ...sections].join("\n")
    }\n</body></html>\n`;
}
