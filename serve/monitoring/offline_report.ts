/**
 * The offline monitoring report's content, computed from a period of the prediction log
 * and of the feedback pairs: the same drift and data-quality statistics as the server's
 * (`drift_monitor.ts`, over every row of the period), the distributions of the most
 * drifted features, and the realised error over time. Pure: the reading is done by
 * `tools/monitoring/monitor.ts`; `report_html.ts` renders it.
 *
 * @module
 */
import { z } from "zod";
import type { Pair } from "../feedback/feedback_store.ts";
import type { Distribution, WindowReport } from "./report_schema.ts";
import { mae, rmse } from "../../pipeline/core/statistics.ts";

/** The realised error of the pairs received in one bucket of time. */
export interface ErrorBucket {
  /** ISO start of the bucket. */
  readonly start: string;
  readonly pairs: number;
  readonly rmse: number;
  readonly mae: number;
}

/**
 * The realised error per bucket of `bucketMs`, by the time the observed value arrived;
 * buckets with no pair are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorOverTime } from "./offline_report.ts";
 * const pair = (at: number, error: number) =>
 *   ({ modelVersion: "3", prediction: 0.5, actual: 0.5 + error, predictedAt: at, receivedAt: at });
 * const buckets = errorOverTime([pair(0, 0.1), pair(10, -0.1), pair(3_600_000, 0.2)], 3_600_000);
 * assert.equal(buckets.length, 2);
 * assert.ok(Math.abs(buckets[0].rmse - 0.1) < 1e-12 && buckets[0].pairs === 2);
 * ```
 */
export function errorOverTime(pairs: readonly Pair[], bucketMs: number): ErrorBucket[] {
  const buckets = new Map<number, { n: number; sq: number; abs: number }>();
  for (const p of pairs) {
    const key = Math.floor(p.receivedAt / bucketMs) * bucketMs;
    const b = buckets.get(key) ?? { n: 0, sq: 0, abs: 0 };
    const error = p.actual - p.prediction;
    buckets.set(key, { n: b.n + 1, sq: b.sq + error * error, abs: b.abs + Math.abs(error) });
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([start, b]) => ({
    start: new Date(start).toISOString(),
    pairs: b.n,
    rmse: Math.sqrt(b.sq / b.n),
    mae: b.abs / b.n,
  }));
}

/** What `summary.json` holds: the report's headline figures, also its MLflow metrics. */
export const ReportSummarySchema = z.object({
  modelName: z.string(),
  modelVersion: z.string(),
  since: z.string(),
  until: z.string(),
  rows: z.number().int(),
  /** Rows of the period served by another model version than the one compared with. */
  rowsOfOtherVersions: z.number().int(),
  judged: z.boolean(),
  driftShare: z.number(),
  driftedFeatures: z.number().int(),
  datasetDrifted: z.boolean(),
  predictionDriftScore: z.number(),
  predictionDrifted: z.boolean(),
  pairs: z.number().int(),
  realisedRmse: z.number().nullable(),
  realisedMae: z.number().nullable(),
  cvRmse: z.number().nullable(),
  /** Log lines that could not be used: not JSON, or not a row of this model's contract. */
  unreadableLines: z.number().int(),
});
/** The report's headline figures. */
export type ReportSummary = z.infer<typeof ReportSummarySchema>;

/** Everything the report shows. */
export interface OfflineReport {
  readonly summary: ReportSummary;
  readonly window: WindowReport;
  /** The most drifted features' distributions, most drifted first, then the prediction's. */
  readonly distributions: readonly Distribution[];
  readonly errorOverTime: readonly ErrorBucket[];
}

/** The pairs' RMSE and MAE, or nulls without pairs. */
export function realisedError(pairs: readonly Pair[]): { rmse: number | null; mae: number | null } {
  if (pairs.length === 0) return { rmse: null, mae: null };
  const actual = pairs.map((p) => p.actual);
  const predicted = pairs.map((p) => p.prediction);
  return { rmse: rmse(actual, predicted), mae: mae(actual, predicted) };
}
