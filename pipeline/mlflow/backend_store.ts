/**
 * Which database the local tracking server keeps its runs and model registry in: the
 * `backendStoreUri` option, else `MLFLOW_BACKEND_STORE_URI`, else the embedded SQLite file
 * in the server's state directory.
 *
 * @module
 */
import { TrackingServerError } from "./errors.ts";
import { join } from "node:path";
import { redactUri } from "./redact_uri.ts";

/** The environment variable that names the backend store, as `mlflow server` also reads it. */
export const BACKEND_STORE_ENV = "MLFLOW_BACKEND_STORE_URI";

// Only stores whose driver requirements.txt installs: SQLite is built into Python and
// psycopg2-binary is the driver of both PostgreSQL spellings.
const ACCEPTED = /^(sqlite|postgresql|postgresql\+psycopg2):\/\//i;
const PLAIN_POSTGRESQL = /^postgresql:\/\//i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The SQLite file that holds runs and registry when no other store is chosen. */
export function sqliteStoreUri(stateDir: string): string {
  return `sqlite:///${join(stateDir, "mlflow.db")}`;
}

/**
 * `uri` itself if the local server can use it as its backend store; otherwise throws an
 * error that names {@linkcode BACKEND_STORE_ENV} and shows the URI with its password hidden.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBackendStoreUri } from "./backend_store.ts";
 *
 * checkBackendStoreUri("postgresql://mlflow:pw@db:5432/mlflow");
 * assert.throws(
 *   () => checkBackendStoreUri("mysql://mlflow:pw@db/mlflow"),
 *   /MLFLOW_BACKEND_STORE_URI must be .*, got "mysql:\/\/mlflow:\*\*\*@db\/mlflow"/,
 * );
 * ```
 */
export function checkBackendStoreUri(uri: string): string {
  if (ACCEPTED.test(uri)) return uri;
  // SQLAlchemy 1.4 dropped the `postgres://` alias that some hosting services still print.
  const hint = /^postgres:/i.test(uri) ? "; write postgresql:// instead of postgres://" : "";
  // Without `scheme://` the redaction cannot tell where a password would be: not shown.
  const got = HAS_SCHEME.test(uri) ? `"${redactUri(uri)}"` : "a value without <scheme>://";
  throw new TrackingServerError(
    `${BACKEND_STORE_ENV} must be a sqlite:///<file>, postgresql:// or postgresql+psycopg2:// ` +
      `URI, got ${got}${hint}`,
  );
}

/**
 * `uri` with the driver the project installs spelt out: SQLAlchemy 2.1 reads a bare
 * `postgresql://` as psycopg 3, which requirements.txt does not have, so it becomes
 * `postgresql+psycopg2://`; any other URI is returned as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withInstalledDriver } from "./backend_store.ts";
 *
 * assert.equal(withInstalledDriver("postgresql://db/mlflow"), "postgresql+psycopg2://db/mlflow");
 * ```
 */
export function withInstalledDriver(uri: string): string {
  return uri.replace(PLAIN_POSTGRESQL, "postgresql+psycopg2://");
}

/**
 * The backend store of a local server whose state lives in `stateDir`: `option` when given
 * (`""` means the SQLite file, whatever the environment says), else
 * {@linkcode BACKEND_STORE_ENV}, else the SQLite file; checked with
 * {@linkcode checkBackendStoreUri} and given its driver by {@linkcode withInstalledDriver}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveBackendStoreUri } from "./backend_store.ts";
 *
 * assert.equal(resolveBackendStoreUri("", "/srv/mlruns"), "sqlite:////srv/mlruns/mlflow.db");
 * ```
 */
export function resolveBackendStoreUri(option: string | undefined, stateDir: string): string {
  const chosen = option ?? Deno.env.get(BACKEND_STORE_ENV);
  return chosen ? withInstalledDriver(checkBackendStoreUri(chosen)) : sqliteStoreUri(stateDir);
}
