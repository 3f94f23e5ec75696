/**
 * The prediction server image, built and run with podman: the deno-run target on the
 * local base images, with the test bundle baked in; the binary target too where Deno's
 * compile runtime can be downloaded (GitHub Actions builds and smoke-tests it with
 * Docker, see .github/workflows/container.yml).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checksumVersion } from "../../serve/model/model_source.ts";
import { ensureLocalBases } from "../../tools/container/base_images.ts";
import { buildServeImage, gitLabels } from "../../tools/container/images.ts";
import { imageSize, podman } from "../../tools/container/podman.ts";
import { checkPredictions, waitUntilReady } from "../../tools/serve/smoke_test.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import {
  BAKED_BUNDLE,
  containerSkipReason,
  startContainer,
  stateDirectory,
  type TestContainer,
  waitFor,
  withImageLock,
  writeBakedBundle,
} from "../support/containers.ts";
import { randomRow, testBundle, writeBundle } from "../support/test_bundle.ts";

const IMAGE = "localhost/crime-serve:test";
// The image listens on 0.0.0.0, where the server requires an admin token.
const ADMIN_ENV = { SERVE_ADMIN_TOKEN: "image-test-admin-token-0123456789" };
const skip = await containerSkipReason();
if (skip) console.error(`container image tests skipped: ${skip}`);
const baked = await testBundle();

// Built once for the module, under the lock the stack test shares; timings are printed.
if (!skip) {
  await withImageLock(async () => {
    for (const base of await ensureLocalBases(["deno", "distroless"])) {
      console.error(
        `base image ${base.image}: ${
          base.cached ? "cached" : `built in ${base.seconds.toFixed(1)} s`
        }`,
      );
    }
    await writeBakedBundle();
    const first = await buildServeImage({ bundle: BAKED_BUNDLE, tag: IMAGE });
    const again = await buildServeImage({ bundle: BAKED_BUNDLE, tag: IMAGE });
    const size = await imageSize(IMAGE);
    console.error(
      `image ${IMAGE}: build ${first.seconds.toFixed(1)} s, rebuild (cached) ` +
        `${again.seconds.toFixed(1)} s, size ${(size / 2 ** 20).toFixed(0)} MiB`,
    );
  });
}

function containerTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: `${name}${skip ? ` (skipped: ${skip})` : ""}`,
    ignore: skip !== undefined,
    // podman runs as child processes that outlive single awaits; every container is removed.
    sanitizeResources: false,
    sanitizeOps: false,
    fn,
  });
}

/** Runs `body` with a container of the test image that is removed afterwards. */
async function withContainer(
  options: Parameters<typeof startContainer>[1],
  body: (container: TestContainer) => Promise<void>,
): Promise<void> {
  const container = await startContainer(IMAGE, options);
  try {
    await body(container);
  } catch (error) {
    throw new Error(`${(error as Error).message}\ncontainer log:\n${await container.logs()}`);
  } finally {
    await container.remove();
  }
}

containerTest(
  "the image runs as non-root, read-only, with no capabilities and no shell",
  async () => {
    const state = await stateDirectory();
    try {
      const started = performance.now();
      await withContainer({
        publish: 8080,
        volumes: [`${state}:/app/state`],
        env: ADMIN_ENV,
      }, async (c) => {
        await waitUntilReady(c.url!, 30_000);
        console.error(`  podman run to ready: ${(performance.now() - started).toFixed(0)} ms`);
        const { stdout } = await podman([
          "inspect",
          "--format",
          "{{.State.Pid}} {{.Config.User}} {{.HostConfig.ReadonlyRootfs}}",
          c.name,
        ]);
        const [pid, user, readOnly] = stdout.trim().split(" ");
        assert.equal(user, "65532:65532");
        assert.equal(readOnly, "true");
        const status = await Deno.readTextFile(`/proc/${pid}/status`);
        assert.match(status, /^Uid:\s+65532\s+65532\s+65532\s+65532$/m);
        assert.match(status, /^CapEff:\s+0+$/m);
        const shell = await podman(["exec", c.name, "/bin/sh", "-c", "true"], { check: false });
        assert.notEqual(shell.code, 0, "the image has a shell");
        assert.match(
          shell.stderr,
          /executable file `\/bin\/sh` not found|no such file or directory/i,
        );
        const write = await podman([
          "exec",
          c.name,
          "/app/bin/deno",
          "eval",
          "Deno.writeTextFileSync('/app/x', '')",
        ], {
          check: false,
        });
        assert.notEqual(write.code, 0, "the root filesystem is writable");
        assert.match(write.stderr, /Read-only file system/);
      });
    } finally {
      await Deno.remove(state, { recursive: true });
    }
  },
);

containerTest("the image carries OCI labels, one exposed port and a health check", async () => {
  const { stdout } = await podman(["image", "inspect", "--format", "{{json .}}", IMAGE]);
  const [image] = [JSON.parse(stdout)].flat();
  const labels = image.Labels ?? image.Config?.Labels;
  const { revision } = await gitLabels();
  assert.equal(labels["org.opencontainers.image.revision"], revision);
  assert.ok(labels["org.opencontainers.image.version"]);
  assert.equal(labels["org.opencontainers.image.title"], "crime-serve");
  assert.deepEqual(Object.keys(image.Config.ExposedPorts), ["8080/tcp"]);
  // podman reports the docker-format health check beside the config, docker inside it.
  const check = image.Healthcheck?.Test ?? image.Config.Healthcheck?.Test;
  assert.equal(check.at(-1), "--healthcheck");
});

containerTest("the health check passes once the baked bundle is served", async () => {
  await withContainer({ publish: 8080, env: ADMIN_ENV }, async (c) => {
    await waitUntilReady(c.url!, 30_000);
    assert.equal(await c.healthy(), true);
    const info = await (await fetch(`${c.url}/model/info`)).json();
    assert.equal(info.location, "/app/model/model_bundle.json");
    assert.equal(info.version, checksumVersion(baked));
  });
});

containerTest(
  "/ready, /predict, /predict/batch and bad requests answer as the host server does",
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "crime-host-" });
    const bundlePath = join(dir, "bundle.json");
    await writeBundle(bundlePath, baked);
    const host = await spawnServer([
      ...sourceCommand(),
      ...["--port", "0", "--model", bundlePath, "--prediction-log", "off"],
    ]);
    try {
      await withContainer({ publish: 8080, env: ADMIN_ENV }, async (c) => {
        await waitUntilReady(c.url!, 30_000);
        await waitUntilReady(host.url, 30_000);
        const row = randomRow(baked, 7, 3);
        const get = { headers: { "x-request-id": "same-id" } };
        const requests: [string, RequestInit][] = [
          ["/ready", get],
          ["/predict", json({ ...row })],
          ["/predict/batch", json({ rows: [row, randomRow(baked, 8), randomRow(baked, 9, 2)] })],
          ["/predict", json({ ...row, [baked.features[0].name]: "high" })],
          ["/predict/batch", json({ rows: [] })],
          ["/predict", { ...json({}), body: "{not json" }],
          ["/nowhere", get],
        ];
        for (const [path, init] of requests) {
          const [fromHost, fromContainer] = await Promise.all(
            [host.url, c.url!].map(async (base) => {
              const response = await fetch(`${base}${path}`, init);
              return { status: response.status, body: await response.json() };
            }),
          );
          assert.deepEqual(fromContainer, fromHost, `${init.method ?? "GET"} ${path}`);
        }
      });
    } finally {
      await host.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

function json(body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": "same-id" },
    body: JSON.stringify(body),
  };
}

containerTest("a mounted bundle replaces the baked one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "crime-mount-" });
  const other = await testBundle({ seed: 5, shift: 0.05 });
  await writeBundle(join(dir, "other.json"), other);
  await Deno.chmod(dir, 0o755);
  try {
    await withContainer({
      publish: 8080,
      volumes: [`${dir}:/models:ro`],
      env: { ...ADMIN_ENV, SERVE_MODEL: "/models/other.json" },
    }, async (c) => {
      await waitUntilReady(c.url!, 30_000);
      const info = await (await fetch(`${c.url}/model/info`, { signal: AbortSignal.timeout(5000) }))
        .json();
      assert.equal(info.location, "/models/other.json");
      assert.equal(info.version, checksumVersion(other));
      assert.notEqual(info.version, checksumVersion(baked));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

containerTest("SIGTERM stops the container within the shutdown timeout, log flushed", async () => {
  const state = await stateDirectory();
  try {
    await withContainer({
      publish: 8080,
      volumes: [`${state}:/app/state`],
      env: { ...ADMIN_ENV, SERVE_SHUTDOWN_TIMEOUT: "5" },
    }, async (c) => {
      await waitUntilReady(c.url!, 30_000);
      const ids = Array.from({ length: 25 }, (_, i) => `sigterm-${i}`);
      for (const id of ids) {
        const response = await fetch(`${c.url}/predict`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-request-id": id },
          body: JSON.stringify(randomRow(baked, ids.indexOf(id))),
        });
        assert.equal(response.status, 200, await response.text());
      }
      const started = performance.now();
      await podman(["stop", "-t", "20", c.name]);
      const seconds = (performance.now() - started) / 1000;
      console.error(`  podman stop: ${seconds.toFixed(2)} s`);
      assert.ok(seconds < 5, `stopping took ${seconds} s, more than the shutdown timeout`);
      const { stdout } = await podman(["inspect", "--format", "{{.State.ExitCode}}", c.name]);
      assert.equal(stdout.trim(), "0");
      const lines = (await Deno.readTextFile(join(state, "predictions.jsonl"))).trimEnd()
        .split("\n");
      const logged = lines.map((line) => JSON.parse(line).requestId);
      assert.deepEqual(logged.sort(), [...ids].sort());
      assert.match(await c.logs(), /"msg":"stopped","droppedPredictionLogRows":0/);
    });
  } finally {
    await Deno.remove(state, { recursive: true });
  }
});

/** Runs the image once, bounded: were the settings accepted, the server would run until killed. */
function runOnce(env: Record<string, string>) {
  return podman([
    ...["run", "--rm", "--timeout", "60", "--read-only", "--cap-drop=all"],
    ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    IMAGE,
  ], { check: false });
}

containerTest("a malformed setting stops the container with the setting named", async () => {
  const run = await runOnce({ ...ADMIN_ENV, SERVE_PORT: "eighty" });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /invalid configuration:\n--port \(SERVE_PORT\): /);
  assert.doesNotMatch(run.stderr, /\bat .*\.ts:\d+/);
});

containerTest("the container does not start without an admin token", async () => {
  // It listens on 0.0.0.0, beyond loopback, where POST /admin/reload must be protected.
  const run = await runOnce({});
  assert.equal(run.code, 2);
  assert.match(run.stderr, /SERVE_ADMIN_TOKEN/);
});

containerTest("a missing bundle file stops the container at once, the setting named", async () => {
  const run = await runOnce({ ...ADMIN_ENV, SERVE_MODEL: "/models/missing.json" });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--model \(SERVE_MODEL\): \/models\/missing\.json: no such bundle file/);
});

containerTest(
  "a model that cannot be loaded fails the health check with the setting named",
  async () => {
    const cases: { env: Record<string, string>; says: RegExp }[] = [
      {
        env: {
          ...ADMIN_ENV,
          SERVE_MODEL: "models:/communities-crime@champion",
          // Nothing listens there inside the container.
          MLFLOW_TRACKING_URI: "http://127.0.0.1:9",
        },
        says: /the registry is unreachable .*check MLFLOW_TRACKING_URI \(--mlflow-uri\)/,
      },
    ];
    for (const { env, says } of cases) {
      await withContainer({ publish: 8080, env }, async (c) => {
        await waitFor("a failed load in the log", async () => {
          return says.test(await c.logs()) ? true : undefined;
        }, 30_000);
        assert.equal(await c.healthy(), false, `healthy with ${JSON.stringify(env)}`);
        const health = await fetch(`${c.url}/health`);
        assert.equal(health.status, 200, "the process is alive and says why it is not ready");
        await health.body?.cancel();
        const readiness = await (await fetch(`${c.url}/ready`)).json();
        assert.match(readiness.reason, says);
      });
    }
  },
);

// The default target compiles the server, which downloads Deno's standalone runtime: where
// that works the binary image is built and smoke-tested here too; where it cannot (no
// route to dl.deno.land), the build must fail for that reason alone, after every earlier
// step (the server's lock, the npm cache, the type check of the compile) has passed.
const BINARY_IMAGE = "localhost/crime-serve:binary-test";
const binary = skip ? undefined : await withImageLock(async () => {
  try {
    await buildServeImage({ target: "binary", bundle: BAKED_BUNDLE, tag: BINARY_IMAGE });
    return { built: true as const };
  } catch (error) {
    const message = (error as Error).message;
    if (/denort .* could not be downloaded/.test(message)) {
      return { built: false as const, reason: "Deno's compile runtime cannot be downloaded here" };
    }
    throw error;
  }
});
const binarySkip = skip ?? (binary?.built ? undefined : binary?.reason);
if (!skip && binarySkip) console.error(`binary image tests skipped: ${binarySkip}`);

Deno.test({
  name: `the binary target's image serves its embedded bundle${
    binarySkip ? ` (skipped: ${binarySkip})` : ""
  }`,
  ignore: binarySkip !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const container = await startContainer(BINARY_IMAGE, { publish: 8080, env: ADMIN_ENV });
    try {
      await waitUntilReady(container.url!, 30_000);
      await checkPredictions(container.url!);
      assert.equal(await container.healthy(), true);
      const info = await (await fetch(`${container.url}/model/info`)).json();
      assert.equal(info.origin, "embedded");
      assert.equal(info.version, checksumVersion(baked));
    } finally {
      await container.remove();
    }
  },
});
