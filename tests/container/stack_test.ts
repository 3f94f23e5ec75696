/**
 * The compose stack, for real: PostgreSQL, MLflow on it, the prediction server and
 * Prometheus under podman-compose (on the local base images, see
 * container/compose.local.yaml). `make pipeline` runs against the stack's MLflow from a
 * copy of this checkout, registers and promotes a version, and the server container loads
 * it from the registry over the compose network. Then the stack goes down and up again,
 * and the database goes away. Every wait is bounded; the stack and its volumes are
 * removed at the end, failed or not.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MlflowClient } from "../../pipeline/mlflow/client.ts";
import { ensureLocalBases } from "../../tools/container/base_images.ts";
import { buildMlflowImage, buildServeImage } from "../../tools/container/images.ts";
import { podman, podmanEnv, withoutSystemdNoise } from "../../tools/container/podman.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { runCommand } from "../../tools/run_command.ts";
import {
  containerSkipReason,
  ROOT,
  statusOf,
  waitFor,
  withImageLock,
} from "../support/containers.ts";
import { freePort } from "../support/mlflow_server.ts";

const COMPOSE = join(ROOT, ".venv", "bin", "podman-compose");
// Where Debian's golang-github-containernetworking-plugin-dnsname (and podman) look.
const DNSNAME = ["/usr/lib/cni/dnsname", "/usr/libexec/cni/dnsname", "/opt/cni/bin/dnsname"];
const exists = (path: string) => Deno.stat(path).then(() => true, () => false);
const skip = await containerSkipReason() ??
  (await exists(COMPOSE) ? undefined : "podman-compose is not in .venv") ??
  ((await Promise.all(DNSNAME.map(exists))).some(Boolean)
    ? undefined
    : "the CNI dnsname plugin is missing (Debian package " +
      "golang-github-containernetworking-plugin-dnsname): services cannot find each other");
if (skip) console.error(`compose stack test skipped: ${skip}`);

const project = `crime-stack-${Deno.pid}`;
const secret = () => crypto.randomUUID().replaceAll("-", "");
// Characters that break a URI unless encoded, and that a careless redaction lets through.
const password = `p@ss/${secret()}?#:%`;
const adminToken = secret();
// Chosen when the test starts, not at load, so that they are still free at `up`.
let urls = { mlflow: "", server: "", prometheus: "" };
let composeEnv: Record<string, string> = {};

function chooseEndpoints(): void {
  const ports = { mlflow: freePort(), server: freePort(), prometheus: freePort() };
  urls = {
    mlflow: `http://127.0.0.1:${ports.mlflow}`,
    server: `http://127.0.0.1:${ports.server}`,
    prometheus: `http://127.0.0.1:${ports.prometheus}`,
  };
  composeEnv = podmanEnv({
    POSTGRES_PASSWORD: password,
    SERVE_ADMIN_TOKEN: adminToken,
    MLFLOW_PUBLISH: `127.0.0.1:${ports.mlflow}`,
    SERVE_PUBLISH: `127.0.0.1:${ports.server}`,
    PROMETHEUS_PUBLISH: `127.0.0.1:${ports.prometheus}`,
    SERVE_RELOAD_INTERVAL: "2",
  });
}

async function compose(args: readonly string[], timeoutMs = 180_000): Promise<string> {
  const { code, stdout, stderr, timedOut } = await runCommand(COMPOSE, [
    ...["-p", project, "-f", "compose.yaml", "-f", "container/compose.local.yaml"],
    ...args,
  ], { cwd: ROOT, env: composeEnv, timeoutMs });
  const text = withoutSystemdNoise(stdout + stderr);
  if (code !== 0 || timedOut) {
    throw new Error(`podman-compose ${args.join(" ")} exited with ${code}:\n${text}`);
  }
  return text;
}

const container = (service: string) => `${project}_${service}_1`;
const waitingLine =
  /waiting for the backend store postgresql:\/\/mlflow:\*\*\*@postgres:5432\/mlflow/;

async function logs(service: string): Promise<string> {
  const { stdout, stderr } = await podman(["logs", container(service)], { check: false });
  return stdout + stderr;
}

/** The API document's example row, as the stack's server publishes it. */
async function exampleRow(): Promise<unknown> {
  const spec =
    await (await fetch(`${urls.server}/openapi.json`, { signal: AbortSignal.timeout(5000) }))
      .json();
  return spec.paths["/predict"].post.requestBody.content["application/json"].examples.reference
    .value;
}

function predict(base: string, row: unknown): Promise<Response> {
  return fetch(`${base}/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(row),
    signal: AbortSignal.timeout(5000),
  });
}

const servedVersion = async () => {
  const response = await fetch(`${urls.server}/ready`, { signal: AbortSignal.timeout(5000) });
  const body = await response.json();
  return response.status === 200 ? body.modelVersion as string : undefined;
};

/** A copy of this checkout (tracked and new files, as a git repository, which DVC needs), sharing the installed tool chain. */
async function checkoutCopy(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "crime-stack-checkout-" });
  const run = async (command: string, args: string[], cwd: string) => {
    const out = await runCommand(command, args, { cwd, timeoutMs: 120_000 });
    if (out.code !== 0) throw new Error(`${command} ${args.join(" ")}: ${out.stderr}`);
    return out.stdout;
  };
  const files = (await run("git", ["ls-files", "-co", "--exclude-standard", "-z"], ROOT))
    .split("\0").filter(Boolean);
  for (const file of files) {
    const stat = await Deno.lstat(join(ROOT, file)).catch(() => undefined);
    if (!stat?.isFile) continue; // deleted in the work tree
    await Deno.mkdir(join(dir, file, ".."), { recursive: true });
    await Deno.copyFile(join(ROOT, file), join(dir, file));
    // Same times as the original, so make sees the installed tools as up to date.
    await Deno.utime(join(dir, file), stat.atime ?? new Date(), stat.mtime ?? new Date());
  }
  for (const tool of [".tools", ".venv", "node_modules", ".jupyter"]) {
    await Deno.symlink(join(ROOT, tool), join(dir, tool)).catch(() => {});
  }
  await run("git", ["init", "-q"], dir);
  await run("git", ["add", "-A"], dir);
  await run("git", [
    "-c",
    "user.name=stack test",
    "-c",
    "user.email=test@localhost",
    "commit",
    "-qm",
    "checkout",
  ], dir);
  return dir;
}

Deno.test({
  name: `the compose stack trains, registers, serves and survives a restart${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await withImageLock(async () => {
      for (const base of await ensureLocalBases()) {
        console.error(
          `  ${base.image}: ${base.cached ? "cached" : `built in ${base.seconds.toFixed(1)} s`}`,
        );
      }
      for (const build of [await buildMlflowImage(), await buildServeImage()]) {
        console.error(`  ${build.image}: ${build.seconds.toFixed(1)} s`);
      }
    });
    let checkout: string | undefined;
    let failure: Error | undefined;
    let leftovers = "";
    try {
      chooseEndpoints();
      let started = performance.now();
      await compose(["up", "-d"]);
      await t.step(
        "every service comes up healthy; the server says why it has no model",
        async () => {
          await waitFor(
            "MLflow /health",
            async () => await statusOf(`${urls.mlflow}/health`) === 200 || undefined,
            180_000,
            500,
          );
          await waitFor(
            "server /health",
            async () => await statusOf(`${urls.server}/health`) === 200 || undefined,
            60_000,
          );
          await waitFor(
            "Prometheus ready",
            async () => await statusOf(`${urls.prometheus}/-/ready`) === 200 || undefined,
            60_000,
          );
          console.error(
            `  up to healthy MLflow: ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
          for (const service of ["postgres", "mlflow", "prometheus"]) {
            const check = await podman(["healthcheck", "run", container(service)], {
              check: false,
            });
            assert.equal(check.code, 0, `${service}: ${check.stdout}${check.stderr}`);
          }
          // Once MLflow answers, the server's next retry (within SERVE_RELOAD_INTERVAL) learns
          // that nothing is registered yet, and says so.
          await waitFor("the server's reason", async () => {
            const ready = await fetch(`${urls.server}/ready`, {
              signal: AbortSignal.timeout(5000),
            });
            const { reason } = await ready.json();
            assert.equal(ready.status, 503);
            return /no such model or alias in the registry/.test(reason) ? true : undefined;
          }, 30_000);
          const check = await podman(["healthcheck", "run", container("server")], { check: false });
          assert.notEqual(check.code, 0, "the server is healthy without a model");
        },
      );

      checkout = await checkoutCopy();
      let version = "";
      await t.step(
        "make pipeline against the stack's MLflow registers and promotes a version",
        async () => {
          const pipelineStarted = performance.now();
          const { code, stdout, stderr } = await runCommand("make", ["pipeline"], {
            cwd: checkout,
            env: { MLFLOW_TRACKING_URI: urls.mlflow },
            timeoutMs: 20 * 60_000,
          });
          const output = stdout + stderr;
          assert.equal(code, 0, output.split("\n").slice(-40).join("\n"));
          console.error(
            `  make pipeline: ${((performance.now() - pipelineStarted) / 1000).toFixed(0)} s`,
          );
          version =
            JSON.parse(await Deno.readTextFile(join(checkout!, "models/registered_version.json")))
              .version;
          const client = new MlflowClient(urls.mlflow, { credentials: null });
          const model = await client.registry.getRegisteredModel("communities-crime");
          assert.equal(model?.aliases.champion, version, output.split("\n").slice(-15).join("\n"));
        },
      );

      await t.step(
        "the server container loads the champion from the registry and predicts",
        async () => {
          assert.equal(await waitFor("the champion served", servedVersion, 60_000, 500), version);
          assert.equal(
            (await podman(["healthcheck", "run", container("server")], { check: false })).code,
            0,
          );
          const info =
            await (await fetch(`${urls.server}/model/info`, { signal: AbortSignal.timeout(5000) }))
              .json();
          assert.equal(info.origin, "mlflow");
          assert.equal(info.alias, "champion");
          // The same bundle served from source on the host gives the same answers.
          const bundlePath = join(checkout!, "models/model_bundle.json");
          const host = await spawnServer([
            ...sourceCommand(),
            "--port",
            "0",
            "--model",
            bundlePath,
            "--prediction-log",
            "off",
          ]);
          try {
            await waitFor(
              "host server ready",
              async () => await statusOf(`${host.url}/ready`) === 200 || undefined,
              30_000,
            );
            const row = await exampleRow();
            const [fromStack, fromHost] = await Promise.all(
              [urls.server, host.url].map(async (base) => await (await predict(base, row)).json()),
            );
            assert.equal(fromStack.modelVersion, version);
            assert.equal(fromStack.prediction, fromHost.prediction);
          } finally {
            await host.stop();
          }
        },
      );

      await t.step("Prometheus scrapes the server", async () => {
        await waitFor(
          "up{job=crime-serve} == 1",
          async () => {
            const query = encodeURIComponent('up{job="crime-serve"}');
            const body = await (await fetch(`${urls.prometheus}/api/v1/query?query=${query}`, {
              signal: AbortSignal.timeout(5000),
            }))
              .json();
            return body.data.result[0]?.value[1] === "1" ? true : undefined;
          },
          60_000,
          1000,
        );
      });

      await t.step(
        "down and up again: the same version is served and the runs are still there",
        async () => {
          const trainRun = JSON.parse(
            await Deno.readTextFile(join(checkout!, "models/train_run.json")),
          );
          await compose(["down"]);
          started = performance.now();
          await compose(["up", "-d"]);
          const first = await waitFor(
            "the first prediction after up",
            async () => {
              const response = await predict(urls.server, await exampleRow());
              return response.status === 200 ? await response.json() : undefined;
            },
            180_000,
            250,
          );
          console.error(
            `  up to first prediction: ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
          assert.equal(first.modelVersion, version);
          await waitFor(
            "MLflow /health",
            async () => await statusOf(`${urls.mlflow}/health`) === 200 || undefined,
            180_000,
            500,
          );
          const client = new MlflowClient(urls.mlflow, { credentials: null });
          const run = await client.tracking.getRun(trainRun.runId);
          assert.equal(run.info.run_id, trainRun.runId);
          assert.equal(run.info.status, "FINISHED");
        },
      );

      await t.step(
        "without the database, MLflow waits and says so; the server keeps its cached model",
        async () => {
          // podman-compose makes MLflow depend on the PostgreSQL container at podman's level,
          // so the database is taken off the network rather than stopped.
          const network = `${project}_default`;
          await podman(["network", "disconnect", network, container("postgres")]);
          await podman(["restart", "-t", "10", container("mlflow"), container("server")]);
          const served = await waitFor("the cached model served", servedVersion, 60_000, 250);
          assert.equal(served, version);
          const info =
            await (await fetch(`${urls.server}/model/info`, { signal: AbortSignal.timeout(5000) }))
              .json();
          assert.equal(info.origin, "cache");
          await waitFor(
            "MLflow waiting for PostgreSQL",
            async () => waitingLine.test(await logs("mlflow")) || undefined,
            60_000,
            500,
          );
          await podman([
            "network",
            "connect",
            "--alias",
            "postgres",
            network,
            container("postgres"),
          ]);
          await waitFor(
            "MLflow /health after PostgreSQL is back",
            async () => await statusOf(`${urls.mlflow}/health`) === 200 || undefined,
            180_000,
            500,
          );
        },
      );

      await t.step("no container log holds the database password or the admin token", async () => {
        for (const service of ["postgres", "mlflow", "server", "prometheus"]) {
          const text = await logs(service);
          assert.ok(!text.includes(password), `${service} logs the database password`);
          assert.ok(
            !text.includes(adminToken),
            `${service} logs the admin token`,
          );
        }
      });
    } catch (error) {
      const tails = await Promise.all(
        ["mlflow", "server"].map(async (s) =>
          `--- ${s}:\n${(await logs(s)).split("\n").slice(-20).join("\n")}`
        ),
      );
      failure = new Error(`${(error as Error).message}\n${tails.join("\n")}`);
      throw failure;
    } finally {
      await compose(["down", "-v"]).catch((error) => console.error(`  down -v: ${error.message}`));
      if (checkout) await Deno.remove(checkout, { recursive: true });
      const filter = ["--filter", `name=${project}`];
      const left = await podman(["ps", "-a", ...filter, "--format", "{{.Names}}"], {
        check: false,
      });
      const volumes = await podman(["volume", "ls", ...filter, "--format", "{{.Name}}"], {
        check: false,
      });
      leftovers = `${left.stdout}${volumes.stdout}`.trim();
      // Reported here, never in place of the failure that came first.
      if (leftovers && failure) console.error(`  the stack left behind: ${leftovers}`);
    }
    assert.equal(leftovers, "", "the stack left containers or volumes");
  },
});
