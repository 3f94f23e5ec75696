/**
 * A throwaway MLflow tracking server for tests: started from the project's virtualenv
 * on a free loopback port with its state in a temporary directory.
 *
 * @module
 */
import { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { ensureLocalServer, stopTrackingServer } from "../../pipeline/mlflow/local_server.ts";
import { freePort } from "../../tools/free_port.ts";

/** A running test server and a client for it. */
export interface TestServer {
  readonly uri: string;
  readonly port: number;
  readonly stateDir: string;
  readonly client: MlflowClient;
  /** Stops the server and deletes its state. */
  stop(): Promise<void>;
}

/** A loopback port nothing listens on right now. */
export { freePort };

/** Options of {@linkcode startTestServer}. */
export interface TestServerOptions {
  /**
   * The backend store; defaults to a SQLite file in the temporary state directory, even
   * when `MLFLOW_BACKEND_STORE_URI` is set, so that tests never write to a real team store.
   */
  readonly backendStoreUri?: string;
}

/**
 * Starts a fresh server; a cold start takes tens of seconds, so start one per test file.
 *
 * @example
 * ```ts
 * const server = await startTestServer();
 * try {
 *   await server.client.tracking.getOrCreateExperiment("e");
 * } finally {
 *   await server.stop();
 * }
 * ```
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const stateDir = await Deno.makeTempDir({ prefix: "mlflow_test_" });
  const port = freePort();
  // `""` is the SQLite file in stateDir, whatever the environment says.
  const backendStoreUri = options.backendStoreUri ?? "";
  const uri = await ensureLocalServer({ stateDir, port, backendStoreUri });
  return {
    uri,
    port,
    stateDir,
    client: new MlflowClient(uri, { credentials: null }),
    async stop() {
      await stopTrackingServer({ stateDir, port });
      await Deno.remove(stateDir, { recursive: true });
    },
  };
}
