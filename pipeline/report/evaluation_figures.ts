/**
 * The evaluation's figures as Plotly figures, one builder per view: predicted vs. actual,
 * residuals, error and bias by state and by racial-composition quartile, residual
 * correlation by feature group, permutation importance. Pure data in, a figure out:
 * `notebooks/04_evaluation.ipynb` shows them on its own model, the `evaluate` stage in
 * `reports/evaluation.html` and in MLflow. States are named, not FIPS-coded; signed
 * quantities (residuals, correlations) are diverging bars about zero, coloured by sign.
 *
 * @module
 */
import { stateName } from "../data/us_states.ts";
import type { GroupError } from "../evaluation/group_errors.ts";
import type { Importance } from "../evaluation/permutation_importance.ts";
import type { ResidualAnalysis } from "../evaluation/residual_analysis.ts";
import type { PlotlyFigure } from "./plotly_html.ts";

/** Under-predicted (actual above predicted) and over-predicted colours of signed bars. */
export const SIGN_COLOURS = { positive: "#d62728", negative: "#1f77b4" } as const;

const BAR = "#1f77b4";
const axis = (title: string, extra: Record<string, unknown> = {}) => ({
  title: { text: title },
  ticks: "outside",
  showline: true,
  automargin: true,
  ...extra,
});
const signColours = (values: readonly number[]) =>
  values.map((v) => (v > 0 ? SIGN_COLOURS.positive : SIGN_COLOURS.negative));
/** Height of a horizontal bar chart: room for every label, whatever the count. */
const barsHeight = (bars: number) => Math.max(260, 90 + 22 * bars);

function finitePairs(x: ArrayLike<number>, y: ArrayLike<number>): [number[], number[]] {
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  return [xs, ys];
}

/**
 * Predicted against actual, with the line y = x (perfect predictions) across both ranges.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = predictedVsActualFigure([0.1, 0.5], [0.2, 0.4]);
 * assert.deepEqual(figure.data[1].x, [0.1, 0.5]); // the y = x line spans both ranges
 * assert.deepEqual(figure.data[1].y, [0.1, 0.5]);
 * ```
 */
export function predictedVsActualFigure(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): PlotlyFigure {
  const [x, y] = finitePairs(predicted, actual);
  const lo = Math.min(...x, ...y), hi = Math.max(...x, ...y);
  // The same range on both axes, so that the line y = x is the diagonal.
  const pad = (hi - lo) * 0.03 || 0.05;
  const range = [lo - pad, hi + pad];
  return {
    data: [
      {
        type: "scattergl",
        mode: "markers",
        name: "community",
        x,
        y,
        marker: { size: 5, opacity: 0.45, color: BAR },
        hovertemplate: "predicted %{x:.3f}<br>actual %{y:.3f}<extra></extra>",
      },
      {
        type: "scatter",
        mode: "lines",
        name: "y = x",
        x: [lo, hi],
        y: [lo, hi],
        line: { color: SIGN_COLOURS.positive, width: 1.5 },
        hoverinfo: "skip",
      },
    ],
    layout: {
      title: { text: "Predicted vs. actual (out-of-fold)" },
      xaxis: axis("predicted", { range }),
      yaxis: axis("actual", { range }),
      width: 640,
      height: 560,
    },
  };
}

/**
 * Residuals (actual − predicted) against the prediction, with the line y = 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = residualsVsPredictedFigure([0.1, 0.5], [0.2, 0.4]);
 * const [under, over] = figure.data[0].y as number[];
 * assert.ok(Math.abs(under + 0.1) < 1e-12 && Math.abs(over - 0.1) < 1e-12);
 * ```
 */
export function residualsVsPredictedFigure(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): PlotlyFigure {
  const [x, a] = finitePairs(predicted, actual);
  return {
    data: [{
      type: "scattergl",
      mode: "markers",
      x,
      y: a.map((v, i) => v - x[i]),
      marker: { size: 5, opacity: 0.45, color: BAR },
      hovertemplate: "predicted %{x:.3f}<br>residual %{y:+.3f}<extra></extra>",
    }],
    layout: {
      title: { text: "Residuals vs. predicted (+ = under-predicted)" },
      xaxis: axis("predicted"),
      yaxis: axis("residual (actual − predicted)", { zeroline: true, zerolinewidth: 2 }),
      height: 420,
    },
  };
}

/**
 * The distribution of the residuals (actual − predicted).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = residualHistogramFigure([0.1, 0.5], [0.2, 0.4]);
 * assert.equal(figure.data[0].type, "histogram");
 * assert.equal((figure.data[0].x as number[]).length, 2);
 * ```
 */
export function residualHistogramFigure(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): PlotlyFigure {
  const [p, a] = finitePairs(predicted, actual);
  return {
    data: [{
      type: "histogram",
      x: a.map((v, i) => v - p[i]),
      nbinsx: 60,
      marker: { color: BAR },
      hovertemplate: "residual %{x}<br>%{y} communities<extra></extra>",
    }],
    layout: {
      title: { text: "Distribution of residuals (actual − predicted)" },
      xaxis: axis("residual (actual − predicted)", { zeroline: true }),
      yaxis: axis("communities"),
      bargap: 0.02,
      height: 380,
    },
  };
}

/** States of at least `minRows` rows, by name, ordered by `key` ascending (bottom to top). */
function statesBy(
  byState: readonly GroupError[],
  minRows: number,
  key: (g: GroupError) => number,
): { names: string[]; groups: GroupError[] } {
  const groups = byState.filter((g) => g.count >= minRows).toSorted((a, b) => key(a) - key(b));
  return { names: groups.map((g) => stateName(g.group)), groups };
}

const groupHover = "%{y}<br>RMSE %{customdata[0]:.4f}<br>mean residual %{customdata[1]:+.4f}" +
  "<br>%{customdata[2]} communities<extra></extra>";
const groupData = (groups: readonly GroupError[]) =>
  groups.map((g) => [g.rmse, g.meanResidual, g.count]);

/**
 * RMSE by state, worst on top, states of fewer than `minRows` rows left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const g = (group: string, count: number, rmse: number) =>
 *   ({ group, count, rmse, meanResidual: 0, meanActual: 0 });
 * const figure = stateErrorFigure([g("6", 50, 0.1), g("28", 19, 0.3), g("2", 3, 0.9)], 10);
 * assert.deepEqual(figure.data[0].y, ["California", "Mississippi"]); // plotly draws the last on top
 * ```
 */
export function stateErrorFigure(byState: readonly GroupError[], minRows: number): PlotlyFigure {
  const { names, groups } = statesBy(byState, minRows, (g) => g.rmse);
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: groups.map((g) => g.rmse),
      y: names,
      customdata: groupData(groups),
      marker: { color: BAR },
      hovertemplate: groupHover,
    }],
    layout: {
      title: { text: `RMSE by state (states with at least ${minRows} communities)` },
      xaxis: axis("RMSE (out-of-fold)"),
      yaxis: axis("", { type: "category" }),
      height: barsHeight(groups.length),
    },
  };
}

/**
 * Mean residual by state as diverging bars: right (red) where the model under-predicts,
 * left (blue) where it over-predicts; states of fewer than `minRows` rows left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const g = (group: string, meanResidual: number) =>
 *   ({ group, count: 20, rmse: 0.1, meanResidual, meanActual: 0 });
 * const figure = stateBiasFigure([g("6", 0.02), g("28", -0.18)], 10);
 * assert.deepEqual(figure.data[0].y, ["Mississippi", "California"]);
 * assert.deepEqual(
 *   (figure.data[0].marker as { color: string[] }).color,
 *   [SIGN_COLOURS.negative, SIGN_COLOURS.positive],
 * );
 * ```
 */
export function stateBiasFigure(byState: readonly GroupError[], minRows: number): PlotlyFigure {
  const { names, groups } = statesBy(byState, minRows, (g) => g.meanResidual);
  const values = groups.map((g) => g.meanResidual);
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: values,
      y: names,
      customdata: groupData(groups),
      marker: { color: signColours(values) },
      hovertemplate: groupHover,
    }],
    layout: {
      title: { text: "Mean residual by state (+ = under-predicted, − = over-predicted)" },
      xaxis: axis("mean residual (actual − predicted)", { zeroline: true, zerolinewidth: 2 }),
      yaxis: axis("", { type: "category" }),
      height: barsHeight(groups.length),
    },
  };
}

type BandError = ResidualAnalysis["byRacialBand"][number];

/** One trace per racial-composition feature, its quartiles on the x axis. */
function bandTraces(
  bands: readonly BandError[],
  value: (b: BandError) => number,
): Record<string, unknown>[] {
  const features = [...new Set(bands.map((b) => b.feature))];
  return features.map((feature) => {
    const rows = bands.filter((b) => b.feature === feature);
    return {
      type: "bar",
      name: feature,
      x: rows.map((b) => b.group),
      y: rows.map(value),
      customdata: groupData(rows),
      hovertemplate: `${feature} %{x}<br>RMSE %{customdata[0]:.4f}<br>` +
        "mean residual %{customdata[1]:+.4f}<br>%{customdata[2]} communities<extra></extra>",
    };
  });
}

/**
 * RMSE by quartile (q1 lowest) of each racial-composition feature, grouped by feature.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const b = (feature: string, group: string, rmse: number) =>
 *   ({ feature, group, count: 100, rmse, meanResidual: 0, meanActual: 0 });
 * const figure = racialBandErrorFigure([b("racepctblack", "q1", 0.08), b("racepctblack", "q4", 0.19)]);
 * assert.deepEqual(figure.data[0].y, [0.08, 0.19]);
 * ```
 */
export function racialBandErrorFigure(bands: readonly BandError[]): PlotlyFigure {
  return {
    data: bandTraces(bands, (b) => b.rmse),
    layout: {
      title: { text: "RMSE by quartile of each racial-composition feature" },
      barmode: "group",
      xaxis: axis("quartile (q1 lowest share, q4 highest)"),
      yaxis: axis("RMSE (out-of-fold)"),
      height: 420,
    },
  };
}

/**
 * Mean residual by quartile of each racial-composition feature, diverging about zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const b = (group: string, meanResidual: number) =>
 *   ({ feature: "racePctWhite", group, count: 100, rmse: 0.1, meanResidual, meanActual: 0 });
 * const figure = racialBandBiasFigure([b("q1", 0.01), b("q4", -0.02)]);
 * assert.deepEqual(figure.data[0].y, [0.01, -0.02]);
 * ```
 */
export function racialBandBiasFigure(bands: readonly BandError[]): PlotlyFigure {
  return {
    data: bandTraces(bands, (b) => b.meanResidual),
    layout: {
      title: { text: "Mean residual by racial-composition quartile (+ = under-predicted)" },
      barmode: "group",
      xaxis: axis("quartile (q1 lowest share, q4 highest)"),
      yaxis: axis("mean residual (actual − predicted)", { zeroline: true, zerolinewidth: 2 }),
      height: 420,
    },
  };
}

/**
 * Per feature group, the feature the residuals still correlate with most, as diverging
 * bars about zero (strongest on top).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = residualCorrelationFigure([
 *   { group: "income", feature: "medIncome", correlation: -0.12 },
 *   { group: "age", feature: "agePct65up", correlation: 0.03 },
 * ]);
 * assert.deepEqual(figure.data[0].y, ["age: agePct65up", "income: medIncome"]);
 * ```
 */
export function residualCorrelationFigure(
  byFeatureGroup: ResidualAnalysis["byFeatureGroup"],
): PlotlyFigure {
  const rows = byFeatureGroup.toSorted((a, b) => Math.abs(a.correlation) - Math.abs(b.correlation));
  const values = rows.map((r) => r.correlation);
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: values,
      y: rows.map((r) => `${r.group}: ${r.feature}`),
      marker: { color: signColours(values) },
      hovertemplate: "%{y}<br>r = %{x:+.3f}<extra></extra>",
    }],
    layout: {
      title: { text: "Strongest residual correlation per feature group" },
      xaxis: axis("Pearson r of residual and feature", { zeroline: true, zerolinewidth: 2 }),
      yaxis: axis("", { type: "category" }),
      height: barsHeight(rows.length),
    },
  };
}

/**
 * Permutation importance, most important on top, with its spread over the `repeats`
 * shuffles as an error bar (± one standard deviation).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const figure = importanceFigure([
 *   { feature: "PctKids2Par", importance: 0.02, std: 0.001 },
 *   { feature: "racePctWhite", importance: 0.01, std: 0.002 },
 * ], 5);
 * assert.deepEqual(figure.data[0].y, ["racePctWhite", "PctKids2Par"]);
 * assert.deepEqual((figure.data[0].error_x as { array: number[] }).array, [0.002, 0.001]);
 * ```
 */
export function importanceFigure(importance: readonly Importance[], repeats: number): PlotlyFigure {
  const rows = importance.toSorted((a, b) => a.importance - b.importance);
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: rows.map((r) => r.importance),
      y: rows.map((r) => r.feature),
      error_x: { type: "data", array: rows.map((r) => r.std), visible: true, color: "#444" },
      marker: { color: BAR },
      hovertemplate: "%{y}<br>RMSE increase %{x:.5f} ± %{error_x.array:.5f}<extra></extra>",
    }],
    layout: {
      title: { text: `Permutation importance (mean ± sd over ${repeats} shuffles)` },
      xaxis: axis("RMSE increase when the feature is shuffled", { zeroline: true }),
      yaxis: axis("", { type: "category" }),
      height: barsHeight(rows.length),
    },
  };
}
