import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ensureLocalServer,
  stopTrackingServer,
  trackingServerStatus,
} from "../../pipeline/mlflow/local_server.ts";
import { commandLine } from "../../pipeline/mlflow/server_process.ts";
import { TrackingServerError } from "../../pipeline/mlflow/errors.ts";
import { freePort } from "../support/mlflow_server.ts";

/** Runs `test` with a temporary state directory and an executable `fake-mlflow` script in it. */
async function withFakeMlflow(
  script: string,
  test: (stateDir: string, mlflowBin: string) => Promise<void>,
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "mlflow_state_" });
  const mlflowBin = join(stateDir, "fake-mlflow");
  await Deno.writeTextFile(mlflowBin, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  try {
    await test(stateDir, mlflowBin);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("a server that exits during startup is reported with its log", async () => {
  await withFakeMlflow('echo "port already in use" >&2; exit 3', async (stateDir, mlflowBin) => {
    const port = freePort();
    await assert.rejects(
      ensureLocalServer({ stateDir, port, mlflowBin }),
      new RegExp(
        `MLflow server on http://127.0.0.1:${port} exited with code 3 before becoming healthy; ` +
          `see ${join(stateDir, "server.log")}`,
      ),
    );
    const log = await Deno.readTextFile(join(stateDir, "server.log"));
    assert.match(log, /starting MLflow server on .*\nport already in use\n/);
    assert.equal((await trackingServerStatus({ stateDir, port, trackingUri: "" })).pid, undefined);
  });
});

Deno.test("a server that never becomes healthy is stopped at the startup timeout", async () => {
  await withFakeMlflow(
    'echo $$ > "$(dirname "$0")/own.pid"; exec sleep 30',
    async (stateDir, mlflowBin) => {
      const started = performance.now();
      await assert.rejects(
        ensureLocalServer({ stateDir, port: freePort(), mlflowBin, startupTimeoutMs: 300 }),
        /was not healthy after 300 ms \(GET \/health failed: Connection refused.*\); see /,
      );
      assert.ok(performance.now() - started < 5000);
      const pid = Number(await Deno.readTextFile(join(stateDir, "own.pid")));
      assert.equal(await commandLine(pid), undefined, "the hung server process is still running");
      assert.equal(await stopTrackingServer({ stateDir, port: freePort() }), false);
    },
  );
});

Deno.test("a missing virtualenv is named in the error", async () => {
  const stateDir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      ensureLocalServer({ stateDir, port: freePort(), projectDir: "/nonexistent-project" }),
      /MLflow is not installed at \/nonexistent-project\/\.venv\/bin\/mlflow/,
    );
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("MLFLOW_PORT chooses the port and must be a port number", async () => {
  const saved = Deno.env.get("MLFLOW_PORT");
  try {
    Deno.env.set("MLFLOW_PORT", "5123");
    assert.equal((await trackingServerStatus({ trackingUri: "" })).uri, "http://127.0.0.1:5123");
    Deno.env.set("MLFLOW_PORT", "50x");
    await assert.rejects(
      trackingServerStatus({ trackingUri: "" }),
      /MLFLOW_PORT must be a TCP port number, got "50x"/,
    );
  } finally {
    if (saved === undefined) Deno.env.delete("MLFLOW_PORT");
    else Deno.env.set("MLFLOW_PORT", saved);
  }
});

Deno.test("the backend store reaches the server through its environment, not argv", async () => {
  await withFakeMlflow(
    'd="$(dirname "$0")"; printf "%s\\n" "$@" > "$d/args"; ' +
      'printf "%s" "$MLFLOW_BACKEND_STORE_URI" > "$d/store"; exit 3',
    async (stateDir, mlflowBin) => {
      const read = (name: string) => Deno.readTextFile(join(stateDir, name));
      const port = freePort();
      await assert.rejects(
        ensureLocalServer({ stateDir, port, mlflowBin, backendStoreUri: "" }),
        /exited with code 3/,
      );
      assert.equal(await read("store"), `sqlite:///${join(stateDir, "mlflow.db")}`);

      const backendStoreUri = "postgresql://mlflow:hunter2@db:5432/mlflow";
      await assert.rejects(
        ensureLocalServer({ stateDir, port, mlflowBin, backendStoreUri }),
        (error: Error) => !error.message.includes("hunter2"),
      );
      assert.equal(await read("store"), "postgresql+psycopg2://mlflow:hunter2@db:5432/mlflow");
      const args = await read("args");
      assert.match(args, /^server\n/);
      assert.doesNotMatch(args, /backend-store|hunter2/);
      const log = await read("server.log");
      assert.match(
        log,
        /with backend store postgresql\+psycopg2:\/\/mlflow:\*\*\*@db:5432\/mlflow\n/,
      );
      assert.equal(log.includes("hunter2"), false);
      await assert.rejects(Deno.stat(join(stateDir, "server.backend")), Deno.errors.NotFound);
    },
  );
});

Deno.test("an unsupported MLFLOW_BACKEND_STORE_URI stops before any server starts", async () => {
  const saved = Deno.env.get("MLFLOW_BACKEND_STORE_URI");
  try {
    Deno.env.set("MLFLOW_BACKEND_STORE_URI", "mysql://mlflow:hunter2@db/mlflow");
    await withFakeMlflow('touch "$(dirname "$0")/started"', async (stateDir, mlflowBin) => {
      await assert.rejects(
        ensureLocalServer({ stateDir, port: freePort(), mlflowBin }),
        (error: unknown) => {
          assert.ok(error instanceof TrackingServerError, String(error));
          assert.match(
            error.message,
            /^MLFLOW_BACKEND_STORE_URI must be .*, got "mysql:\/\/mlflow:\*\*\*@db\/mlflow"$/,
          );
          return true;
        },
      );
      await assert.rejects(Deno.stat(join(stateDir, "started")), Deno.errors.NotFound);
    });
  } finally {
    if (saved === undefined) Deno.env.delete("MLFLOW_BACKEND_STORE_URI");
    else Deno.env.set("MLFLOW_BACKEND_STORE_URI", saved);
  }
});
