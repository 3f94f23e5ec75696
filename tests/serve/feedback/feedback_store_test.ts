/**
 * Both feedback stores, through the same cases: SQLite on a temporary file, and
 * PostgreSQL on a real throwaway cluster (tests/support/postgres_server.ts; skipped, with
 * the reason, where PostgreSQL is not installed). Joins, the all-or-nothing answers
 * (unknown, too late, conflicting), idempotent resends, pruning that keeps pairs, and a
 * reopened store that still joins.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { FeedbackStore, PredictionRecord } from "../../../serve/feedback/feedback_store.ts";
import { openPostgresStore } from "../../../serve/feedback/postgres_store.ts";
import { openSqliteStore } from "../../../serve/feedback/sqlite_store.ts";
import { postgresUnavailable, startPostgres } from "../../support/postgres_server.ts";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12);

function predictions(prefix: string, count: number, at = NOW - HOUR): PredictionRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    requestId: `${prefix}-${Math.floor(i / 2)}`,
    row: i % 2,
    prediction: (i % 10) / 10,
    modelVersion: i < count / 2 ? "1" : "2",
    predictedAt: at,
  }));
}

/** The cases, given a way to open (and reopen) one store. */
async function exercise(open: () => Promise<FeedbackStore>) {
  let store = await open();
  try {
    const made = predictions("req", 40);
    await store.savePredictions(made);
    const actuals = made.slice(0, 30).map((p, i) => ({
      requestId: p.requestId,
      row: p.row,
      actual: Math.min(1, p.prediction + (i % 3) / 20),
    }));
    assert.deepEqual(await store.saveActuals(actuals, NOW, 24 * HOUR), {
      kind: "recorded",
      accepted: 30,
      alreadyRecorded: 0,
    });

    // The sums are those of the pairs, by model version.
    const sums = await store.errorSums(NOW - HOUR);
    const expected = new Map<string, { pairs: number; sq: number; abs: number }>();
    actuals.forEach((a, i) => {
      const version = made[i].modelVersion;
      const e = expected.get(version) ?? { pairs: 0, sq: 0, abs: 0 };
      const error = a.actual - made[i].prediction;
      expected.set(version, {
        pairs: e.pairs + 1,
        sq: e.sq + error ** 2,
        abs: e.abs + Math.abs(error),
      });
    });
    assert.deepEqual(sums.map((s) => s.modelVersion), ["1", "2"]);
    for (const s of sums) {
      const e = expected.get(s.modelVersion)!;
      assert.equal(s.pairs, e.pairs);
      assert.ok(Math.abs(s.sumSquared - e.sq) < 1e-12 && Math.abs(s.sumAbsolute - e.abs) < 1e-12);
    }
    assert.deepEqual(await store.errorSums(NOW + 1), [], "nothing received after NOW");
    const listed = await store.pairsBetween(NOW, NOW + 1);
    assert.equal(listed.length, 30);
    assert.deepEqual(
      { ...listed[0], actual: Math.round(listed[0].actual * 1e9) / 1e9 },
      {
        modelVersion: made[0].modelVersion,
        prediction: made[0].prediction,
        actual: Math.round(actuals[0].actual * 1e9) / 1e9,
        predictedAt: made[0].predictedAt,
        receivedAt: NOW,
      },
    );
    assert.deepEqual(await store.pairsBetween(0, NOW), []);

    // All or nothing: one unknown row, and the valid one beside it is not recorded.
    const fresh = { requestId: made[35].requestId, row: made[35].row, actual: 0.5 };
    const unknown = await store.saveActuals(
      [fresh, { requestId: "nope", row: 0, actual: 0.1 }],
      NOW,
      24 * HOUR,
    );
    assert.deepEqual(unknown, { kind: "unknown", rows: [{ requestId: "nope", row: 0 }] });
    assert.equal((await store.errorSums(0)).reduce((n, s) => n + s.pairs, 0), 30);

    // The same value again is recorded once; a different one is a conflict.
    assert.deepEqual(await store.saveActuals([actuals[0], fresh], NOW, 24 * HOUR), {
      kind: "recorded",
      accepted: 1,
      alreadyRecorded: 1,
    });
    const changed = { ...actuals[1], actual: actuals[1].actual === 1 ? 0 : 1 };
    assert.deepEqual(await store.saveActuals([changed], NOW, 24 * HOUR), {
      kind: "conflict",
      rows: [{ requestId: changed.requestId, row: changed.row }],
    });
    const twice = { requestId: made[36].requestId, row: made[36].row };
    assert.equal(
      (await store.saveActuals([{ ...twice, actual: 0.1 }, { ...twice, actual: 0.2 }], NOW, HOUR))
        .kind,
      "conflict",
    );

    // A prediction older than the window is too late for feedback.
    await store.savePredictions(predictions("old", 2, NOW - 48 * HOUR));
    assert.deepEqual(
      await store.saveActuals([{ requestId: "old-0", row: 0, actual: 0.2 }], NOW, 24 * HOUR),
      {
        kind: "too_late",
        rows: [{ requestId: "old-0", row: 0 }],
      },
    );

    // Pruning removes old predictions, never pairs: a resent value is still known.
    assert.equal(await store.prune(NOW - 24 * HOUR), 2);
    assert.equal(await store.prune(NOW), 40);
    assert.deepEqual(await store.saveActuals([actuals[2]], NOW, 24 * HOUR), {
      kind: "recorded",
      accepted: 0,
      alreadyRecorded: 1,
    });

    // Reopened, the store still joins and keeps its pairs.
    await store.close();
    store = await open();
    assert.equal((await store.errorSums(0)).reduce((n, s) => n + s.pairs, 0), 31);
    await store.savePredictions([{ ...made[0], requestId: "after", predictedAt: NOW }]);
    assert.equal(
      (await store.saveActuals([{ requestId: "after", row: 0, actual: 0.3 }], NOW, HOUR)).kind,
      "recorded",
    );
  } finally {
    await store.close();
  }
}

Deno.test("the SQLite feedback store joins, refuses all or nothing, prunes and reopens", async () => {
  const dir = await Deno.makeTempDir({ prefix: "feedback_sqlite_" });
  try {
    await exercise(() => openSqliteStore(join(dir, "state", "feedback.db")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const noPostgres = await postgresUnavailable();
if (noPostgres) console.error(`PostgreSQL feedback store test skipped: ${noPostgres}`);

Deno.test({
  name: "the PostgreSQL feedback store does the same on a real server",
  ignore: noPostgres !== undefined,
  async fn() {
    const server = await startPostgres();
    try {
      await exercise(() => openPostgresStore(server.uri));
      const tables = await server.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'crime_%'",
      );
      assert.equal(tables.trim(), "2");
    } finally {
      await server.stop();
    }
  },
});

Deno.test({
  name: "an unreachable PostgreSQL is named in the error, without its password",
  async fn() {
    await assert.rejects(
      openPostgresStore("postgresql://feedback:s3cret-pass@127.0.0.1:1/db"),
      (error: Error) => {
        assert.match(
          error.message,
          /cannot use the feedback store postgresql:\/\/.*127\.0\.0\.1:1/,
        );
        assert.doesNotMatch(error.message, /s3cret-pass/);
        return true;
      },
    );
  },
});
