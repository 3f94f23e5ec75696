/**
 * Command line for the tracking server: `start`, `stop`, `status` and `ui` (start, then
 * print the address to open in a browser: the training experiment's runs, on MLflow's
 * model-training view). `MLFLOW_BACKEND_STORE_URI` chooses the database
 * a newly started local server uses.
 *
 * @example
 * ```sh
 * deno run -A pipeline/stages/mlflow_server.ts ui
 * MLFLOW_PORT=5001 deno run -A pipeline/stages/mlflow_server.ts status
 * MLFLOW_BACKEND_STORE_URI=postgresql://mlflow:pw@db:5432/mlflow deno run -A pipeline/stages/mlflow_server.ts start
 * ```
 *
 * @module
 */
import {
  ensureTrackingServer,
  stopTrackingServer,
  trackingServerStatus,
} from "../mlflow/local_server.ts";
import { loadParams } from "../config/load_params.ts";
import { MlflowClient } from "../mlflow/client.ts";
import { redactUri } from "../mlflow/redact_uri.ts";
import { experimentPageUrl } from "../mlflow/ui_links.ts";
import { describeFailure } from "../stage_support/run_stage.ts";

const USAGE = "usage: deno task mlflow start | stop | status | ui";

/**
 * The training experiment's runs on the model-training view, or the experiment list
 * before the pipeline has created it.
 */
async function uiLink(uri: string): Promise<string> {
  const { experiment: name } = await loadParams("train");
  const client = new MlflowClient(uri, { retry: { maxAttempts: 1 } });
  const experiment = await client.tracking.getExperimentByName(name);
  return experimentPageUrl(uri, experiment?.experiment_id);
}

/** Runs one command and returns the process exit code. */
async function main(args: readonly string[]): Promise<number> {
  switch (args[0]) {
    case "start":
      console.log(await ensureTrackingServer());
      return 0;
    case "ui":
      console.log(`MLflow UI: ${await uiLink(await ensureTrackingServer())}`);
      return 0;
    case "stop": {
      const status = await trackingServerStatus();
      if (status.remote) {
        console.log(
          `MLFLOW_TRACKING_URI is set (${redactUri(status.uri)}); not stopping a remote server`,
        );
        return 0;
      }
      const stopped = await stopTrackingServer();
      console.log(stopped ? `stopped MLflow server on ${status.uri}` : "MLflow server not running");
      return 0;
    }
    case "status": {
      const status = await trackingServerStatus();
      const where = status.remote ? `${redactUri(status.uri)} (MLFLOW_TRACKING_URI)` : status.uri;
      const pid = status.pid === undefined ? "" : `, pid ${status.pid}`;
      const backend = status.backend === undefined ? "" : `, backend store ${status.backend}`;
      console.log(
        status.problem
          ? `not running at ${where}: ${status.problem}`
          : `running at ${where}${pid}${backend}`,
      );
      return status.problem ? 1 : 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(describeFailure(error));
    Deno.exit(1);
  }
}
