/**
 * Where the model bundle is among MLflow artifacts. A training run keeps it in its
 * `model/` folder; the registered version's source is the MLflow 3 logged model made from
 * it (`models:/<modelId>`, a `python_function` model), which holds the bundle among its
 * own artifacts. Versions registered from a run's folder (before logged models) hold the
 * bundle in that folder. Training, registration, promotion and the server use these names.
 *
 * @module
 */

/** The run's artifact folder a registered version points at. */
export const MODEL_ARTIFACT_DIR = "model";
/** The bundle's file name inside that folder. */
export const BUNDLE_FILE = "model_bundle.json";
/** The bundle's path inside a logged model's artifacts (the pyfunc `artifacts` folder). */
export const LOGGED_MODEL_BUNDLE = `artifacts/${BUNDLE_FILE}`;
