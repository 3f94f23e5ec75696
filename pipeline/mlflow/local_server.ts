/**
 * Finds the tracking server the pipeline logs to: `MLFLOW_TRACKING_URI` when set,
 * otherwise a local MLflow server from the project's virtualenv, started on demand as a
 * detached process that later pipeline stages reuse. Its state lives in `mlruns/`:
 * `mlflow.db` (runs and registry, unless `MLFLOW_BACKEND_STORE_URI` names another
 * database), `artifacts/`, `server.log`, `server.pid` and `server.backend`.
 *
 * @module
 */
import { TrackingServerError } from "./errors.ts";
import { join } from "node:path";
import { BACKEND_STORE_ENV, resolveBackendStoreUri } from "./backend_store.ts";
import { probeHealth } from "./health.ts";
import {
  type LocalServer,
  type LocalServerOptions,
  readPid,
  resolveLocalServer,
} from "./local_server_config.ts";
import { redactUri } from "./redact_uri.ts";
import { commandLine, spawnDetached, stopProcessGroup } from "./server_process.ts";

export type { LocalServerOptions } from "./local_server_config.ts";

/** Options of {@linkcode ensureTrackingServer}. */
export interface TrackingServerOptions extends LocalServerOptions {
  /** A remote server to use instead; defaults to `MLFLOW_TRACKING_URI`, `""` forces the local one. */
  readonly trackingUri?: string;
}

/** What {@linkcode trackingServerStatus} found. */
export interface TrackingServerStatus {
  readonly uri: string;
  /** Whether the URI came from `MLFLOW_TRACKING_URI` rather than the local server. */
  readonly remote: boolean;
  /** Why `/health` failed, `undefined` when the server is healthy. */
  readonly problem?: string;
  /** The pid recorded in `server.pid`, for the local server. */
  readonly pid?: number;
  /** The local server's backend store, password hidden, as recorded when it started. */
  readonly backend?: string;
}

/**
 * The tracking URI to use, starting the local server if needed.
 *
 * @example Starts the project's local server (in `mlruns/`) unless `MLFLOW_TRACKING_URI` is set
 * ```ts ignore
 * import { MlflowClient } from "./client.ts";
 *
 * const client = new MlflowClient(await ensureTrackingServer());
 * ```
 */
export async function ensureTrackingServer(options: TrackingServerOptions = {}): Promise<string> {
  const remote = options.trackingUri ?? Deno.env.get("MLFLOW_TRACKING_URI");
  if (!remote) return await ensureLocalServer(options);
  const problem = await probeHealth(remote);
  if (problem) {
    throw new TrackingServerError(
      `MLflow tracking server ${redactUri(remote)} is not reachable: ${problem}`,
    );
  }
  return remote;
}

/**
 * Reuses the local server if it is healthy, else starts it and waits until it is. A
 * healthy server started with another backend store is an error rather than reused, so
 * that setting `MLFLOW_BACKEND_STORE_URI` never silently logs to the old store.
 *
 * @example Needs a database server, so it is not run as a doc test
 * ```ts ignore
 * const uri = await ensureLocalServer({ backendStoreUri: "postgresql://mlflow:pw@db/mlflow" });
 * ```
 */
export async function ensureLocalServer(options: LocalServerOptions = {}): Promise<string> {
  const server = resolveLocalServer(options);
  const backendStoreUri = resolveBackendStoreUri(options.backendStoreUri, server.stateDir);
  if (await probeHealth(server.uri) === undefined) return await reuse(server, backendStoreUri);
  await Deno.mkdir(server.stateDir, { recursive: true });
  // Concurrent pipeline stages serialise here, so only the first one starts a server.
  const lock = await Deno.open(join(server.stateDir, "server.lock"), { write: true, create: true });
  try {
    await lock.lock(true);
    if (await probeHealth(server.uri) === undefined) return await reuse(server, backendStoreUri);
    await startLocalServer(server, backendStoreUri);
    return server.uri;
  } finally {
    lock.close();
  }
}

/**
 * Stops the local server recorded in `server.pid`; returns whether one was running.
 * Throws if a server answers on the port but was not started from this state directory.
 */
export async function stopTrackingServer(options: LocalServerOptions = {}): Promise<boolean> {
  const server = resolveLocalServer(options);
  const pid = await readPid(server.pidFile);
  const command = pid === undefined ? undefined : await commandLine(pid);
  if (pid === undefined || !command?.includes("mlflow")) {
    await removeRecords(server);
    if (await probeHealth(server.uri) === undefined) {
      throw new TrackingServerError(
        `an MLflow server answers at ${server.uri} but ${server.pidFile} does not name it; ` +
          "stop it where it was started",
      );
    }
    return false;
  }
  await stopProcessGroup(pid);
  await removeRecords(server);
  return true;
}

/** Whether the tracking server that {@linkcode ensureTrackingServer} would use is healthy. */
export async function trackingServerStatus(
  options: TrackingServerOptions = {},
): Promise<TrackingServerStatus> {
  const remote = options.trackingUri ?? Deno.env.get("MLFLOW_TRACKING_URI");
  if (remote) return { uri: remote, remote: true, problem: await probeHealth(remote) };
  const server = resolveLocalServer(options);
  const pid = await readPid(server.pidFile);
  const backend = await recordedBackend(server);
  return { uri: server.uri, remote: false, problem: await probeHealth(server.uri), pid, backend };
}

/** The healthy server's URI, unless it records a backend store other than `backendStoreUri`. */
async function reuse(server: LocalServer, backendStoreUri: string): Promise<string> {
  const running = await recordedBackend(server);
  // Compared with the password hidden, as recorded: only the store itself matters here.
  const wanted = redactUri(backendStoreUri);
  if (running !== undefined && running !== wanted) {
    throw new TrackingServerError(
      `the MLflow server on ${server.uri} uses the backend store ${running}, not ${wanted}; ` +
        "stop it first (deno task mlflow stop) to switch stores",
    );
  }
  return server.uri;
}

async function recordedBackend(server: LocalServer): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(server.backendFile)).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function removeRecords(server: LocalServer): Promise<void> {
  await Deno.remove(server.pidFile).catch(() => {});
  await Deno.remove(server.backendFile).catch(() => {});
}

async function startLocalServer(server: LocalServer, backendStoreUri: string): Promise<void> {
  try {
    await Deno.stat(server.mlflowBin);
  } catch {
    throw new TrackingServerError(
      `MLflow is not installed at ${server.mlflowBin}; create the virtualenv first`,
    );
  }
  await Deno.writeTextFile(
    server.logFile,
    `--- ${new Date().toISOString()} starting MLflow server on ${server.uri} ` +
      `with backend store ${redactUri(backendStoreUri)}\n`,
    { append: true },
  );
  const spawned = spawnDetached(
    server.mlflowBin,
    [
      "server",
      ...["--host", "127.0.0.1", "--port", `${server.port}`, "--workers", `${server.workers}`],
      ...["--artifacts-destination", join(server.stateDir, "artifacts")],
      "--serve-artifacts",
    ],
    server.logFile,
    {
      // `mlflow server --backend-store-uri` reads this variable; handed over here rather
      // than as an argument, a database password never shows in `ps` or the log.
      [BACKEND_STORE_ENV]: backendStoreUri,
      // Server-side jobs (GenAI evaluation) spawn extra worker processes the pipeline never uses.
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false",
    },
  );
  await Deno.writeTextFile(server.pidFile, `${spawned.pid}\n`);
  await Deno.writeTextFile(server.backendFile, `${redactUri(backendStoreUri)}\n`);
  let exitCode: number | undefined;
  spawned.exited.then((code) => exitCode = code);
  const deadline = Date.now() + server.startupTimeoutMs;
  let problem = await probeHealth(server.uri);
  while (problem !== undefined) {
    let failure: string | undefined;
    if (exitCode !== undefined) failure = `exited with code ${exitCode} before becoming healthy`;
    else if (Date.now() >= deadline) {
      failure = `was not healthy after ${server.startupTimeoutMs} ms (${problem})`;
    }
    if (failure) {
      await stopProcessGroup(spawned.pid, 2000);
      await removeRecords(server);
      throw new TrackingServerError(
        `MLflow server on ${server.uri} ${failure}; see ${server.logFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    problem = await probeHealth(server.uri);
  }
}
