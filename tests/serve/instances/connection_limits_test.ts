/**
 * The server's connection limits, on a real server process with small limits: a flood of
 * idle connections is capped (the overflow answered 503) so open files stay bounded, the
 * server closes them after the idle timeout and goes back to its idle footprint, and a
 * body trickled byte by byte is cut with 408 while `/health` keeps answering.
 *
 * Before the connection guard, 2,000 idle connections stayed open for 60 s and the
 * server's open files grew one for one: the bound on open files below fails there.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  sourceCommand,
  type SpawnedServer,
  spawnServer,
} from "../../../tools/serve/spawn_server.ts";
import { probeHealth } from "../../support/hostile_bodies.ts";
import { testBundle, writeBundle } from "../../support/test_bundle.ts";

const MAX_CONNECTIONS = 40;
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function openFiles(pid: number): number {
  return [...Deno.readDirSync(`/proc/${pid}/fd`)].length;
}

/** Reads a connection until EOF (or `timeoutMs`), returning what came. */
async function readAll(conn: Deno.Conn, timeoutMs: number): Promise<string> {
  const chunks: string[] = [];
  const buffer = new Uint8Array(4096);
  const timer = setTimeout(() => conn.close(), timeoutMs);
  try {
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      chunks.push(new TextDecoder().decode(buffer.subarray(0, n)));
    }
  } catch {
    chunks.push("<timed out>");
  } finally {
    clearTimeout(timer);
  }
  return chunks.join("");
}

const dir = await Deno.makeTempDir({ prefix: "serve_limits_" });
const bundlePath = join(dir, "bundle.json");
await writeBundle(bundlePath, await testBundle());

/** A server on the test bundle, without prediction log, with the limits `flags`. */
function start(...flags: string[]) {
  return spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--model", bundlePath, "--prediction-log", "off", ...flags],
  ]);
}

/** The connection guard's settings as the server logged them when it started to listen. */
function loggedGuard(server: SpawnedServer): unknown {
  return JSON.parse(server.logs.find((l) => l.includes('"listening"'))!).connectionGuard;
}

Deno.test("idle connections are capped and closed, slow bodies are cut, the server stays responsive", async () => {
  const server = await start(
    ...["--max-connections", String(MAX_CONNECTIONS), "--idle-timeout", "1.5"],
    ...["--header-timeout", "1", "--request-timeout", "2"],
  );
  const pid = server.process.pid;
  const held: Deno.Conn[] = [];
  try {
    assert.deepEqual(loggedGuard(server), {
      maxConnections: MAX_CONNECTIONS,
      headerTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      idleTimeoutMs: 1500,
    });
    const idleFiles = openFiles(pid);

    // 300 connections that send nothing: the first 40 are held, the rest refused.
    for (let i = 0; i < 300; i++) {
      held.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
    }
    await sleep(300);
    const flooded = openFiles(pid);
    // Each held connection costs the client socket and the two ends of its relay.
    assert.ok(
      flooded <= idleFiles + 3 * MAX_CONNECTIONS + 10,
      `open files ${idleFiles} → ${flooded} under 300 idle connections`,
    );
    const answers = await Promise.all(held.map((conn) => readAll(conn, 5000)));
    const refused = answers.filter((a) => /^HTTP\/1.1 503 [^]*"over_capacity"/.test(a)).length;
    const closedIdle = answers.filter((a) => a === "").length;
    assert.equal(refused, 300 - MAX_CONNECTIONS, "refused with 503");
    assert.equal(closedIdle, MAX_CONNECTIONS, "held, then closed by the idle timeout");
    held.length = 0;
    await sleep(200);
    assert.ok(openFiles(pid) <= idleFiles + 2, `open files back to ${openFiles(pid)}`);

    // A body trickled one byte every 100 ms: 408 at the request timeout, and meanwhile a
    // new connection's /health answers at once.
    const slow = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    held.push(slow);
    await slow.write(encoder.encode(
      "POST /predict HTTP/1.1\r\nhost: a\r\ncontent-type: application/json\r\n" +
        "content-length: 10000\r\n\r\n",
    ));
    const trickle = (async () => {
      for (let i = 0; i < 40; i++) {
        await sleep(100);
        if (await slow.write(encoder.encode(" ")).catch(() => 0) === 0) return;
      }
    })();
    const started = Date.now();
    const probes = await probeHealth(server.url, {
      count: 3,
      firstMs: 200,
      spacingMs: 400,
      timeoutMs: 2000,
    });
    const cut = await readAll(slow, 5000);
    held.length = 0;
    await trickle;
    assert.match(cut, /^HTTP\/1.1 408 Request Timeout[^]*"request_timeout"/);
    const after = Date.now() - started;
    assert.ok(after >= 1500 && after < 4000, `cut after ${after} ms`);
    assert.ok(Math.min(...probes) < 100, `/health meanwhile: ${probes.map(Math.round)} ms`);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(
        `http_connections_closed_total\\{reason="over_capacity"\\} ${300 - MAX_CONNECTIONS}\\b`,
      ),
    );
    assert.match(
      metrics,
      new RegExp(`http_connections_closed_total\\{reason="idle_timeout"\\} ${MAX_CONNECTIONS}\\b`),
    );
    assert.match(metrics, /http_connections_closed_total\{reason="request_timeout"\} 1\b/);
  } finally {
    for (const conn of held) {
      try {
        conn.close();
      } catch {
        // Closed by the server.
      }
    }
    assert.equal((await server.stop()).code, 0);
  }
});

Deno.test("with every limit at 0 the guard is off and connections go straight to the server", async () => {
  const server = await start(
    ...["--max-connections", "0", "--idle-timeout", "0", "--header-timeout", "0"],
    ...["--request-timeout", "0"],
  );
  try {
    assert.equal(loggedGuard(server), "off");
    const response = await fetch(`${server.url}/health`);
    assert.equal(response.status, 200);
    await response.body?.cancel();
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

Deno.test({
  name: "(clean up)",
  fn: () => Deno.remove(dir, { recursive: true }),
});
