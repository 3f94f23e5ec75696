/**
 * Displays Plotly figures in Deno notebooks. plotly.js itself does not load in Deno,
 * so a figure is shown as data, in a MIME bundle with three renderings:
 *
 * - `application/vnd.plotly.v1+json`: drawn interactively by JupyterLab's
 *   `jupyterlab-plotly` renderer, which the `plotly` PyPI package installs;
 * - `text/html`: a `<div>` and a script that draws it with plotly.js loaded from
 *   `plotly.min.js` beside the page. nbconvert's HTML export shows this one; to view
 *   the export offline, copy `plotly.min.js` (in the `plotly` package's `package_data`)
 *   next to the HTML file. Inlining plotly.js would add megabytes to every figure;
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

/** A Plotly figure as plotly.js takes it: traces, and optionally layout and config. */
export interface PlotlyFigure {
  readonly data: readonly Readonly<Record<string, unknown>>[];
  readonly layout?: Readonly<Record<string, unknown>>;
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Options of the HTML rendering. */
export interface PlotlyHtmlOptions {
  /** Where the HTML rendering loads plotly.js from, relative to the page. */
  readonly plotlyScript?: string;
}

/** A value the Deno kernel displays by calling its `Symbol.for("Jupyter.display")` method. */
export type Displayable = { readonly [display: symbol]: () => Record<string, unknown> };

const MIME_TYPE = "application/vnd.plotly.v1+json";
const DEFAULT_SCRIPT = "plotly.min.js";

/** FNV-1a, so that the element id, and so the saved output, only depends on the figure. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

function summary(figure: PlotlyFigure): string {
  const types = figure.data.map((trace) => String(trace.type ?? "scatter"));
  return `Plotly figure: ${figure.data.length} trace(s)` +
    (types.length ? ` (${[...new Set(types)].join(", ")})` : "");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

/** JSON for a script element: "<" escaped so that no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function html(figure: PlotlyFigure, plain: unknown, options: PlotlyHtmlOptions): string {
  const source = options.plotlyScript ?? DEFAULT_SCRIPT;
  const id = `plotly-${hash(JSON.stringify(plain))}`;
  // The text stays visible when plotly.js cannot be loaded, saying what is missing.
  return `<div id="${id}">${escapeHtml(`${summary(figure)}; loading ${source}`)}</div>
<script>
(function () {
  var figure = ${scriptJson(plain)};
  var draw = function () {
    window.Plotly.newPlot("${id}", figure.data, figure.layout || {}, figure.config || {});
  };
  if (window.Plotly) return draw();
  var loader = document.querySelector("script[data-plotly-loader]");
  if (!loader) {
    loader = document.createElement("script");
    loader.src = ${scriptJson(source)};
    loader.setAttribute("data-plotly-loader", "");
    document.head.appendChild(loader);
  }
  loader.addEventListener("load", draw);
})();
</script>`;
}

/** The MIME bundle of a figure: Plotly JSON, an HTML fallback and a text summary. */
export function plotlyBundle(
  figure: PlotlyFigure,
  options: PlotlyHtmlOptions = {},
): Record<string, unknown> {
  const plain = { data: figure.data, layout: figure.layout ?? {}, config: figure.config ?? {} };
  return {
    [MIME_TYPE]: plain,
    "text/html": html(figure, plain, options),
    "text/plain": summary(figure),
  };
}

/**
 * Wraps a figure so that the Deno kernel displays it, as a cell's last expression or
 * through `await Deno.jupyter.display(...)`.
 */
export function plotlyFigure(figure: PlotlyFigure, options: PlotlyHtmlOptions = {}): Displayable {
  return { [Symbol.for("Jupyter.display")]: () => plotlyBundle(figure, options) };
}
