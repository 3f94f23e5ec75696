/**
 * The registered model as MLflow's own tools see it, against a real tracking server: the
 * register stage's logging (`logPyfuncModel` through `registerBundle`) turns the example
 * bundle into a logged `python_function` model and a version registered from it; then
 * `mlflow.pyfunc.load_model`, `mlflow models serve` and `mlflow.models.evaluate` (real
 * MLflow 3.17, real Python, real Deno subprocesses) answer on the real held-out fold 10
 * rows of the data set, and each answer is compared with the project's own predictor
 * (`createPredictor`, clipped as served) and with the HTTP server's `/predict/batch`.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { createPredictor } from "../../pipeline/bundle/bundle_predictor.ts";
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import { clipPredictions } from "../../pipeline/bundle/prediction_range.ts";
import { matrix } from "../../pipeline/core/matrix.ts";
import { rmse } from "../../pipeline/core/statistics.ts";
import { loadRaw } from "../../pipeline/data/load_raw.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { registerBundle } from "../../pipeline/registry/registration.ts";
import { BundleCache } from "../../serve/model/bundle_cache.ts";
import { mlflowSource } from "../../serve/model/model_source_mlflow.ts";
import { freePort, startTestServer } from "../support/mlflow_server.ts";
import { registerPyfuncModel, SPLIT } from "../support/pyfunc_model.ts";
import { harness, postJson } from "../support/serve_harness.ts";

const NAME = "crime-pyfunc-test";
const HOLDOUT_FOLD = SPLIT.holdoutFold;
const PYTHON = ".venv/bin/python";
const CLIENT = "tests/pyfunc/pyfunc_client.py";
const BUNDLE_PATH = "examples/model_bundle.json";

const bundle = await openBundle(await Deno.readTextFile(BUNDLE_PATH), BUNDLE_PATH);
const features = bundle.features.map((f) => f.name);

/** The held-out fold's rows of the raw data set (NaN where the data has `?`) and targets. */
async function holdout(): Promise<{ x: Float64Array; rows: number; y: Float64Array }> {
  const { table } = await loadRaw();
  const fold = table.numbers.get("fold")!;
  const picked = [...fold.keys()].filter((i) => fold[i] === HOLDOUT_FOLD);
  const x = new Float64Array(picked.length * features.length);
  picked.forEach((i, r) =>
    features.forEach((name, j) => x[r * features.length + j] = table.numbers.get(name)![i])
  );
  const target = table.numbers.get(bundle.target)!;
  return { x, rows: picked.length, y: Float64Array.from(picked, (i) => target[i]) };
}

/** Row `r` of `x` as a request row: null for a missing value. */
function rowObject(x: Float64Array, r: number): Record<string, number | null> {
  return Object.fromEntries(features.map((name, j) => {
    const v = x[r * features.length + j];
    return [name, Number.isNaN(v) ? null : v];
  }));
}

async function python(args: string[], env: Record<string, string>): Promise<unknown> {
  const output = await new Deno.Command(PYTHON, { args, env, stdin: "null" }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.ok(output.success, `${args[0]} failed:\n${stderr.slice(-3000)}`);
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
}

/** Waits until `url` answers 200, or fails naming what the process printed. */
async function waitFor(url: string, process: Deno.ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  process.status.then(() => exited = true);
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms (process exited: ${exited})`);
}

Deno.test("the registered model is an MLflow python_function model answering as the project's predictor", async (t) => {
  const server = await startTestServer();
  const scratch = await Deno.makeTempDir({ prefix: "pyfunc_test_" });
  const env = {
    MLFLOW_TRACKING_URI: server.uri,
    CRIME_DENO: Deno.execPath(),
    NO_COLOR: "1",
    // `mlflow models serve --env-manager local` runs the virtualenv's uvicorn from PATH.
    PATH: `${resolve(".venv/bin")}:${Deno.env.get("PATH")}`,
  };
  try {
    const { x, rows, y } = await holdout();
    const expected = clipPredictions(
      createPredictor(bundle, loadModel).predict(matrix(rows, features.length, x)),
      "expected",
    );
    const data = Array.from({ length: rows }, (_, r) => Object.values(rowObject(x, r)));
    const rowsFile = join(scratch, "rows.json");
    await Deno.writeTextFile(rowsFile, JSON.stringify({ columns: features, data }));
    assert.ok(rows > 150, `fold ${HOLDOUT_FOLD} has ${rows} rows`);
    assert.ok(x.some(Number.isNaN), "the real rows have missing values");

    const registered = await registerPyfuncModel(server.client, {
      name: NAME,
      bundle,
      bundlePath: BUNDLE_PATH,
      alias: "champion",
      metrics: { holdout_check: 1 },
    });
    const { run } = registered;
    const model = registered.loggedModel!;
    const uri = `models:/${NAME}@champion`;

    await t.step("the version is registered from the logged model, linked to the run", async () => {
      assert.equal(registered.version.source, `models:/${model.modelId}`);
      assert.equal(registered.version.run_id, run.runId);
      assert.equal(registered.version.tags.family, "ridge");
      const again = await registerBundle(server.client, {
        name: NAME,
        bundle,
        run,
        split: SPLIT,
        logModel: () => Promise.reject(new Error("a reused version logs no model")),
      });
      assert.deepEqual([again.reused, again.version.version], [true, registered.version.version]);
      const response = await fetch(`${server.uri}/api/2.0/mlflow/logged-models/${model.modelId}`);
      const logged = (await response.json()).model;
      assert.equal(logged.info.source_run_id, run.runId);
      assert.equal(logged.info.status, "LOGGED_MODEL_READY");
      const metrics = Object.fromEntries(
        logged.data.metrics.map((m: { key: string; value: number }) => [m.key, m.value]),
      );
      assert.deepEqual(metrics, { ...bundle.metrics, holdout_check: 1 });
    });

    await t.step("pyfunc.load_model(...).predict equals the predictor bit for bit", async () => {
      const answer = await python([CLIENT, "predict", uri, rowsFile], env) as {
        predictions: number[];
        inputs: { name: string; required: boolean }[];
        outputs: string[];
        modelId: string;
      };
      assert.equal(answer.modelId, model.modelId);
      assert.deepEqual(
        answer.inputs,
        bundle.features.map((f) => ({
          name: f.name,
          required: !f.nullable,
        })),
      );
      assert.deepEqual(answer.outputs, [bundle.target]);
      // Exact equality, stronger than the 1e-12 the doubles could drift by elsewhere.
      assert.deepEqual(answer.predictions, [...expected]);
    });

    await t.step("without a Deno binary, loading says what to install", async () => {
      const bare = {
        MLFLOW_TRACKING_URI: server.uri,
        PATH: `${resolve(".venv/bin")}:/usr/bin:/bin`,
      };
      const which = await new Deno.Command("sh", { args: ["-c", "command -v deno"], env: bare })
        .output();
      assert.ok(!which.success, "the bare PATH must hold no deno for this check");
      const output = await new Deno.Command(PYTHON, {
        args: [CLIENT, "predict", uri, rowsFile],
        env: bare,
        clearEnv: true,
      }).output();
      assert.ok(!output.success);
      assert.match(
        new TextDecoder().decode(output.stderr),
        /runs on Deno: install Deno 2\.9\.6 .*or set CRIME_DENO to the binary/,
      );
      const wrong = await new Deno.Command(PYTHON, {
        args: [CLIENT, "predict", uri, rowsFile],
        env: { ...bare, CRIME_DENO: "/nonexistent/deno" },
        clearEnv: true,
      }).output();
      assert.match(
        new TextDecoder().decode(wrong.stderr),
        /CRIME_DENO=\/nonexistent\/deno is not an executable file/,
      );
    });

    await t.step(
      "the HTTP server serves the logged model's bundle with the same answers",
      async () => {
        const source = mlflowSource({
          client: server.client,
          locator: { kind: "registry", name: NAME, alias: "champion" },
          cache: new BundleCache(join(scratch, "cache")),
        });
        const { app } = await harness(undefined, { source });
        const info = await (await app.request("/model/info")).json();
        assert.equal(info.checksum, bundle.checksum);
        assert.match(info.location, new RegExp(`/models/${model.modelId}/artifacts/artifacts/`));
        const rowsJson = Array.from({ length: rows }, (_, r) => rowObject(x, r));
        const response = await postJson(app, "/predict/batch", { rows: rowsJson });
        assert.equal(response.status, 200);
        assert.deepEqual((await response.json()).predictions, [...expected]);
      },
    );

    await t.step(
      "mlflow models serve answers /invocations alike in every input format",
      async () => {
        const port = freePort();
        // Its own process group, so that stopping it stops its uvicorn workers too.
        const serve = new Deno.Command("setsid", {
          args: [
            ".venv/bin/mlflow",
            "models",
            "serve",
            "-m",
            uri,
            "--env-manager",
            "local",
            "--host",
            "127.0.0.1",
            "-p",
            String(port),
          ],
          env,
          stdout: "null",
          stderr: "piped",
        }).spawn();
        const stderr = new Response(serve.stderr).text();
        let stopping: Promise<string> | undefined;
        const stopped = () =>
          stopping ??= (async () => {
            try {
              Deno.kill(-serve.pid, "SIGTERM");
            } catch {
              // already gone
            }
            await serve.status;
            return await stderr;
          })();
        try {
          await waitFor(`http://127.0.0.1:${port}/ping`, serve, 90_000);
          const invoke = async (body: unknown) => {
            const response = await fetch(`http://127.0.0.1:${port}/invocations`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            });
            return { status: response.status, body: await response.json() };
          };
          const records = Array.from({ length: rows }, (_, r) => rowObject(x, r));
          for (
            const body of [
              { dataframe_split: { columns: features, data } },
              { dataframe_records: records },
              { instances: records },
            ]
          ) {
            const answer = await invoke(body);
            assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 500));
            assert.deepEqual(answer.body.predictions, [...expected], Object.keys(body)[0]);
          }
          const short = await invoke({
            dataframe_records: [Object.fromEntries(features.slice(1).map((f) => [f, 0.5]))],
          });
          assert.equal(short.status, 400);
          assert.match(
            short.body.message,
            new RegExp(`lacks 1 of the model's 122 features: ${features[0]}`),
          );
          const required = bundle.features.find((f) => !f.nullable)!.name;
          const gap = await invoke({
            dataframe_records: [records[0], { ...records[1], [required]: null }],
          });
          assert.equal(gap.status, 400);
          assert.match(
            gap.body.message,
            new RegExp(`row 1: feature "${required}" is missing, but it is not nullable`),
          );
        } catch (error) {
          const printed = (await stopped()).slice(-3000);
          throw new Error(`${(error as Error).message}\nmlflow models serve printed:\n${printed}`);
        } finally {
          await stopped();
        }
      },
    );

    await t.step("mlflow.models.evaluate logs the RMSE the project computes", async () => {
      const labelled = join(scratch, "labelled.json");
      await Deno.writeTextFile(
        labelled,
        JSON.stringify({
          columns: [...features, bundle.target],
          data: data.map((row, r) => [...row, y[r]]),
        }),
      );
      const answer = await python(
        [CLIENT, "evaluate", uri, labelled, bundle.target, "pyfunc-evaluate"],
        env,
      ) as { returned: number; logged: number };
      const own = rmse(y, expected);
      assert.ok(Math.abs(answer.logged - own) < 1e-12, `logged ${answer.logged}, own ${own}`);
      assert.ok(Math.abs(answer.returned - own) < 1e-12);
    });
  } finally {
    await Deno.remove(scratch, { recursive: true });
    await server.stop();
  }
});
