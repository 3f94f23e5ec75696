/**
 * Settings of the project's local tracking server: options with their defaults filled
 * in, including the `MLFLOW_PORT` override, and the pid and backend files it leaves behind.
 *
 * @module
 */
import { TrackingServerError } from "./errors.ts";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where and how the local server runs; every field has a default. */
export interface LocalServerOptions {
  /** The project root; defaults to the directory two levels above this module. */
  readonly projectDir?: string;
  /** SQLite database, artifacts, log and pid file; defaults to `<projectDir>/mlruns`. */
  readonly stateDir?: string;
  /**
   * Where runs and the model registry live: a `sqlite:` or `postgresql:` URI. Defaults to
   * `MLFLOW_BACKEND_STORE_URI`, else `<stateDir>/mlflow.db`; `""` forces that SQLite file.
   * Artifacts stay in `<stateDir>/artifacts` either way.
   */
  readonly backendStoreUri?: string;
  /** Defaults to `MLFLOW_PORT`, else 5000. */
  readonly port?: number;
  /** Defaults to `<projectDir>/.venv/bin/mlflow`. */
  readonly mlflowBin?: string;
  /** How long a cold start may take; defaults to 120 s. */
  readonly startupTimeoutMs?: number;
  /** Server worker processes; one starts fastest and is plenty for one user. */
  readonly workers?: number;
}

/** A local server's settings with every default applied. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>`. */
  readonly uri: string;
  readonly port: number;
  readonly stateDir: string;
  readonly mlflowBin: string;
  readonly startupTimeoutMs: number;
  readonly workers: number;
  readonly logFile: string;
  readonly pidFile: string;
  /** The running server's backend store URI, password hidden, to tell which store it uses. */
  readonly backendFile: string;
}

/** Fills in the defaults of {@linkcode LocalServerOptions}. */
export function resolveLocalServer(options: LocalServerOptions): LocalServer {
  const projectDir = options.projectDir ?? fileURLToPath(new URL("../../", import.meta.url));
  // Absolute, because the SQLite URI handed to the server must not depend on its cwd.
  const stateDir = resolve(options.stateDir ?? join(projectDir, "mlruns"));
  const port = options.port ?? portFromEnv();
  return {
    uri: `http://127.0.0.1:${port}`,
    port,
    stateDir,
    mlflowBin: options.mlflowBin ?? join(projectDir, ".venv", "bin", "mlflow"),
    startupTimeoutMs: options.startupTimeoutMs ?? 120_000,
    workers: options.workers ?? 1,
    logFile: join(stateDir, "server.log"),
    pidFile: join(stateDir, "server.pid"),
    backendFile: join(stateDir, "server.backend"),
  };
}

function portFromEnv(): number {
  const raw = Deno.env.get("MLFLOW_PORT");
  if (raw === undefined || raw === "") return 5000;
  const port = Number(raw);
  if (Number.isInteger(port) && port > 0 && port < 65536) return port;
  throw new TrackingServerError(`MLFLOW_PORT must be a TCP port number, got "${raw}"`);
}

/** The pid recorded in a pid file, `undefined` if there is no valid one. */
export async function readPid(pidFile: string): Promise<number | undefined> {
  try {
    const pid = Number((await Deno.readTextFile(pidFile)).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
