// The /dashboard page's script: draws the server's /monitoring report with plotly.js
// (served by the server itself at /dashboard/plotly.min.js) and redraws it every 10 s.
// Plain browser JavaScript, no build step; the page sets data-charts when all are drawn.
/* global Plotly */

const REFRESH_MS = 10_000;
const LAYOUT = { margin: { l: 160, r: 20, t: 60, b: 40 }, height: 420 };
const CONFIG = { displaylogo: false, responsive: true };

/** A chart title on the left, clear of plotly's toolbar on the right. */
function titled(text) {
  return { text, x: 0.01, xanchor: "left", y: 0.97 };
}

async function getJson(url) {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return await response.json();
}

function topBy(features, score, count) {
  return [...features].sort((a, b) => score(b) - score(a)).slice(0, count).reverse();
}

/** The window chosen in the page's selector. */
function chosenWindow(report) {
  const name = document.getElementById("window").value;
  return report.windows.find((w) => w.window === name) ?? report.windows[0];
}

async function draw() {
  const report = await getJson("/monitoring");
  const status = document.getElementById("status");
  if (report.windows.length === 0) {
    status.textContent = "Drift tracking is off (--drift off).";
    return;
  }
  const w = chosenWindow(report);
  status.textContent = `Model ${report.modelName} version ${report.modelVersion}: ` +
    `${w.rows} rows in ${w.description}; ` +
    (w.judged
      ? `${w.driftedFeatures} of ${w.features.length} features drifted ` +
        `(${(100 * w.driftShare).toFixed(0)} %): data set ${
          w.datasetDrifted ? "DRIFTED" : "stable"
        }.`
      : `too few rows to judge drift (${report.settings.minRows} needed).`);

  // Drift: the most drifted features, by how far past its threshold each score is.
  const severity = (f) => f.method === "ks" ? -Math.log10(Math.max(f.score, 1e-300)) : f.score;
  const drifted = topBy(w.features, severity, 20);
  await Plotly.react("drift", [{
    type: "bar",
    orientation: "h",
    y: drifted.map((f) => f.name),
    x: drifted.map(severity),
    marker: { color: drifted.map((f) => f.drifted ? "#c0392b" : "#7f8c8d") },
    hovertext: drifted.map((f) =>
      `${f.method} score ${f.score.toPrecision(3)}, PSI ${f.psi.toFixed(3)}`
    ),
  }], {
    ...LAYOUT,
    title: titled("Drift per feature (red: drifted)"),
    xaxis: { title: { text: "-log10 KS p-value, or Wasserstein / std" } },
  }, CONFIG);

  // The most drifted feature's distribution, training against the window.
  const worst = drifted.at(-1).name;
  const dist = await getJson(
    `/monitoring/distribution?feature=${encodeURIComponent(worst)}&window=${w.window}`,
  );
  const share = (counts) => {
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return counts.map((n) => n / total);
  };
  await Plotly.react("distribution", [
    { type: "bar", name: "training", x: dist.centres, y: share(dist.reference), opacity: 0.6 },
    { type: "bar", name: w.window, x: dist.centres, y: share(dist.current), opacity: 0.6 },
  ], {
    ...LAYOUT,
    barmode: "overlay",
    title: titled(`${worst}: training against recent traffic`),
  }, CONFIG);

  // Data quality: missing values above training, values out of the training range.
  const gaps = topBy(
    w.features,
    (f) => f.missingRate - f.referenceMissingRate + f.outOfRangeRate,
    15,
  );
  await Plotly.react(
    "quality",
    [
      {
        type: "bar",
        orientation: "h",
        name: "missing, recent",
        y: gaps.map((f) => f.name),
        x: gaps.map((f) => f.missingRate),
      },
      {
        type: "bar",
        orientation: "h",
        name: "missing, training",
        y: gaps.map((f) => f.name),
        x: gaps.map((f) => f.referenceMissingRate),
      },
      {
        type: "bar",
        orientation: "h",
        name: "out of range",
        y: gaps.map((f) => f.name),
        x: gaps.map((f) => f.outOfRangeRate),
      },
    ],
    { ...LAYOUT, barmode: "group", title: titled("Data quality (share of rows)") },
    CONFIG,
  );

  // Realised error from feedback, against the CV error the model was chosen on.
  const realised = report.realised.filter((r) => r.modelVersion === report.modelVersion);
  await Plotly.react("error", [
    {
      type: "bar",
      name: "realised RMSE",
      x: realised.map((r) => r.window),
      y: realised.map((r) => r.rmse),
      text: realised.map((r) => `${r.pairs} pairs`),
    },
    {
      type: "scatter",
      mode: "lines",
      name: "CV RMSE",
      x: ["1h", "24h", "7d"],
      y: [1, 2, 3].map(() => report.cvRmse ?? 0),
    },
  ], {
    ...LAYOUT,
    title: titled(
      realised.length ? "Realised error (POST /feedback)" : "Realised error: no feedback yet",
    ),
  }, CONFIG);

  document.body.dataset.charts = "4";
  document.body.dataset.drawnAt = new Date().toISOString();
}

function drawAndReport() {
  draw().catch((error) => {
    document.getElementById("status").textContent = `Cannot draw: ${error.message}`;
  });
}

document.getElementById("window").addEventListener("change", drawAndReport);
drawAndReport();
setInterval(drawAndReport, REFRESH_MS);
