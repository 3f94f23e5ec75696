/**
 * The feedback store in PostgreSQL (the `postgres` client from npm), for replicas that
 * share one database: a prediction served by one replica can be joined with feedback
 * received by another. Tables are created on first use; a request's observed values are
 * joined and recorded in one transaction that locks their predictions' rows.
 *
 * @module
 */
import postgres from "postgres";
import { redactUri } from "../../pipeline/mlflow/redact_uri.ts";
import type { Actual } from "./feedback_schema.ts";
import * as contract from "./feedback_store.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS crime_predictions (
    request_id text NOT NULL,
    row_index integer NOT NULL,
    prediction double precision NOT NULL,
    model_version text NOT NULL,
    predicted_at bigint NOT NULL,
    PRIMARY KEY (request_id, row_index))`,
  "CREATE INDEX IF NOT EXISTS crime_predictions_by_time ON crime_predictions (predicted_at)",
  `CREATE TABLE IF NOT EXISTS crime_feedback (
    request_id text NOT NULL,
    row_index integer NOT NULL,
    actual double precision NOT NULL,
    prediction double precision NOT NULL,
    model_version text NOT NULL,
    predicted_at bigint NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (request_id, row_index))`,
  "CREATE INDEX IF NOT EXISTS crime_feedback_by_time ON crime_feedback (received_at)",
];

/** Rows per INSERT statement: PostgreSQL takes at most 65535 parameters. */
const INSERT_ROWS = 10_000;

/**
 * A store in the PostgreSQL database at `uri` (`postgresql://user:password@host/db`);
 * throws, naming the server but not the password, if it cannot connect.
 */
export async function openPostgresStore(uri: string): Promise<contract.FeedbackStore> {
  const description = redactUri(uri);
  const sql = postgres(uri, { max: 4, onnotice: () => {}, connect_timeout: 10 });
  try {
    // Instances starting together race to create the tables: an advisory lock orders them.
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(4242)`;
      for (const statement of SCHEMA) await tx.unsafe(statement);
    });
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new Error(`cannot use the feedback store ${description}: ${(error as Error).message}`);
  }
  return {
    description,
    async savePredictions(records: readonly contract.PredictionRecord[]) {
      for (let at = 0; at < records.length; at += INSERT_ROWS) {
        const rows = records.slice(at, at + INSERT_ROWS).map((r) => ({
          request_id: r.requestId,
          row_index: r.row,
          prediction: r.prediction,
          model_version: r.modelVersion,
          predicted_at: r.predictedAt,
        }));
        await sql`INSERT INTO crime_predictions ${sql(rows)}
          ON CONFLICT (request_id, row_index) DO UPDATE SET prediction = excluded.prediction,
            model_version = excluded.model_version, predicted_at = excluded.predicted_at`;
      }
    },
    async saveActuals(actuals: readonly Actual[], nowMs: number, maxAgeMs: number) {
      return await sql.begin(async (tx): Promise<contract.FeedbackOutcome> => {
        const ids = actuals.map((a) => a.requestId);
        const rowsOf = actuals.map((a) => a.row);
        const keys =
          tx`SELECT * FROM unnest(${ids}::text[], ${rowsOf}::int[]) AS k(request_id, row_index)`;
        const pairs = await tx`SELECT f.request_id, f.row_index, f.predicted_at, f.prediction,
            f.model_version, f.actual FROM crime_feedback f JOIN (${keys}) k USING (request_id, row_index)
            FOR UPDATE OF f`;
        const predictions = await tx`SELECT p.request_id, p.row_index, p.predicted_at,
            p.prediction, p.model_version FROM crime_predictions p
            JOIN (${keys}) k USING (request_id, row_index) FOR UPDATE OF p`;
        const found = new Map<string, contract.StoredRow>();
        for (const p of predictions) {
          found.set(contract.rowKey(p.request_id, p.row_index), {
            predictedAt: Number(p.predicted_at),
            prediction: p.prediction,
            modelVersion: p.model_version,
          });
        }
        for (const f of pairs) {
          found.set(contract.rowKey(f.request_id, f.row_index), {
            predictedAt: Number(f.predicted_at),
            prediction: f.prediction,
            modelVersion: f.model_version,
            actual: f.actual,
          });
        }
        const plan = contract.planPairs(actuals, found, nowMs, maxAgeMs);
        if (!("pairs" in plan)) return plan;
        if (plan.pairs.length > 0) {
          const rows = plan.pairs.map(({ actual: a, stored }) => ({
            request_id: a.requestId,
            row_index: a.row,
            actual: a.actual,
            prediction: stored.prediction,
            model_version: stored.modelVersion,
            predicted_at: stored.predictedAt,
            received_at: nowMs,
          }));
          await tx`INSERT INTO crime_feedback ${tx(rows)} ON CONFLICT DO NOTHING`;
        }
        return {
          kind: "recorded",
          accepted: plan.pairs.length,
          alreadyRecorded: plan.alreadyRecorded,
        };
      });
    },
    async errorSums(sinceMs: number): Promise<contract.ErrorSums[]> {
      const rows = await sql`SELECT model_version, count(*)::int AS pairs,
          sum((actual - prediction) ^ 2) AS sum_squared, sum(abs(actual - prediction)) AS sum_absolute
        FROM crime_feedback WHERE received_at >= ${sinceMs}
        GROUP BY model_version ORDER BY model_version`;
      return rows.map((r) => ({
        modelVersion: r.model_version,
        pairs: r.pairs,
        sumSquared: Number(r.sum_squared),
        sumAbsolute: Number(r.sum_absolute),
      }));
    },
    async pairsBetween(sinceMs: number, untilMs: number): Promise<contract.Pair[]> {
      const rows = await sql`SELECT model_version, prediction, actual, predicted_at, received_at
        FROM crime_feedback WHERE received_at >= ${sinceMs} AND received_at < ${untilMs}
        ORDER BY received_at, request_id, row_index`;
      return rows.map((r) => ({
        modelVersion: r.model_version,
        prediction: r.prediction,
        actual: r.actual,
        predictedAt: Number(r.predicted_at),
        receivedAt: Number(r.received_at),
      }));
    },
    async prune(beforeMs: number): Promise<number> {
      const deleted = await sql`DELETE FROM crime_predictions WHERE predicted_at < ${beforeMs}`;
      return deleted.count;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
