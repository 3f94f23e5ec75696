/**
 * The project's local MLflow server on a real PostgreSQL backend store: registration,
 * promotion and serving by alias work, runs and registry live in PostgreSQL rather than
 * in a SQLite file, and the database password shows neither in the server log nor on
 * any server process's command line. Skipped, with the reason in the name, where
 * PostgreSQL is not installed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createPredictor } from "../../pipeline/bundle/bundle_predictor.ts";
import { matrix } from "../../pipeline/core/matrix.ts";
import { ensureLocalServer, trackingServerStatus } from "../../pipeline/mlflow/local_server.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { promote } from "../../pipeline/registry/promotion.ts";
import { registerBundle } from "../../pipeline/registry/registration.ts";
import { BundleCache } from "../../serve/model/bundle_cache.ts";
import { mlflowSource } from "../../serve/model/model_source_mlflow.ts";
import { startTestServer } from "../support/mlflow_server.ts";
import { postgresUnavailable, startPostgres } from "../support/postgres_server.ts";
import { harness, postJson } from "../support/serve_harness.ts";
import { promotionRequest, trainRun } from "../support/registry_fixtures.ts";
import { randomRow, testBundle } from "../support/test_bundle.ts";

const NAME = "crime-pg-test";
const split = { cvFolds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], holdoutFold: 10 };

const skip = await postgresUnavailable();
if (skip) console.error(`PostgreSQL backend tests skipped: ${skip}`);

/** Command lines of every process in the process group `pgid` (the detached server's). */
async function groupCommandLines(pgid: number): Promise<string[]> {
  const out = await new Deno.Command("ps", { args: ["-e", "-o", "pgid=,args="], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n")
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null && Number(m[1]) === pgid)
    .map((m) => m[2]);
}

Deno.test({
  name: `MLflow on a PostgreSQL backend store: register, promote, serve by alias${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn(t) {
    const pg = await startPostgres();
    try {
      const server = await startTestServer({ backendStoreUri: pg.uri });
      const { client, stateDir, port } = server;
      const secrets = [pg.password, encodeURIComponent(pg.password)];
      try {
        const metrics = { cv_rmse: 0.14, cv_r2: 0.65, cv_fold_rmse_max: 0.18 };
        const bundle = await testBundle({ inputs: 5, metrics, name: NAME });
        const run = await trainRun(client, bundle, "train-pg-test");

        await t.step("registration stores the version in PostgreSQL", async () => {
          const { version } = await registerBundle(client, { name: NAME, bundle, run, split });
          assert.equal(version.status, "READY");
          assert.equal(await pg.query("SELECT name FROM registered_models"), NAME);
          assert.equal(
            await pg.query(`SELECT run_uuid FROM runs WHERE run_uuid = '${run.runId}'`),
            run.runId,
          );
          await assert.rejects(Deno.stat(join(stateDir, "mlflow.db")), Deno.errors.NotFound);
          // Artifacts stay on the tracking server's disk.
          const stored = [];
          for await (const entry of Deno.readDir(join(stateDir, "artifacts"))) stored.push(entry);
          assert.ok(stored.length > 0, "no artifacts under the state directory");
        });

        await t.step("promotion makes it champion", async () => {
          const outcome = await promote(client, promotionRequest(NAME));
          assert.equal(outcome.promoted, true, JSON.stringify(outcome.gates));
          assert.equal(
            await pg.query("SELECT alias || '=' || version FROM registered_model_aliases"),
            `champion=${outcome.version}`,
          );
        });

        await t.step(
          "the prediction server loads the champion and predicts as the bundle",
          async () => {
            const cache = await Deno.makeTempDir({ prefix: "serve_pg_" });
            try {
              const source = mlflowSource({
                client,
                locator: { kind: "registry", name: NAME, alias: "champion" },
                cache: new BundleCache(cache),
              });
              const { app } = await harness(undefined, { source });
              const info = await (await app.request("/model/info")).json();
              assert.equal(info.source, `models:/${NAME}@champion`);
              assert.equal(info.checksum, bundle.checksum);
              const predictor = createPredictor(bundle, loadModel);
              for (const seed of [1, 2, 3]) {
                const row = randomRow(bundle, seed);
                const response = await postJson(app, "/predict", row);
                assert.equal(response.status, 200);
                const values = predictor.featureNames.map((name) => row[name] ?? NaN);
                const own = predictor.predict(matrix(1, values.length, Float64Array.from(values)));
                assert.equal((await response.json()).prediction, own[0]);
              }
            } finally {
              await Deno.remove(cache, { recursive: true });
            }
          },
        );

        await t.step("the password is in neither the server log nor its command line", async () => {
          const log = await Deno.readTextFile(join(stateDir, "server.log"));
          assert.match(
            log,
            /with backend store postgresql\+psycopg2:\/\/mlflow:\*\*\*@127\.0\.0\.1:/,
          );
          const status = await trackingServerStatus({ stateDir, port, trackingUri: "" });
          assert.match(status.backend!, /^postgresql\+psycopg2:\/\/mlflow:\*\*\*@127\.0\.0\.1:/);
          const commands = await groupCommandLines(status.pid!);
          assert.ok(commands.some((c) => c.includes("mlflow")), commands.join("\n"));
          for (const secret of secrets) {
            assert.equal(log.includes(secret), false, "the password is in server.log");
            for (const command of commands) {
              assert.equal(command.includes(secret), false, `the password is in: ${command}`);
            }
          }
        });

        await t.step("a server on another backend store is not reused", async () => {
          const error = await ensureLocalServer({ stateDir, port, backendStoreUri: "" })
            .then(() => undefined, (e: Error) => e);
          assert.match(
            error?.message ?? "reused",
            /uses the backend store postgresql\+psycopg2:\/\/mlflow:\*\*\*@.*, not sqlite:\/\/\/.*stop it first/,
          );
          for (const secret of secrets) assert.equal(error!.message.includes(secret), false);
        });
      } finally {
        await server.stop();
      }
    } finally {
      await pg.stop();
    }
  },
});
