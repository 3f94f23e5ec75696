/**
 * Where predictions wait for their observed values, and where the joined pairs are kept:
 * the contract of the stores (`sqlite_store.ts` for one machine, `postgres_store.ts` for
 * replicas sharing one database) and what they have in common.
 *
 * A pair keeps a copy of its prediction, so pruning old predictions never loses a join.
 * Recording observed values is all or nothing: either every value of a request is stored,
 * or none is and the outcome says which ones were in the way.
 *
 * @module
 */
import type { Actual } from "./feedback_schema.ts";

/** One predicted row, as the server records it for a later join. */
export interface PredictionRecord {
  readonly requestId: string;
  readonly row: number;
  readonly prediction: number;
  readonly modelVersion: string;
  /** Epoch milliseconds. */
  readonly predictedAt: number;
}

/** A row of a request, named for the client. */
export interface RowRef {
  readonly requestId: string;
  readonly row: number;
}

/** What recording a request's observed values came to. */
export type FeedbackOutcome =
  /** All recorded; `alreadyRecorded` were there already with the same value. */
  | { readonly kind: "recorded"; readonly accepted: number; readonly alreadyRecorded: number }
  /** Nothing recorded: these rows were never predicted, or pruned since. */
  | { readonly kind: "unknown"; readonly rows: readonly RowRef[] }
  /** Nothing recorded: these rows were predicted longer ago than the stores keep. */
  | { readonly kind: "too_late"; readonly rows: readonly RowRef[] }
  /** Nothing recorded: these rows already have a different observed value. */
  | { readonly kind: "conflict"; readonly rows: readonly RowRef[] };

/** Sums of the errors of the pairs of one model version in a window. */
export interface ErrorSums {
  readonly modelVersion: string;
  readonly pairs: number;
  readonly sumSquared: number;
  readonly sumAbsolute: number;
}

/** A recorded pair, for reports over a period. */
export interface Pair {
  readonly modelVersion: string;
  readonly prediction: number;
  readonly actual: number;
  /** Epoch milliseconds. */
  readonly predictedAt: number;
  readonly receivedAt: number;
}

/** A feedback store. */
export interface FeedbackStore {
  /** What the store is, for logs (credentials redacted). */
  readonly description: string;
  /** Records predicted rows (a row predicted again under the same id replaces the old). */
  savePredictions(records: readonly PredictionRecord[]): Promise<void>;
  /**
   * Joins `actuals` with their predictions and records the pairs, all or none; a
   * prediction older than `maxAgeMs` at `nowMs` is too late for feedback.
   */
  saveActuals(
    actuals: readonly Actual[],
    nowMs: number,
    maxAgeMs: number,
  ): Promise<FeedbackOutcome>;
  /** Error sums by model version of the pairs received since `sinceMs`. */
  errorSums(sinceMs: number): Promise<ErrorSums[]>;
  /** The pairs received in [`sinceMs`, `untilMs`), oldest first. */
  pairsBetween(sinceMs: number, untilMs: number): Promise<Pair[]>;
  /** Deletes predictions made before `beforeMs` (pairs stay); resolves with how many. */
  prune(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Most rows an outcome lists; the rest are counted in the message. */
export const MAX_LISTED_ROWS = 100;

/**
 * Classifies a request's observed values against what the store holds: `found` maps
 * `requestId/row` to the stored prediction time and, if any, the observed value already
 * recorded. Returns the outcome to answer with, or undefined when every value may go in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classify } from "./feedback_store.ts";
 * const found = new Map([["a/0", { predictedAt: 1000, actual: undefined }]]);
 * const outcome = classify([{ requestId: "b", row: 0, actual: 0.1 }], found, 2000, 5000);
 * assert.deepEqual(outcome, { kind: "unknown", rows: [{ requestId: "b", row: 0 }] });
 * ```
 */
export function classify(
  actuals: readonly Actual[],
  found: ReadonlyMap<string, { predictedAt: number; actual?: number }>,
  nowMs: number,
  maxAgeMs: number,
): Exclude<FeedbackOutcome, { kind: "recorded" }> | undefined {
  const unknown: RowRef[] = [], late: RowRef[] = [], conflicts: RowRef[] = [];
  const sent = new Map<string, number>();
  for (const { requestId, row, actual } of actuals) {
    const key = rowKey(requestId, row);
    const stored = found.get(key);
    const ref = { requestId, row };
    const twice = sent.get(key);
    sent.set(key, actual);
    if (twice !== undefined) {
      // Sent twice in one request: the same value is one value, two values a conflict.
      if (twice !== actual) conflicts.push(ref);
      continue;
    }
    if (!stored) unknown.push(ref);
    else if (stored.actual !== undefined && stored.actual !== actual) conflicts.push(ref);
    else if (stored.actual === undefined && nowMs - stored.predictedAt > maxAgeMs) late.push(ref);
  }
  if (unknown.length) return { kind: "unknown", rows: unknown };
  if (late.length) return { kind: "too_late", rows: late };
  if (conflicts.length) return { kind: "conflict", rows: conflicts };
  return undefined;
}

/**
 * The values of `actuals` once each (a row sent twice with the same value counts once);
 * call after {@linkcode classify} found no conflict.
 */
function distinct(actuals: readonly Actual[]): Actual[] {
  return [...new Map(actuals.map((a) => [rowKey(a.requestId, a.row), a])).values()];
}

/** What a store holds of a row a request names. */
export interface StoredRow {
  readonly predictedAt: number;
  readonly prediction: number;
  readonly modelVersion: string;
  /** The observed value recorded before, if any. */
  readonly actual?: number;
}

/** A pair to insert: the observed value and the prediction it joins. */
export interface NewPair {
  readonly actual: Actual;
  readonly stored: StoredRow;
}

/**
 * What to do with a request's observed values, given what the store holds of their rows
 * (keyed by {@linkcode rowKey}): refuse them all, or insert `pairs` and report the rest
 * as already recorded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planPairs } from "./feedback_store.ts";
 * const stored = { predictedAt: 1000, prediction: 0.2, modelVersion: "3" };
 * const plan = planPairs([{ requestId: "a", row: 0, actual: 0.3 }], new Map([["a/0", stored]]), 2000, 5000);
 * assert.equal("pairs" in plan && plan.pairs.length, 1);
 * ```
 */
export function planPairs(
  actuals: readonly Actual[],
  found: ReadonlyMap<string, StoredRow>,
  nowMs: number,
  maxAgeMs: number,
): Exclude<FeedbackOutcome, { kind: "recorded" }> | { pairs: NewPair[]; alreadyRecorded: number } {
  const refused = classify(actuals, found, nowMs, maxAgeMs);
  if (refused) return refused;
  const unique = distinct(actuals);
  const pairs = unique.flatMap((actual) => {
    const stored = found.get(rowKey(actual.requestId, actual.row))!;
    return stored.actual === undefined ? [{ actual, stored }] : [];
  });
  return { pairs, alreadyRecorded: unique.length - pairs.length };
}

/** The key of a row in the maps the stores build. */
export function rowKey(requestId: string, row: number): string {
  return `${requestId}/${row}`;
}
