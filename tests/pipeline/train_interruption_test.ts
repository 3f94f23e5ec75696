/**
 * What a failed or interrupted `train` stage leaves, with the real stage in a scratch
 * copy of the project and a real MLflow server: a SIGTERM ends its MLflow run as KILLED
 * before the process exits; a run of this pipeline left RUNNING by a process that no
 * longer exists is marked FAILED when the next stage starts (and no other run is); and
 * with MLflow down, `dvc repro` fails but the last good bundle stays where serving finds
 * it.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import type { MlflowClient, Run } from "../../pipeline/mlflow/client.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { freePort, startTestServer } from "../support/mlflow_server.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

const root = resolve(".");
const dvc = join(root, ".venv/bin/dvc");
const PATH = `${join(root, ".tools/deno/node_modules/.bin")}:${Deno.env.get("PATH")}`;
const EXPERIMENT = "communities-crime"; // train.experiment in config/params.yaml
const trainCmd = (parse(await Deno.readTextFile("dvc.yaml")) as {
  stages: Record<string, { cmd: string }>;
}).stages.train.cmd;

const PROCESSED = ["clean.parquet", "preprocess_plan.json", "features.json", "split.json"];

async function copy(from: string, to: string): Promise<void> {
  const out = await new Deno.Command("cp", { args: ["-r", from, to] }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

/** The project's code, config and raw data, in a new temporary directory. */
async function projectCopy(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  await Deno.mkdir(join(dir, "data"));
  for (const path of ["pipeline", "config", "data/raw"]) await copy(path, join(dir, path));
  for (const file of ["deno.json", "deno.lock", ".deno-version", "dvc.yaml"]) {
    await Deno.copyFile(file, join(dir, file));
  }
  await Deno.symlink(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

let processed: Promise<string> | undefined;

/**
 * A `data/processed` folder with what `train` reads: the project's own, or (in a fresh
 * checkout, where DVC outputs are absent) one made once by the data stages.
 */
function processedData(): Promise<string> {
  processed ??= (async () => {
    const own = join(root, "data/processed");
    const present = await Promise.all(
      PROCESSED.map((f) => Deno.stat(join(own, f)).then(() => true, () => false)),
    );
    if (present.every(Boolean)) return own;
    const dir = await projectCopy("train-interrupt-data-");
    for (const args of [["init", "--no-scm", "-q"], ["repro", "features", "split"]]) {
      const out = await new Deno.Command(dvc, { args, cwd: dir, env: { PATH } }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
    }
    return join(dir, "data/processed");
  })();
  return processed;
}

/** The project's code, config and data (raw and processed) with a good bundle in models/. */
async function scratchProject(): Promise<{ dir: string; bundle: string }> {
  const data = await processedData();
  const dir = await projectCopy("train-interrupt-");
  await copy(data, join(dir, "data/processed"));
  const bundle = join(dir, "models/model_bundle.json");
  await writeBundle(bundle, await testBundle({ seed: 5 }));
  return { dir, bundle };
}

async function runsOf(client: MlflowClient, experimentId: string): Promise<Run[]> {
  return await client.tracking.searchRuns({ experimentIds: [experimentId] });
}

Deno.test({
  name: "SIGTERM ends the train stage's run as KILLED; abandoned runs are marked FAILED",
  async fn() {
    const server = await startTestServer();
    const { dir, bundle } = await scratchProject();
    try {
      const { client } = server;
      const experimentId = (await client.tracking.getOrCreateExperiment(EXPERIMENT))
        .experiment_id;
      const host = Deno.hostname();
      const exited = new Deno.Command("true").spawn();
      const deadPid = exited.pid;
      await exited.status;
      const runWith = async (name: string, tags: Record<string, string>) =>
        (await client.tracking.createRun({
          experimentId,
          runName: name,
          tags: { "pipeline.stage": "train", ...tags },
        })).info.run_id;
      const abandoned = await runWith("abandoned", {
        "pipeline.host": host,
        "pipeline.pid": `${deadPid}`,
      });
      const reusedPid = await runWith("pid reused since", {
        "pipeline.host": host,
        "pipeline.pid": `${Deno.pid}`,
        "pipeline.process_start": "1",
      });
      const live = await runWith("live", { "pipeline.host": host, "pipeline.pid": `${Deno.pid}` });
      const elsewhere = await runWith("other host", {
        "pipeline.host": "some-other-host",
        "pipeline.pid": `${deadPid}`,
      });
      const untagged = await runWith("untagged", {});
      const before = await Deno.readTextFile(bundle);

      const stage = new Deno.Command("sh", {
        args: ["-c", `exec ${trainCmd}`],
        cwd: dir,
        env: { PATH, MLFLOW_TRACKING_URI: server.uri },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let stderr = "";
      const reading = stage.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
        new WritableStream({ write: (chunk) => void (stderr += chunk) }),
      );
      stage.stdout.cancel().catch(() => {});
      let ended = false;
      stage.status.then(() => ended = true);
      for (let i = 0; i < 600 && !ended && !stderr.includes("cross-validating"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(stderr, /cross-validating/, stderr);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const training = (await runsOf(client, experimentId)).find((r) =>
        r.info.run_name.startsWith("train ") && r.info.status === "RUNNING"
      );
      assert.ok(training, "the stage's run is RUNNING while it trains");
      stage.kill("SIGTERM");
      const status = await stage.status;
      await reading;
      assert.equal(status.success, false);
      assert.equal(status.code, 143, stderr);

      const runs = new Map((await runsOf(client, experimentId)).map((r) => [r.info.run_id, r]));
      const statusOf = (id: string) => runs.get(id)?.info.status;
      assert.equal(statusOf(training.info.run_id), "KILLED", stderr);
      assert.equal(runs.get(training.info.run_id)?.data.tags["pipeline.pid"], `${stage.pid}`);
      assert.equal(runs.get(training.info.run_id)?.data.tags["pipeline.host"], host);
      const leftRunning = [...runs.values()].filter((r) =>
        r.info.status === "RUNNING" && r.data.tags["pipeline.pid"] === `${stage.pid}`
      );
      assert.deepEqual(leftRunning.map((r) => r.info.run_name), []);

      assert.equal(statusOf(abandoned), "FAILED");
      assert.match(runs.get(abandoned)!.data.tags["pipeline.end_reason"], /no longer runs/);
      assert.equal(statusOf(reusedPid), "FAILED", "a pid now used by another process");
      assert.equal(statusOf(live), "RUNNING", "a live process's run is left alone");
      assert.equal(statusOf(elsewhere), "RUNNING", "a run of another host is left alone");
      assert.equal(statusOf(untagged), "RUNNING", "a run without an owner is left alone");
      assert.equal(await Deno.readTextFile(bundle), before, "the last good bundle is kept");
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "with MLflow down, dvc repro train fails and the last good bundle can still be served",
  async fn() {
    const { dir, bundle } = await scratchProject();
    try {
      const init = await new Deno.Command(dvc, { args: ["init", "--no-scm", "-q"], cwd: dir })
        .output();
      assert.ok(init.success, new TextDecoder().decode(init.stderr));
      const before = await Deno.readTextFile(bundle);
      const repro = await new Deno.Command(dvc, {
        args: ["repro", "--single-item", "train"],
        cwd: dir,
        env: { PATH, MLFLOW_TRACKING_URI: `http://127.0.0.1:${freePort()}` },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(repro.stdout) + new TextDecoder().decode(repro.stderr);
      assert.equal(repro.success, false, text);
      assert.match(text, /MLflow tracking server .* is not reachable/);
      const after = await Deno.readTextFile(bundle).catch(() => "(no file)");
      assert.ok(after === before, `${bundle}: ${after.slice(0, 40)}\n${text}`);

      const served = await spawnServer([
        ...sourceCommand(),
        ...["--port", "0", "--model", bundle, "--prediction-log", "off"],
      ], { cwd: dir });
      try {
        let ready = 0;
        for (let i = 0; i < 100 && ready !== 200; i++) {
          const response = await fetch(`${served.url}/ready`);
          await response.body?.cancel();
          ready = response.status;
          if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(ready, 200, served.logs.join("\n"));
        const info = await (await fetch(`${served.url}/model/info`)).json();
        assert.equal(info.checksum, JSON.parse(before).checksum);
      } finally {
        await served.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "(clean up)",
  async fn() {
    const data = await processed;
    if (data && !data.startsWith(root)) {
      await Deno.remove(resolve(data, "../.."), { recursive: true });
    }
  },
});
