/**
 * Hostile request bodies against a real server process: each gets its 4xx (or, where it
 * is valid after all, 200) quickly, the instance keeps answering `/health` meanwhile, and
 * its memory stays bounded. Bodies and tools: tests/support/hostile_bodies.ts; the same
 * bodies timed: bench/hostile_inputs.ts.
 *
 * Bounds:
 * - `/health` sent while a hostile request is being handled answers within 100 ms (the
 *   fastest of 4 probes, 20 to 65 ms after the body is sent, on a noisy 2-core machine; a
 *   body is sent again, up to 3 times in all, while it misses: in CI runs, with the tests
 *   beside this one loading the machine, `/health` waited 100 to 250 ms on the first send
 *   of the worst case (likely code V8 had not optimised yet) and about 1 ms on the
 *   second, where an instance held by the body itself misses every time):
 *   the scan, parse and report of any body under the 8 MiB limit hold the instance 50 ms
 *   at most (bench/hostile_inputs.ts), so only an instance held far longer fails, as the
 *   quadratic scan (20 s for 256 KB) or the old validation (0.2 to 2.5 s) did.
 * - The answer comes within 2 s of the body being sent (timeout 5 s, then the instance is
 *   replaced for the next body).
 * - Peak RSS (VmHWM, reset before each body) under 400 MiB: the idle server takes about
 *   80 MiB, one 8 MiB body costs a few copies of itself (bytes, text, cut text, the
 *   parsed part), and V8 keeps the heap it grew, so over the 25 bodies of one server
 *   the peak climbs to about 200 MiB. The old validation took 380 to 960 MiB for one
 *   body (700k unknown keys; 2M NaN literals).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { memoryMiB, resetPeak } from "../../tools/serve/process_memory.ts";
import { sourceCommand, type SpawnedServer, spawnServer } from "../../tools/serve/spawn_server.ts";
import { type Answer, hostileBodies, probeHealth, sendRaw } from "../support/hostile_bodies.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

const HEALTH_MS = 100;
const ANSWER_MS = 2000;
const ANSWER_TIMEOUT_MS = 5000;
const PEAK_MIB = 400;
/** Sends of a body while `/health` misses its bound. */
const ATTEMPTS = 3;

const bundle = await testBundle();
const dir = await Deno.makeTempDir({ prefix: "serve_hostile_" });
const bundlePath = join(dir, "bundle.json");
await writeBundle(bundlePath, bundle);

function start(): Promise<SpawnedServer> {
  return spawnServer(
    [
      ...sourceCommand(),
      "--port",
      "0",
      "--model",
      bundlePath,
      "--prediction-log",
      join(dir, "predictions.jsonl"),
    ],
    { cwd: dir },
  );
}

async function ready(url: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.status === 200) return true;
    } catch {
      // Busy or starting.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

Deno.test("hostile bodies get their answer fast, without holding the instance or its memory", async (t) => {
  let server = await start();
  assert.ok(await ready(server.url), "the server never became ready");
  try {
    for (const hostile of hostileBodies(bundle)) {
      const passed = await t.step(hostile.name, async () => {
        const healths: number[] = [];
        while (healths.length < ATTEMPTS && !(Math.min(...healths) < HEALTH_MS)) {
          const pid = server.process.pid;
          resetPeak(pid);
          let probes: Promise<number[]> = Promise.resolve([]);
          let answer;
          try {
            answer = await sendRaw(server.port, hostile, ANSWER_TIMEOUT_MS, () => {
              probes = probeHealth(server.url);
            });
          } finally {
            await probes;
          }
          const health = Math.min(...await probes);
          healths.push(health);
          const { rss, peak } = memoryMiB(pid);
          console.log(
            `  ${answer.status} in ${answer.ms.toFixed(1)} ms; /health ${health.toFixed(1)} ms; ` +
              `RSS ${rss.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`,
          );
          assert.equal(answer.status, hostile.status, answer.body.slice(0, 300));
          if (hostile.error) {
            const parsed: Answer = JSON.parse(answer.body);
            assert.equal(parsed.error, hostile.error);
            hostile.check?.(parsed);
          }
          assert.ok(answer.ms < ANSWER_MS, `the answer took ${answer.ms.toFixed(0)} ms`);
          assert.ok(peak < PEAK_MIB, `peak RSS ${peak.toFixed(0)} MiB`);
        }
        const best = Math.min(...healths);
        assert.ok(
          best < HEALTH_MS,
          `/health took ${best.toFixed(0)} ms at best in ${healths.length} sends of the body`,
        );
      });
      if (!passed) {
        // The instance may still be busy with the body: a fresh one for the next.
        await server.stop("SIGKILL");
        server = await start();
        assert.ok(await ready(server.url), "the replacement server never became ready");
      }
    }
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
