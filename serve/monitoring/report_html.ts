/**
 * The offline monitoring report as one self-contained HTML file: the headline figures,
 * the drift and data-quality table of every feature sorted by severity, the distributions
 * of the most drifted features and of the predictions against training, and the realised
 * error over time against the CV RMSE. plotly.js is inlined, so the file opens anywhere,
 * MLflow's artifact view included, with no network.
 *
 * @module
 */
import type { OfflineReport } from "./offline_report.ts";
import { severity } from "./drift_monitor.ts";
import type { ColumnReport } from "./report_schema.ts";

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const fixed = (value: number | null, digits = 4) => value === null ? "-" : value.toFixed(digits);
const percent = (value: number) => `${(100 * value).toFixed(1)} %`;

function tableRow(c: ColumnReport): string {
  const cells = [
    escape(c.name),
    c.method,
    c.method === "ks" ? c.score.toExponential(2) : c.score.toFixed(3),
    String(c.threshold),
    c.drifted ? "<b>drifted</b>" : "",
    c.psi.toFixed(3),
    percent(c.missingRate),
    percent(c.referenceMissingRate),
    percent(c.outOfRangeRate),
  ];
  return `<tr${c.drifted ? ' class="drifted"' : ""}>${
    cells.map((v) => `<td>${v}</td>`).join("")
  }</tr>`;
}

/** The charts, as plotly data and layouts (JSON, drawn by the page's script). */
function charts(report: OfflineReport) {
  const share = (counts: readonly number[]) => {
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return counts.map((n) => n / total);
  };
  const distributions = report.distributions.map((d) => ({
    id: `dist-${d.name}`,
    data: [
      { type: "bar", name: "training", x: d.centres, y: share(d.reference), opacity: 0.6 },
      { type: "bar", name: "period", x: d.centres, y: share(d.current), opacity: 0.6 },
    ],
    layout: { title: { text: d.name }, barmode: "overlay", height: 320, margin: { t: 40 } },
  }));
  const e = report.errorOverTime;
  const error = {
    id: "error-over-time",
    data: [
      {
        type: "scatter",
        mode: "lines+markers",
        name: "realised RMSE",
        x: e.map((b) => b.start),
        y: e.map((b) => b.rmse),
        text: e.map((b) => `${b.pairs} pairs`),
      },
      {
        type: "scatter",
        mode: "lines",
        name: "CV RMSE",
        x: e.map((b) => b.start),
        y: e.map(() => report.summary.cvRmse),
        line: { dash: "dash" },
      },
    ],
    layout: {
      title: { text: "Realised error per hour (by arrival of the observed value)" },
      height: 360,
    },
  };
  return [...distributions, error];
}

/**
 * The report page; `plotly` is the text of plotly.min.js.
 *
 * The example is not run: its `report` comes from a period of the prediction log joined with
 * the feedback store, which `tools/monitoring/monitor.ts` builds (`deno task monitor`).
 *
 * @example
 * ```ts ignore
 * await Deno.writeTextFile("report.html", reportHtml(report, PLOTLY_SCRIPT));
 * ```
 */
export function reportHtml(report: OfflineReport, plotly: string): string {
  const { summary: s, window: w } = report;
  const features = [...w.features].sort((a, b) => severity(b) - severity(a));
  const figures = charts(report);
  const headline = [
    ["model", `${s.modelName} version ${s.modelVersion}`],
    ["period", `${s.since} to ${s.until}`],
    [
      "rows",
      `${s.rows}${
        s.rowsOfOtherVersions ? ` (and ${s.rowsOfOtherVersions} served by other versions)` : ""
      }`,
    ],
    [
      "drift",
      w.judged
        ? `${s.driftedFeatures} of ${w.features.length} features (${percent(s.driftShare)}): ` +
          `data set ${s.datasetDrifted ? "<b>drifted</b>" : "stable"}; predictions ` +
          `${s.predictionDrifted ? "<b>drifted</b>" : "stable"}`
        : `not judged: fewer rows than needed`,
    ],
    [
      "realised error",
      s.pairs
        ? `RMSE ${fixed(s.realisedRmse)}, MAE ${fixed(s.realisedMae)} over ${s.pairs} pairs ` +
          `(CV RMSE ${fixed(s.cvRmse)})`
        : "no observed values in the period",
    ],
    ["unreadable log lines", String(s.unreadableLines)],
  ];
  // JSON inside a script element: "</" would end it, so it is escaped.
  const data = JSON.stringify(figures).replaceAll("</", "<\\/");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Monitoring report: ${escape(s.modelName)} ${escape(s.modelVersion)}, ${
    escape(s.since)
  }</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
  table { border-collapse: collapse; font-size: 0.9rem; }
  td, th { border-bottom: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: right; }
  td:first-child, th:first-child { text-align: left; }
  tr.drifted td { background: #fdecea; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1rem; }
</style>
<script>${plotly}</script>
</head>
<body>
<h1>Drift and performance of the served model</h1>
<table>${headline.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>
<h2>Realised error</h2>
<div id="error-over-time"></div>
<h2>Distributions: the most drifted features and the predictions</h2>
<div class="grid">${
    figures.slice(0, -1).map((f) => `<div id="${escape(f.id)}"></div>`).join("")
  }</div>
<h2>Every feature, most drifted first</h2>
<p>KS: two-sample Kolmogorov-Smirnov p-value (drift below the threshold); wasserstein: the
Wasserstein distance over the training standard deviation (drift above it); PSI over ten
equal-width bins.</p>
<table>
<tr><th>feature</th><th>method</th><th>score</th><th>threshold</th><th></th><th>PSI</th>
<th>missing</th><th>missing in training</th><th>out of training range</th></tr>
${features.map(tableRow).join("\n")}
</table>
<script id="figures" type="application/json">${data}</script>
<script>
  for (const figure of JSON.parse(document.getElementById("figures").textContent)) {
    Plotly.newPlot(figure.id, figure.data, figure.layout, { displaylogo: false });
  }
  document.body.dataset.charts = String(document.querySelectorAll(".main-svg").length > 0);
</script>
</body>
</html>
`;
}
