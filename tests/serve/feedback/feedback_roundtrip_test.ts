/**
 * Feedback across processes, on real server processes:
 * - SQLite: predictions, feedback for some of them, a restart on the same store, feedback
 *   for the rest (made before and after the restart): the realised RMSE the server
 *   reports equals the RMSE computed here from the same pairs.
 * - PostgreSQL: two replicas on one database; a prediction served by one is joined with
 *   feedback received by the other (skipped, with the reason, without PostgreSQL).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  sourceCommand,
  type SpawnedServer,
  spawnServer,
} from "../../../tools/serve/spawn_server.ts";
import { waitUntilReady } from "../../../tools/serve/smoke_test.ts";
import { postgresUnavailable, startPostgres } from "../../support/postgres_server.ts";
import { randomRow, testBundle, writeBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();
const dir = await Deno.makeTempDir({ prefix: "feedback_roundtrip_" });
const bundlePath = join(dir, "bundle.json");
await writeBundle(bundlePath, bundle);

/** A server on the test bundle, once its model is loaded (it listens before). */
async function start(store: string): Promise<SpawnedServer> {
  const server = await spawnServer([
    ...sourceCommand(),
    ...["--port", "0", "--model", bundlePath, "--prediction-log", "off"],
    ...["--feedback-store", store],
  ]);
  await waitUntilReady(server.url, 30_000);
  return server;
}

async function post(url: string, body: unknown): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

interface Pair {
  readonly requestId: string;
  readonly row: number;
  readonly prediction: number;
  readonly actual: number;
}

/** Predicts `count` rows (singles and one batch) and makes up their observed values. */
async function predict(server: SpawnedServer, seed: number, count: number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  const actual = (p: number, i: number) =>
    Math.round(Math.min(1, Math.max(0, p + ((i % 5) - 2) / 20)) * 1e4) / 1e4;
  for (let i = 0; i < count - 4; i++) {
    const response = await post(`${server.url}/predict`, randomRow(bundle, seed + i));
    const { prediction, requestId } = await response.json();
    pairs.push({ requestId, row: 0, prediction, actual: actual(prediction, i) });
  }
  const batch = await post(`${server.url}/predict/batch`, {
    rows: [0, 1, 2, 3].map((k) => randomRow(bundle, seed + 1000 + k)),
  });
  const { predictions, requestId } = await batch.json();
  predictions.forEach((prediction: number, row: number) =>
    pairs.push({ requestId, row, prediction, actual: actual(prediction, row) })
  );
  return pairs;
}

async function sendFeedback(server: SpawnedServer, pairs: readonly Pair[]): Promise<void> {
  const response = await post(`${server.url}/feedback`, {
    actuals: pairs.map(({ requestId, row, actual }) => ({ requestId, row, actual })),
  });
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal((await response.json()).accepted, pairs.length);
}

async function realised(server: SpawnedServer): Promise<{ pairs: number; rmse: number }> {
  const report = await (await fetch(`${server.url}/monitoring`)).json();
  const hour = report.realised.filter((r: { window: string }) => r.window === "1h");
  assert.equal(hour.length, 1, "one model version");
  return hour[0];
}

function rmse(pairs: readonly Pair[]): number {
  return Math.sqrt(pairs.reduce((s, p) => s + (p.actual - p.prediction) ** 2, 0) / pairs.length);
}

Deno.test("a restart on the same SQLite store keeps predictions and pairs; RMSE as computed", async () => {
  const store = `sqlite:${join(dir, "state", "feedback.db")}`;
  let server = await start(store);
  let before: Pair[], after: Pair[];
  try {
    before = await predict(server, 0, 24);
    await sendFeedback(server, before.slice(0, 10));
    assert.ok(Math.abs((await realised(server)).rmse - rmse(before.slice(0, 10))) < 1e-12);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
  server = await start(store);
  try {
    after = await predict(server, 100, 12);
    // Feedback for predictions made before the restart, and after it.
    await sendFeedback(server, [...before.slice(10), ...after]);
    const all = [...before, ...after];
    const reported = await realised(server);
    assert.equal(reported.pairs, all.length);
    assert.ok(Math.abs(reported.rmse - rmse(all)) < 1e-12, `${reported.rmse} vs ${rmse(all)}`);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(`^realised_pairs\\{window="7d",model_version="[^"]+"\\} ${all.length}$`, "m"),
    );
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

const noPostgres = await postgresUnavailable();
if (noPostgres) console.error(`PostgreSQL replicas test skipped: ${noPostgres}`);

Deno.test({
  name: "two replicas on one PostgreSQL: feedback to one joins predictions of the other",
  ignore: noPostgres !== undefined,
  async fn() {
    const database = await startPostgres();
    const replicas: SpawnedServer[] = [];
    try {
      replicas.push(await start(database.uri), await start(database.uri));
      const [a, b] = replicas;
      const fromA = await predict(a, 0, 8);
      const fromB = await predict(b, 50, 8);
      // Each replica writes its predictions every 100 ms: feedback comes later than that.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await sendFeedback(b, fromA);
      await sendFeedback(a, fromB);
      for (const replica of replicas) {
        // Each replica's realised error is cached up to 5 s; /monitoring right after its
        // own feedback is fresh, the other one's may lag: wait it out once.
        await new Promise((resolve) => setTimeout(resolve, 5100));
        const reported = await realised(replica);
        assert.equal(reported.pairs, 16);
        assert.ok(Math.abs(reported.rmse - rmse([...fromA, ...fromB])) < 1e-12);
      }
      for (const replica of replicas) {
        assert.ok(!replica.logs.join("\n").includes(database.password), "password in a log");
      }
    } finally {
      for (const replica of replicas) await replica.stop();
      await database.stop();
    }
  },
});

Deno.test({
  name: "(clean up)",
  fn: () => Deno.remove(dir, { recursive: true }),
});
