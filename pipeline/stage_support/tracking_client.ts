/**
 * The MLflow client of a stage: the server named by `MLFLOW_TRACKING_URI`, or the
 * project's local server, started on demand.
 *
 * @module
 */
import { MlflowClient } from "../mlflow/client.ts";
import { ensureTrackingServer } from "../mlflow/local_server.ts";

/** Connects to (and if needed starts) the tracking server. */
export async function trackingClient(): Promise<MlflowClient> {
  return new MlflowClient(await ensureTrackingServer());
}
