/**
 * The evaluation report as one self-contained HTML page with inline SVG charts, readable
 * offline and in the MLflow UI.
 *
 * @module
 */
import type { Importance } from "../evaluation/permutation_importance.ts";
import type { ResidualAnalysis } from "../evaluation/residual_analysis.ts";
import { barSvg, scatterSvg } from "./svg_chart.ts";

/** What the report shows. */
export interface ReportInputs {
  readonly actual: Float64Array;
  readonly predicted: Float64Array;
  readonly analysis: ResidualAnalysis;
  readonly importance: readonly Importance[];
}

/** Renders the report page. */
export function evaluationReport(inputs: ReportInputs): string {
  const { actual, predicted, analysis, importance } = inputs;
  const residuals = actual.map((a, i) => a - predicted[i]);
  const states = [...analysis.byState].filter((g) => g.count >= 10).sort((a, b) => b.rmse - a.rmse);
  const sections = [
    scatterSvg(
      "Predicted vs. actual (out-of-fold)",
      "predicted",
      "actual",
      predicted,
      actual,
      "identity",
    ),
    scatterSvg("Residuals vs. predicted", "predicted", "residual", predicted, residuals, "zero"),
    barSvg(
      "Permutation importance (RMSE increase, held-out fold)",
      importance.map((i) => i.feature),
      importance.map((i) => i.importance),
    ),
    barSvg(
      "RMSE by state (states with at least 10 communities)",
      states.map((g) => `state ${g.group} (n=${g.count})`),
      states.map((g) => g.rmse),
    ),
    barSvg(
      "RMSE by quartile of racial composition",
      analysis.byRacialBand.map((g) => `${g.feature} ${g.group}`),
      analysis.byRacialBand.map((g) => g.rmse),
    ),
    barSvg(
      "Mean residual by quartile of racial composition (+ = under-predicted)",
      analysis.byRacialBand.map((g) => `${g.feature} ${g.group}`),
      analysis.byRacialBand.map((g) => g.meanResidual),
    ),
    barSvg(
      "Strongest residual correlation per feature group",
      analysis.byFeatureGroup.map((g) => `${g.group}: ${g.feature}`),
      analysis.byFeatureGroup.map((g) => g.correlation),
    ),
  ];
  return `<!doctype html><html><head><meta charset="utf-8"><title>Evaluation</title>` +
    `<style>body{font-family:sans-serif;max-width:700px;margin:2em auto}svg{display:block;margin:1em 0}</style>` +
    `</head><body><h1>Model evaluation</h1>${sections.join("\n")}</body></html>\n`;
}
