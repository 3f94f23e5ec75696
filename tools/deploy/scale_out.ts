/**
 * Server instances behind the nginx load balancer, and the failover scenario the
 * scale-out benchmark and its test share: a load runs through the balancer while one
 * instance is killed (SIGKILL, no drain) and replaced by a new container of the same
 * release on the same port.
 *
 * @module
 */
import { freePort } from "../free_port.ts";
import { runWrk, writePostScript, type WrkResult } from "../serve/wrk.ts";
import { apiExamples } from "../serve/smoke_test.ts";
import type { Engine } from "./container_engine.ts";
import { DeployEnvironment, type Release } from "./environment.ts";
import type { LoadBalancer } from "./load_balancer.ts";

/**
 * Starts `count` instances of `release`, each its own environment on its own port,
 * each smoke-tested; removes them all again if one fails.
 */
export async function startInstances(
  engine: Engine,
  release: Release,
  count: number,
  name = `crime-scale-${Deno.pid}`,
): Promise<DeployEnvironment[]> {
  const instances: DeployEnvironment[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const instance = new DeployEnvironment({
        name: `${name}-${String.fromCharCode(97 + i)}`,
        port: freePort(),
        engine,
        env: { SERVE_ADMIN_TOKEN: crypto.randomUUID() },
      });
      instances.push(instance);
      const outcome = await instance.deploy(release);
      if (outcome.result !== "deployed") throw new Error(`instance ${i + 1}: ${outcome.reason}`);
    }
    return instances;
  } catch (error) {
    for (const instance of instances) await instance.remove();
    throw error;
  }
}

/** Writes the wrk script that POSTs the reference row of the server at `url` to `/predict`. */
export async function predictScript(url: string, dir: string): Promise<string> {
  return await writePostScript(dir, JSON.stringify((await apiExamples(url)).reference.value));
}

/** What {@linkcode killAndReplace} measured. */
export interface Failover {
  readonly load: WrkResult;
  /** Seconds from the kill until the replacement passed its smoke test. */
  readonly replacedInSeconds: number;
  /** Attempts nginx logged as failed on a backend (each one retried on the other). */
  readonly upstreamErrors: number;
}

/** Options of {@linkcode killAndReplace}. */
export interface FailoverOptions {
  readonly engine: Engine;
  readonly balancer: LoadBalancer;
  /** The instance to kill and replace. */
  readonly victim: DeployEnvironment;
  readonly script: string;
  readonly seconds: number;
  /** When, into the load, the victim is killed. */
  readonly killAfterSeconds: number;
  readonly connections: number;
}

/**
 * Runs wrk through the balancer for `seconds`, kills the victim's container after
 * `killAfterSeconds` and deploys its release again on its port; returns the load's
 * figures (wrk counts every non-2xx answer and socket error as an error).
 */
export async function killAndReplace(options: FailoverOptions): Promise<Failover> {
  const { engine, balancer, victim } = options;
  const release = victim.current;
  const container = victim.container;
  if (!release || !container) throw new Error("the instance to kill serves nothing");
  const before = (await balancer.errorLog()).split("\n").length;
  const load = runWrk(`${balancer.url}/predict`, {
    connections: options.connections,
    seconds: options.seconds,
    threads: 1,
    script: options.script,
  });
  await new Promise((resolve) => setTimeout(resolve, options.killAfterSeconds * 1000));
  const killed = performance.now();
  await engine(["kill", container]);
  const outcome = await victim.deploy(release);
  if (outcome.result !== "deployed") throw new Error(`the replacement failed: ${outcome.reason}`);
  const replacedInSeconds = (performance.now() - killed) / 1000;
  const result = await load;
  const lines = (await balancer.errorLog()).split("\n").slice(before - 1);
  const upstreamErrors =
    lines.filter((line) => /while (connecting to|reading response header from) upstream/.test(line))
      .length;
  return { load: result, replacedInSeconds, upstreamErrors };
}
