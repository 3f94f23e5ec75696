/**
 * Scale-out on one host: the prediction server's container (the deno-run image with the
 * bundle baked in) behind the nginx load balancer of `tools/deploy/load_balancer.ts`,
 * with one instance and with two, then a failover: one of two instances killed (SIGKILL)
 * and replaced while the load runs. Prints, for each: requests per second, p50 and p99
 * latency, and errors (non-2xx answers and socket errors, as wrk counts them); for the
 * failover also how long the replacement took and how many attempts nginx retried on the
 * other instance. A direct run against one container, without nginx, gives the
 * balancer's own cost.
 *
 * Usage: `deno task bench:scale-out [--bundle <bundle.json>] [--duration 10]
 * [--connections 32]`. Needs podman, nginx and wrk (Debian packages podman, runc,
 * nginx, wrk). Every container and the nginx process it starts are removed at the end.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { containerEngine } from "../tools/deploy/container_engine.ts";
import { startLoadBalancer } from "../tools/deploy/load_balancer.ts";
import { buildReleases } from "../tools/deploy/rehearse.ts";
import { killAndReplace, predictScript, startInstances } from "../tools/deploy/scale_out.ts";
import { freePort } from "../tools/free_port.ts";
import { runWrk, type WrkResult } from "../tools/serve/wrk.ts";
import { chooseBundle } from "./serve_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    bundle: { type: "string" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
  },
  strict: true,
});
const seconds = Number(values.duration);
const connections = Number(values.connections);
const scratch = await Deno.makeTempDir({ prefix: "scale_out_" });
const engine = containerEngine("podman");
const { path, label } = await chooseBundle(scratch, values.bundle);
const [release] = await buildReleases([path], (line) => console.error(line));
const instances = await startInstances(engine, release, 2);
const rows: [string, WrkResult][] = [];
// Other work on the machine takes CPU from the runs: the load average says how much.
const loadBefore = Deno.loadavg()[0];
try {
  const script = await predictScript(instances[0].url, scratch);
  const load = (url: string) =>
    runWrk(`${url}/predict`, { connections, seconds, threads: 1, script });
  const ports = instances.map((i) => i.options.port);
  // Warm both instances up (JIT, model caches) before anything is timed.
  for (const instance of instances) {
    await runWrk(`${instance.url}/predict`, { connections, seconds: 2, threads: 1, script });
  }
  rows.push(["1 instance, direct (no nginx)", await load(instances[0].url)]);
  for (const count of [1, 2]) {
    const balancer = await startLoadBalancer(freePort(), ports.slice(0, count));
    try {
      rows.push([
        `${count} instance${count > 1 ? "s" : ""} behind nginx`,
        await load(balancer.url),
      ]);
    } finally {
      await balancer.stop();
    }
  }
  const balancer = await startLoadBalancer(freePort(), ports);
  let failover;
  try {
    failover = await killAndReplace({
      engine,
      balancer,
      victim: instances[0],
      script,
      seconds: Math.max(seconds, 8),
      killAfterSeconds: Math.max(seconds, 8) / 4,
      connections,
    });
    rows.push(["2 behind nginx, one killed and replaced", failover.load]);
  } finally {
    await balancer.stop();
  }
  console.log(
    `\nscale-out: ${label}; ${connections} connections, ${seconds} s per run, ` +
      `${navigator.hardwareConcurrency} CPUs shared by wrk, nginx and the containers; ` +
      `load average ${loadBefore.toFixed(1)} before, ${Deno.loadavg()[0].toFixed(1)} after`,
  );
  console.log("| setup | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|");
  for (const [setup, r] of rows) {
    console.log(
      `| ${setup} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(2)} | ` +
        `${r.p99Ms.toFixed(2)} | ${r.errors} of ${r.requests} |`,
    );
  }
  const one = rows[1][1].requestsPerSecond;
  const two = rows[2][1].requestsPerSecond;
  console.log(`\ntwo instances / one instance (both behind nginx): ${(two / one).toFixed(2)}x`);
  console.log(
    `failover: replacement ready ${failover.replacedInSeconds.toFixed(1)} s after the kill; ` +
      `${failover.upstreamErrors} attempts failed on the killed instance and were retried`,
  );
} finally {
  for (const instance of instances) await instance.remove();
  await Deno.remove(scratch, { recursive: true });
}
