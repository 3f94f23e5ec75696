/**
 * The deployment rehearsal with podman: two releases (images of the deno-run target, each
 * with its own test bundle baked in) replace one another on one port, a release serving
 * the wrong version is rolled back to the previous one, and nothing is left running.
 * The images are built under the image lock the container tests share, and reused when
 * they were built from the same commit already.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { podman } from "../../tools/container/podman.ts";
import { containerEngine } from "../../tools/deploy/container_engine.ts";
import { DeployEnvironment } from "../../tools/deploy/environment.ts";
import { buildReleases, rehearse, WRONG_VERSION } from "../../tools/deploy/rehearse.ts";
import { freePort } from "../../tools/free_port.ts";
import { containerSkipReason } from "../support/containers.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

const skip = await containerSkipReason();
if (skip) console.error(`deploy rehearsal tests skipped: ${skip}`);
const log = (line: string) => console.error(`  ${line}`);
const engine = containerEngine("podman");

const dir = await Deno.makeTempDir({ prefix: "crime-rehearsal-" });
const bundles = [join(dir, "v1.json"), join(dir, "v2.json")];
await writeBundle(bundles[0], await testBundle());
await writeBundle(bundles[1], await testBundle({ seed: 5, shift: 0.05 }));
const started = performance.now();
const releases = skip ? [] : await buildReleases(bundles, log);
if (!skip) {
  console.error(`  images ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function rehearsalTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: `${name}${skip ? ` (skipped: ${skip})` : ""}`,
    ignore: skip !== undefined,
    // podman runs as child processes; every container is removed by the code under test.
    sanitizeResources: false,
    sanitizeOps: false,
    fn,
  });
}

/** The containers whose names start with `prefix`, running or not. */
async function containersNamed(prefix: string): Promise<string[]> {
  const { stdout } = await podman([
    "ps",
    "-a",
    "--filter",
    `name=^${prefix}`,
    "--format",
    "{{.Names}}",
  ]);
  return stdout.split("\n").filter((line) => line.trim() !== "");
}

rehearsalTest("a rehearsal deploys two releases in turn and rolls a broken one back", async () => {
  const name = `crime-rehearsal-test-${Deno.pid}`;
  const begun = performance.now();
  const { outcomes, serving } = await rehearse({ engine, releases, name, report: log });
  console.error(`  rehearsal: ${((performance.now() - begun) / 1000).toFixed(1)} s`);
  assert.deepEqual(outcomes.map((o) => [o.release.label, o.result]), [
    ["v1", "deployed"],
    ["v2", "deployed"],
    ["v2-broken", "rolled back"],
  ]);
  const rolledBack = outcomes[2];
  assert.ok(rolledBack.result === "rolled back");
  assert.equal(rolledBack.restored, releases[1]);
  assert.match(rolledBack.reason, new RegExp(`expected ${WRONG_VERSION}`));
  assert.equal(serving, releases[1]);
  assert.deepEqual(await containersNamed(name), [], "containers left behind");
});

rehearsalTest("a first release that serves another bundle is refused, nothing left", async () => {
  const name = `crime-rehearsal-first-${Deno.pid}`;
  const environment = new DeployEnvironment({
    name,
    port: freePort(),
    engine,
    env: { SERVE_ADMIN_TOKEN: crypto.randomUUID() },
    report: log,
  });
  try {
    // The v1 image, shipped as if it held v2's bundle: the checksum check must catch it.
    const outcome = await environment.deploy({
      label: "mislabelled",
      image: releases[0].image,
      expect: { bundle: bundles[1] },
    });
    assert.equal(outcome.result, "rolled back");
    assert.ok(outcome.result === "rolled back");
    assert.equal(outcome.restored, undefined);
    assert.match(outcome.reason, /serves bundle [0-9a-f]{64}, expected [0-9a-f]{64}/);
    assert.equal(environment.current, undefined);
    assert.deepEqual(await containersNamed(name), []);
  } finally {
    await environment.remove();
  }
});

rehearsalTest("a release whose container cannot start restores the previous one", async () => {
  const name = `crime-rehearsal-start-${Deno.pid}`;
  const environment = new DeployEnvironment({
    name,
    port: freePort(),
    engine,
    env: { SERVE_ADMIN_TOKEN: crypto.randomUUID() },
    report: log,
  });
  try {
    assert.equal((await environment.deploy(releases[0])).result, "deployed");
    const outcome = await environment.deploy({
      label: "missing",
      image: "localhost/crime-serve:no-such-image",
      expect: { bundle: bundles[0] },
    });
    assert.ok(outcome.result === "rolled back");
    assert.equal(outcome.restored, releases[0]);
    assert.match(outcome.reason, /podman run .* exited with/);
    assert.equal(environment.current, releases[0]);
    await environment.smoke(releases[0]);
    assert.deepEqual(await containersNamed(name), [environment.container]);
  } finally {
    await environment.remove();
  }
  assert.deepEqual(await containersNamed(name), []);
});

Deno.test({
  name: "rehearsal bundles removed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.remove(dir, { recursive: true });
  },
});
