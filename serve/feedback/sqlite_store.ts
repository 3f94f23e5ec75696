/**
 * The feedback store in one SQLite file (`node:sqlite`, built into Deno): the default,
 * for a server on one machine. Several instances of one process (`--workers`) open the
 * file each; SQLite's write-ahead log lets them read while one writes, and a busy
 * timeout makes writers wait their turn.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import type { Actual } from "./feedback_schema.ts";
import * as contract from "./feedback_store.ts";

const SCHEMA = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA busy_timeout = 10000;
CREATE TABLE IF NOT EXISTS predictions (
  request_id TEXT NOT NULL,
  row INTEGER NOT NULL,
  prediction REAL NOT NULL,
  model_version TEXT NOT NULL,
  predicted_at INTEGER NOT NULL,
  PRIMARY KEY (request_id, row)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS predictions_by_time ON predictions (predicted_at);
CREATE TABLE IF NOT EXISTS feedback (
  request_id TEXT NOT NULL,
  row INTEGER NOT NULL,
  actual REAL NOT NULL,
  prediction REAL NOT NULL,
  model_version TEXT NOT NULL,
  predicted_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (request_id, row)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS feedback_by_time ON feedback (received_at);
`;

/** A store in the SQLite file at `path` (created, with its directory, if needed). */
export async function openSqliteStore(path: string): Promise<contract.FeedbackStore> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(SCHEMA);
  const insertPrediction = db.prepare(
    "INSERT OR REPLACE INTO predictions VALUES (?, ?, ?, ?, ?)",
  );
  const findPrediction = db.prepare(
    "SELECT p.predicted_at, p.prediction, p.model_version, f.actual FROM predictions p " +
      "LEFT JOIN feedback f USING (request_id, row) WHERE p.request_id = ? AND p.row = ?",
  );
  // A pair outlives its prediction: a value sent again after pruning is still known.
  const findPair = db.prepare(
    "SELECT predicted_at, prediction, model_version, actual FROM feedback " +
      "WHERE request_id = ? AND row = ?",
  );
  const insertPair = db.prepare(
    "INSERT OR IGNORE INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const sums = db.prepare(
    "SELECT model_version, count(*) AS pairs, sum((actual - prediction) * (actual - prediction)) " +
      "AS sum_squared, sum(abs(actual - prediction)) AS sum_absolute FROM feedback " +
      "WHERE received_at >= ? GROUP BY model_version ORDER BY model_version",
  );
  const prune = db.prepare("DELETE FROM predictions WHERE predicted_at < ?");
  const between = db.prepare(
    "SELECT model_version, prediction, actual, predicted_at, received_at FROM feedback " +
      "WHERE received_at >= ? AND received_at < ? ORDER BY received_at, request_id, row",
  );
  const transaction = <T>(work: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  };

  return {
    description: `sqlite:${path}`,
    savePredictions(records: readonly contract.PredictionRecord[]) {
      transaction(() => {
        for (const r of records) {
          insertPrediction.run(r.requestId, r.row, r.prediction, r.modelVersion, r.predictedAt);
        }
      });
      return Promise.resolve();
    },
    saveActuals(actuals: readonly Actual[], nowMs: number, maxAgeMs: number) {
      return Promise.resolve(transaction((): contract.FeedbackOutcome => {
        const found = new Map<string, contract.StoredRow>();
        for (const { requestId, row } of actuals) {
          const hit = (findPair.get(requestId, row) ?? findPrediction.get(requestId, row)) as
            | Record<string, number | string | null>
            | undefined;
          if (!hit) continue;
          found.set(contract.rowKey(requestId, row), {
            predictedAt: Number(hit.predicted_at),
            prediction: Number(hit.prediction),
            modelVersion: String(hit.model_version),
            actual: hit.actual === null ? undefined : Number(hit.actual),
          });
        }
        const plan = contract.planPairs(actuals, found, nowMs, maxAgeMs);
        if (!("pairs" in plan)) return plan;
        for (const { actual: a, stored } of plan.pairs) {
          insertPair.run(
            a.requestId,
            a.row,
            a.actual,
            stored.prediction,
            stored.modelVersion,
            stored.predictedAt,
            nowMs,
          );
        }
        return {
          kind: "recorded",
          accepted: plan.pairs.length,
          alreadyRecorded: plan.alreadyRecorded,
        };
      }));
    },
    errorSums(sinceMs: number): Promise<contract.ErrorSums[]> {
      const rows = sums.all(sinceMs) as Record<string, number | string>[];
      return Promise.resolve(rows.map((r) => ({
        modelVersion: String(r.model_version),
        pairs: Number(r.pairs),
        sumSquared: Number(r.sum_squared),
        sumAbsolute: Number(r.sum_absolute),
      })));
    },
    pairsBetween(sinceMs: number, untilMs: number): Promise<contract.Pair[]> {
      const rows = between.all(sinceMs, untilMs) as Record<string, number | string>[];
      return Promise.resolve(rows.map((r) => ({
        modelVersion: String(r.model_version),
        prediction: Number(r.prediction),
        actual: Number(r.actual),
        predictedAt: Number(r.predicted_at),
        receivedAt: Number(r.received_at),
      })));
    },
    prune(beforeMs: number): Promise<number> {
      return Promise.resolve(Number(prune.run(beforeMs).changes));
    },
    close(): Promise<void> {
      db.close();
      return Promise.resolve();
    },
  };
}
