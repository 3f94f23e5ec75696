/**
 * Links into the MLflow UI that open on the model-training view.
 *
 * MLflow 3.17's UI chooses an experiment's view (GenAI: traces and judges; model
 * training: runs, metrics, params) from its sidebar's "GenAI | Model training" switch,
 * which the browser remembers and which starts on GenAI, not from the experiment's
 * `mlflow.experimentKind` tag; a `workflowType=machine_learning` query sets the switch
 * for the page it opens. The tag is still set (see `system_tags.ts`), for the UIs that
 * read it.
 *
 * @module
 */
import { withoutUserInfo } from "./redact_uri.ts";

/** The query that opens MLflow's UI on the model-training view. */
export const TRAINING_VIEW_QUERY = "workflowType=machine_learning";

/**
 * The UI page of an experiment's runs on the model-training view, or of the experiment
 * list when there is no experiment yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { experimentPageUrl } from "./ui_links.ts";
 *
 * assert.equal(
 *   experimentPageUrl("http://127.0.0.1:5000/", "1"),
 *   "http://127.0.0.1:5000/#/experiments/1?workflowType=machine_learning",
 * );
 * assert.equal(
 *   experimentPageUrl("https://user:pw@mlflow.example"),
 *   "https://mlflow.example/#/experiments?workflowType=machine_learning",
 * );
 * ```
 */
export function experimentPageUrl(trackingUri: string, experimentId?: string): string {
  const base = withoutUserInfo(trackingUri).replace(/\/+$/, "");
  const page = experimentId === undefined
    ? "experiments"
    : `experiments/${encodeURIComponent(experimentId)}`;
  return `${base}/#/${page}?${TRAINING_VIEW_QUERY}`;
}
