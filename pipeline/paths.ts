/**
 * Where the pipeline's raw inputs, clean table and reports live, relative to the project
 * root. The files one stage writes and another reads live with their schemas in
 * `artefacts/`. `dvc.yaml` declares the same paths as stage dependencies and outputs.
 *
 * @module
 */

/** Paths of the pipeline's inputs and outputs. */
export const PATHS = {
  rawData: "data/raw/communities.data",
  rawNames: "data/raw/communities.names",
  validationReport: "reports/validation.json",
  validationSummary: "reports/validation.md",
  cleanData: "data/processed/clean.parquet",
  outlierReport: "reports/outliers.json",
  evaluationReport: "reports/evaluation.html",
  /** plotly.js beside the report, which loads it from there (not from a CDN). */
  evaluationPlotly: "reports/plotly.min.js",
  /** Where the pinned npm package `plotly.js-dist-min` (deno.json) puts plotly.js. */
  plotlyLibrary: "node_modules/plotly.js-dist-min/plotly.min.js",
  plotsDir: "reports/plots",
  modelCard: "reports/model_card.md",
} as const;
