/**
 * Displays Plotly figures in Deno notebooks. plotly.js itself does not load in Deno,
 * so a figure is shown as data, in a MIME bundle with three renderings:
 *
 * - `application/vnd.plotly.v1+json`: drawn interactively by JupyterLab's
 *   `jupyterlab-plotly` renderer, which the `plotly` PyPI package installs;
 * - `text/html`: a `<div>` and a script that draws it with plotly.js loaded from
 *   `plotly.min.js` beside the page (`report/plotly_html.ts`, as the evaluation report
 *   draws its figures). nbconvert's HTML export shows this one; to view the export
 *   offline, copy `plotly.min.js` (in the `plotly` package's `package_data`) next to the
 *   HTML file. Inlining plotly.js would add megabytes to every figure;
 * - `text/plain`: a one-line summary for text exports.
 *
 * A notebook under `notebooks/` imports it from `../pipeline/notebook/plotly_figure.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { plotlyFigure } from "./plotly_figure.ts";
 *
 * const figure = plotlyFigure({ data: [{ type: "scatter", x: [1, 2, 3], y: [2, 4, 8] }] });
 * const bundle = figure[Symbol.for("Jupyter.display")](); // what the kernel asks for
 * assert.ok("application/vnd.plotly.v1+json" in bundle && "text/html" in bundle);
 * assert.equal(bundle["text/plain"], "Plotly figure: 1 trace(s) (scatter)");
 * ```
 *
 * @module
 */
import {
  plainFigure,
  type PlotlyFigure,
  plotlyHtml,
  type PlotlyHtmlOptions,
  plotlySummary,
} from "../report/plotly_html.ts";

export type { PlotlyFigure, PlotlyHtmlOptions };

/** A value the Deno kernel displays by calling its `Symbol.for("Jupyter.display")` method. */
export type Displayable = { readonly [display: symbol]: () => Record<string, unknown> };

const MIME_TYPE = "application/vnd.plotly.v1+json";

/** The MIME bundle of a figure: Plotly JSON, an HTML fallback and a text summary. */
export function plotlyBundle(
  figure: PlotlyFigure,
  options: PlotlyHtmlOptions = {},
): Record<string, unknown> {
  return {
    [MIME_TYPE]: plainFigure(figure),
    "text/html": plotlyHtml(figure, options),
    "text/plain": plotlySummary(figure),
  };
}

/**
 * Wraps a figure so that the Deno kernel displays it, as a cell's last expression or
 * through `await Deno.jupyter.display(...)`.
 */
export function plotlyFigure(figure: PlotlyFigure, options: PlotlyHtmlOptions = {}): Displayable {
  return { [Symbol.for("Jupyter.display")]: () => plotlyBundle(figure, options) };
}
