import assert from "node:assert/strict";
import {
  BACKEND_STORE_ENV,
  checkBackendStoreUri,
  resolveBackendStoreUri,
  withInstalledDriver,
} from "../../pipeline/mlflow/backend_store.ts";

/** Runs `body` with `MLFLOW_BACKEND_STORE_URI` set to `value` (unset for `undefined`). */
function withEnv(value: string | undefined, body: () => void): void {
  const saved = Deno.env.get(BACKEND_STORE_ENV);
  try {
    if (value === undefined) Deno.env.delete(BACKEND_STORE_ENV);
    else Deno.env.set(BACKEND_STORE_ENV, value);
    body();
  } finally {
    if (saved === undefined) Deno.env.delete(BACKEND_STORE_ENV);
    else Deno.env.set(BACKEND_STORE_ENV, saved);
  }
}

Deno.test("SQLite and PostgreSQL URIs are accepted", () => {
  for (
    const uri of [
      "sqlite:////srv/mlflow.db",
      "postgresql://u:p@db:5432/mlflow",
      "postgresql+psycopg2://u:p@db/mlflow",
      "PostgreSQL://db/mlflow",
    ]
  ) assert.equal(checkBackendStoreUri(uri), uri);
});

Deno.test("another store is refused, naming the variable and hiding the password", () => {
  for (
    const uri of [
      "mysql://u:hunter2@db/mlflow",
      "postgresql+psycopg://u:hunter2@db/mlflow",
      "file:///srv/mlruns",
      "sqlite:mlflow.db",
      "u:hunter2@db/mlflow",
    ]
  ) {
    assert.throws(() => checkBackendStoreUri(uri), (error: Error) => {
      assert.match(error.message, /^MLFLOW_BACKEND_STORE_URI must be a sqlite:\/\/\/<file>/);
      assert.equal(error.message.includes("hunter2"), false, error.message);
      return true;
    });
  }
  assert.throws(
    () => checkBackendStoreUri("postgres://u:hunter2@db/mlflow"),
    /got "postgres:\/\/u:\*\*\*@db\/mlflow"; write postgresql:\/\/ instead of postgres:\/\//,
  );
});

Deno.test("a bare postgresql:// gets the installed driver", () => {
  assert.equal(withInstalledDriver("postgresql://u:p@db/m"), "postgresql+psycopg2://u:p@db/m");
  assert.equal(withInstalledDriver("postgresql+psycopg2://db/m"), "postgresql+psycopg2://db/m");
  assert.equal(withInstalledDriver("sqlite:////x.db"), "sqlite:////x.db");
});

Deno.test("the option, then the variable, then the SQLite file in the state directory", () => {
  withEnv(undefined, () => {
    assert.equal(resolveBackendStoreUri(undefined, "/s"), "sqlite:////s/mlflow.db");
  });
  withEnv("", () => {
    assert.equal(resolveBackendStoreUri(undefined, "/s"), "sqlite:////s/mlflow.db");
  });
  withEnv("postgresql://u:p@db/m", () => {
    assert.equal(resolveBackendStoreUri(undefined, "/s"), "postgresql+psycopg2://u:p@db/m");
    assert.equal(resolveBackendStoreUri("", "/s"), "sqlite:////s/mlflow.db");
    assert.equal(resolveBackendStoreUri("sqlite:////o.db", "/s"), "sqlite:////o.db");
  });
  withEnv("mongodb://u:hunter2@db", () => {
    assert.throws(
      () => resolveBackendStoreUri(undefined, "/s"),
      /MLFLOW_BACKEND_STORE_URI must be .*got "mongodb:\/\/u:\*\*\*@db"/,
    );
  });
});

Deno.test("a value that is not a URI is not echoed", () => {
  assert.throws(
    () => checkBackendStoreUri("host=db password=hunter2"),
    /got a value without <scheme>:\/\/$/,
  );
});
