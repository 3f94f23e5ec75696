/**
 * Finds the tracking server the pipeline logs to: `MLFLOW_TRACKING_URI` when set,
 * otherwise a local MLflow server from the project's virtualenv, started on demand as a
 * detached process that later pipeline stages reuse. Its state lives in `mlruns/`:
 * `mlflow.db` (runs and registry), `artifacts/`, `server.log` and `server.pid`.
 *
 * @module
 */
import { join } from "node:path";
import { probeHealth } from "./health.ts";
import {
  type LocalServer,
  type LocalServerOptions,
  readPid,
  resolveLocalServer,
} from "./local_server_config.ts";
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
}

/**
 * The tracking URI to use, starting the local server if needed.
 *
 * @example
 * ```ts
 * const client = new MlflowClient(await ensureTrackingServer());
 * ```
 */
export async function ensureTrackingServer(options: TrackingServerOptions = {}): Promise<string> {
  const remote = options.trackingUri ?? Deno.env.get("MLFLOW_TRACKING_URI");
  if (!remote) return await ensureLocalServer(options);
  const problem = await probeHealth(remote);
  if (problem) throw new Error(`MLflow tracking server ${remote} is not reachable: ${problem}`);
  return remote;
}

/** Reuses the local server if it is healthy, else starts it and waits until it is. */
export async function ensureLocalServer(options: LocalServerOptions = {}): Promise<string> {
  const server = resolveLocalServer(options);
  if (await probeHealth(server.uri) === undefined) return server.uri;
  await Deno.mkdir(server.stateDir, { recursive: true });
  // Concurrent pipeline stages serialise here, so only the first one starts a server.
  const lock = await Deno.open(join(server.stateDir, "server.lock"), { write: true, create: true });
  try {
    await lock.lock(true);
    if (await probeHealth(server.uri) === undefined) return server.uri;
    await startLocalServer(server);
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
    await Deno.remove(server.pidFile).catch(() => {});
    if (await probeHealth(server.uri) === undefined) {
      throw new Error(
        `an MLflow server answers at ${server.uri} but ${server.pidFile} does not name it; ` +
          "stop it where it was started",
      );
    }
    return false;
  }
  await stopProcessGroup(pid);
  await Deno.remove(server.pidFile).catch(() => {});
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
  return { uri: server.uri, remote: false, problem: await probeHealth(server.uri), pid };
}

async function startLocalServer(server: LocalServer): Promise<void> {
  try {
    await Deno.stat(server.mlflowBin);
  } catch {
    throw new Error(`MLflow is not installed at ${server.mlflowBin}; create the virtualenv first`);
  }
  await Deno.writeTextFile(
    server.logFile,
    `--- ${new Date().toISOString()} starting MLflow server on ${server.uri}\n`,
    { append: true },
  );
  const spawned = spawnDetached(
    server.mlflowBin,
    [
      "server",
      ...["--host", "127.0.0.1", "--port", `${server.port}`, "--workers", `${server.workers}`],
      ...["--backend-store-uri", `sqlite:///${join(server.stateDir, "mlflow.db")}`],
      ...["--artifacts-destination", join(server.stateDir, "artifacts")],
      "--serve-artifacts",
    ],
    server.logFile,
    {
      // Server-side jobs (GenAI evaluation) spawn extra worker processes the pipeline never uses.
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false",
    },
  );
  await Deno.writeTextFile(server.pidFile, `${spawned.pid}\n`);
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
      await Deno.remove(server.pidFile).catch(() => {});
      throw new Error(`MLflow server on ${server.uri} ${failure}; see ${server.logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    problem = await probeHealth(server.uri);
  }
}
