/**
 * Where each pipeline artefact lives, relative to the project root. `dvc.yaml` declares
 * the same paths as stage dependencies and outputs.
 *
 * @module
 */

/** Paths of the pipeline's inputs and outputs. */
export const PATHS = {
  rawData: "data/raw/communities.data",
  rawNames: "data/raw/communities.names",
  rawChecksums: "data/raw/SHA256SUMS",
  validationReport: "reports/validation.json",
  validationSummary: "reports/validation.md",
  cleanData: "data/processed/clean.parquet",
  preprocessPlan: "data/processed/preprocess_plan.json",
  outlierReport: "reports/outliers.json",
  featureList: "data/processed/features.json",
  split: "data/processed/split.json",
  modelBundle: "models/model_bundle.json",
  holdoutBundle: "models/holdout_bundle.json",
  trainRun: "models/train_run.json",
  cvMetrics: "reports/cv_metrics.json",
  oofPredictions: "reports/oof_predictions.csv",
} as const;
