/**
 * A typed client for the MLflow tracking server's REST API: experiments and runs
 * ({@linkcode TrackingApi}), artifacts through the server's proxy ({@linkcode ArtifactsApi})
 * and the model registry ({@linkcode RegistryApi}), sharing one retrying transport.
 *
 * @example With a tracking server (this starts the project's local one when none is set)
 * ```ts ignore
 * import { ensureTrackingServer } from "./local_server.ts";
 *
 * const client = new MlflowClient(await ensureTrackingServer());
 * const experiment = await client.tracking.getOrCreateExperiment("communities-crime");
 * const run = await client.tracking.createRun({ experimentId: experiment.experiment_id });
 * await client.tracking.logBatch(run.info.run_id, { params: { alpha: 0.1 } });
 * await client.artifacts.upload(run.info.artifact_uri, "model/model.json", '{"alpha":0.1}');
 * await client.tracking.terminateRun(run.info.run_id);
 * ```
 *
 * @module
 */
import { ArtifactsApi } from "./artifacts.ts";
import { RegistryApi } from "./registry.ts";
import { TrackingApi } from "./tracking.ts";
import { HttpTransport, type TransportOptions } from "./transport.ts";

export { joinArtifactPath } from "./artifacts.ts";
export { MlflowError } from "./errors.ts";
export type { Experiment, FileInfo, Metric, Run, RunInfo } from "./schemas.ts";
export type { ModelVersion, RegisteredModel } from "./registry_schemas.ts";

/**
 * One tracking server, reached through its tracking URI, e.g. `http://127.0.0.1:5000`. A
 * user and password in the URI (`http://user:password@host:5000`) are sent as basic
 * authentication and taken out of {@linkcode MlflowClient.trackingUri} and every error
 * message.
 */
export class MlflowClient {
  /** The server's base URI, without a trailing slash and without user info. */
  readonly trackingUri: string;
  /** Experiments, runs, params, metrics, tags and datasets. */
  readonly tracking: TrackingApi;
  /** Artifact upload, download and listing. */
  readonly artifacts: ArtifactsApi;
  /** Registered models, versions, aliases and their tags. */
  readonly registry: RegistryApi;

  /** Prepares a client; nothing is sent until a call is made. */
  constructor(trackingUri: string, options: TransportOptions = {}) {
    const http = new HttpTransport(trackingUri, options);
    this.trackingUri = http.trackingUri;
    this.tracking = new TrackingApi(http);
    this.artifacts = new ArtifactsApi(http);
    this.registry = new RegistryApi(http);
  }
}
