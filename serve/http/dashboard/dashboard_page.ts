/**
 * The `/dashboard` page: drift, data quality and realised error of the served model for
 * operators without Grafana, drawn in the browser from `/monitoring` by `dashboard.js`
 * with plotly.js. Everything comes from the server itself (nothing from a CDN), and the
 * content security policy allows nothing else.
 *
 * @module
 */
import script from "./dashboard.js" with { type: "text" };
import plotly from "plotly.js-dist-min/plotly.min.js" with { type: "text" };

/** The page's script. */
export const DASHBOARD_SCRIPT: string = script;

/** plotly.js, minified (about 4.8 MB). */
export const PLOTLY_SCRIPT: string = plotly;

/** Scripts from this server only; plotly sets inline styles on its charts. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'";

/** The page. */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prediction server: monitoring</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
  header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
  h1 { font-size: 1.3rem; margin: 0; }
  #status { margin: 0.5rem 0 1rem; }
  main { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }
  main > div { border: 1px solid #ddd; border-radius: 6px; min-height: 420px; }
</style>
<script src="/dashboard/plotly.min.js" defer></script>
<script src="/dashboard/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>Drift, data quality and realised error</h1>
  <label>Window <select id="window"><option value="rows">last rows</option>
  <option value="minutes">last minutes</option></select></label>
  <a href="/monitoring">JSON</a> <a href="/metrics">metrics</a> <a href="/docs">API</a>
</header>
<p id="status">Loading...</p>
<main>
  <div id="drift"></div>
  <div id="distribution"></div>
  <div id="quality"></div>
  <div id="error"></div>
</main>
</body>
</html>
`;
