/**
 * Where a training run keeps its model bundle among its MLflow artifacts: the registry
 * version's source is the folder, the bundle is the file in it. Training, registration,
 * promotion and the server all use these names.
 *
 * @module
 */

/** The run's artifact folder a registered version points at. */
export const MODEL_ARTIFACT_DIR = "model";
/** The bundle's file name inside that folder. */
export const BUNDLE_FILE = "model_bundle.json";
