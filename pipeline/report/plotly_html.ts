/**
 * A Plotly figure as HTML: a `<div>` and a script that draws it with plotly.js, loaded
 * once per page from a script beside the page (`plotly.min.js` by default) unless
 * `window.Plotly` is already there. Shared by the notebooks' figures
 * (`notebook/plotly_figure.ts`), the evaluation report and the figures logged to MLflow,
 * so that a figure looks the same wherever it is shown. Inlining plotly.js would add
 * megabytes to every figure; {@linkcode standalonePlotlyPage} does it once per page, for
 * viewers that cannot load a file beside the page.
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

/** Where a page loads plotly.js from unless told otherwise: a file beside it. */
export const DEFAULT_PLOTLY_SCRIPT = "plotly.min.js";

/** FNV-1a, so that the element id, and so the saved output, only depends on the figure. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * A one-line summary of a figure: its trace count and types.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(plotlySummary({ data: [{ type: "bar" }, {}] }), "Plotly figure: 2 trace(s) (bar, scatter)");
 * ```
 */
export function plotlySummary(figure: PlotlyFigure): string {
  const types = figure.data.map((trace) => String(trace.type ?? "scatter"));
  return `Plotly figure: ${figure.data.length} trace(s)` +
    (types.length ? ` (${[...new Set(types)].join(", ")})` : "");
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeHtml('<a href="x">&'), "&lt;a href=&quot;x&quot;>&amp;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

/** JSON for a script element: "<" escaped so that no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** The figure with its optional parts filled in: what plotly.js and the notebook MIME type take. */
export function plainFigure(figure: PlotlyFigure): Required<PlotlyFigure> {
  return { data: figure.data, layout: figure.layout ?? {}, config: figure.config ?? {} };
}

/**
 * The figure as an HTML fragment: a `<div>` (its id from the figure's content) and the
 * script that draws it. The text of the `<div>` stays visible when plotly.js cannot be
 * loaded, saying what is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const html = plotlyHtml({ data: [{ type: "bar", x: ["a"], y: [1] }] }, { plotlyScript: "js/plotly.min.js" });
 * assert.match(html, /^<div id="plotly-[0-9a-f]{8}">Plotly figure: 1 trace\(s\) \(bar\); loading js\/plotly.min.js<\/div>/);
 * ```
 */
export function plotlyHtml(figure: PlotlyFigure, options: PlotlyHtmlOptions = {}): string {
  const plain = plainFigure(figure);
  const source = options.plotlyScript ?? DEFAULT_PLOTLY_SCRIPT;
  const id = `plotly-${hash(JSON.stringify(plain))}`;
  return `<div id="${id}">${escapeHtml(`${plotlySummary(figure)}; loading ${source}`)}</div>
<script>
(function () {
  var figure = ${scriptJson(plain)};
  var draw = function () {
    var element = document.getElementById("${id}");
    element.textContent = ""; // the "loading" text, once plotly.js is there
    window.Plotly.newPlot(element, figure.data, figure.layout || {}, figure.config || {});
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

/**
 * A page that draws one figure with plotly.js inlined: it opens in viewers that show a
 * page alone, without the files beside it (MLflow's artifact viewer). `plotlyJs` is the
 * text of `plotly.min.js`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const page = standalonePlotlyPage("Bars", { data: [{ type: "bar", y: [1] }] }, "window.Plotly = {};");
 * assert.match(page, /<title>Bars<\/title>/);
 * assert.match(page, /<script>window.Plotly = \{\};<\/script>/);
 * ```
 */
export function standalonePlotlyPage(
  title: string,
  figure: PlotlyFigure,
  plotlyJs: string,
): string {
  if (/<\/script/i.test(plotlyJs)) throw new Error("plotly.js text would close its script element");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<script>${plotlyJs}</script></head><body>${plotlyHtml(figure)}</body></html>\n`;
}
