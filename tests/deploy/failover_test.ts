/**
 * Failover behind the load balancer: two server containers behind nginx, a load through
 * it, one container killed (SIGKILL) and replaced meanwhile; no request may fail, since
 * nginx retries what failed on the killed instance on the other one. The throughput of
 * one instance against two is measured by `bench/scale_out.ts`, not here.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { podman } from "../../tools/container/podman.ts";
import { containerEngine } from "../../tools/deploy/container_engine.ts";
import { nginxUnavailable, startLoadBalancer } from "../../tools/deploy/load_balancer.ts";
import { buildReleases } from "../../tools/deploy/rehearse.ts";
import { killAndReplace, predictScript, startInstances } from "../../tools/deploy/scale_out.ts";
import { freePort } from "../../tools/free_port.ts";
import { containerSkipReason } from "../support/containers.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

async function wrkMissing(): Promise<string | undefined> {
  try {
    await new Deno.Command("wrk", { args: ["-v"], stdout: "null", stderr: "null" }).output();
    return undefined;
  } catch {
    return "wrk is not installed (Debian package wrk)";
  }
}

const skip = await containerSkipReason() ?? await nginxUnavailable() ?? await wrkMissing();
if (skip) console.error(`failover test skipped: ${skip}`);

Deno.test({
  name: `a killed and replaced instance behind nginx fails no request${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  // podman and nginx run as child processes; both are stopped and removed below.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const engine = containerEngine("podman");
    const dir = await Deno.makeTempDir({ prefix: "crime-failover-" });
    const name = `crime-failover-${Deno.pid}`;
    try {
      // The rehearsal test's first bundle: its image is reused when already built.
      const bundle = join(dir, "v1.json");
      await writeBundle(bundle, await testBundle());
      const [release] = await buildReleases([bundle]);
      const instances = await startInstances(engine, release, 2, name);
      try {
        const balancer = await startLoadBalancer(freePort(), instances.map((i) => i.options.port));
        try {
          const failover = await killAndReplace({
            engine,
            balancer,
            victim: instances[0],
            script: await predictScript(instances[0].url, dir),
            seconds: 6,
            killAfterSeconds: 1.5,
            connections: 8,
          });
          const { load } = failover;
          console.error(
            `  ${load.requests} requests, ${load.errors} errors, ${load.requestsPerSecond} req/s; ` +
              `replaced in ${failover.replacedInSeconds.toFixed(1)} s; ` +
              `${failover.upstreamErrors} attempts retried on the other instance`,
          );
          assert.equal(load.errors, 0, `${load.errors} failed requests`);
          assert.ok(load.requests > 500, `only ${load.requests} requests: no real load`);
          // The kill must have hit requests in flight, or the test proved nothing.
          assert.ok(failover.upstreamErrors > 0, "nginx saw no failed attempt: the kill missed");
          assert.equal(instances[0].current, release, "the replacement serves the release");
        } finally {
          await balancer.stop();
        }
      } finally {
        for (const instance of instances) await instance.remove();
      }
      const { stdout } = await podman([
        "ps",
        "-a",
        "--filter",
        `name=^${name}`,
        "--format",
        "{{.Names}}",
      ]);
      assert.equal(stdout.trim(), "", "containers left behind");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
