/**
 * The feedback side of a server instance: its store, the recorder that feeds it every
 * predicted row, the pruning of predictions too old for feedback, and the realised error
 * over the last hour, day and week (computed at most every 5 s, since every instance's
 * `/metrics` and `/monitoring` ask for it).
 *
 * @module
 */
import type { Logger } from "../telemetry/logger.ts";
import type { RealisedError } from "./feedback_schema.ts";
import type { FeedbackStore } from "./feedback_store.ts";
import { openPostgresStore } from "./postgres_store.ts";
import { PredictionRecorder } from "./prediction_recorder.ts";
import { openSqliteStore } from "./sqlite_store.ts";

const HOUR_MS = 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;
const REALISED_TTL_MS = 5000;

/** The windows of the realised error, by how far back they reach. */
export const REALISED_WINDOWS = [
  ["1h", HOUR_MS],
  ["24h", 24 * HOUR_MS],
  ["7d", 7 * 24 * HOUR_MS],
] as const;

/** An instance's feedback. */
export interface Feedback {
  readonly store: FeedbackStore;
  readonly recorder: PredictionRecorder;
  /** How long a prediction waits for its observed value. */
  readonly maxAgeMs: number;
  /** The realised error by window and model version. */
  realised(nowMs?: number): Promise<RealisedError[]>;
  /** Forgets the cached realised error: new pairs were recorded. */
  invalidate(): void;
  /** Writes what is queued, stops pruning and closes the store. */
  close(): Promise<void>;
}

/** Opens the store a `--feedback-store` value names: `sqlite:<path>` or a PostgreSQL URI. */
export function openStore(location: string): Promise<FeedbackStore> {
  if (location.startsWith("sqlite:")) return openSqliteStore(location.slice("sqlite:".length));
  return openPostgresStore(location);
}

/** Options of {@linkcode startFeedback}. */
export interface FeedbackOptions {
  readonly store: FeedbackStore;
  readonly maxAgeMs: number;
  readonly logger: Logger;
  readonly onDrop: (rows: number) => void;
}

/**
 * Starts recording into `store`, pruning it every 10 minutes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { jsonLogger } from "../telemetry/logger.ts";
 * import { openStore, startFeedback } from "./feedback_service.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const feedback = startFeedback({
 *   store: await openStore(`sqlite:${join(dir, "feedback.db")}`),
 *   maxAgeMs: 30 * 86_400_000,
 *   logger: jsonLogger("error"),
 *   onDrop: () => {},
 * });
 * assert.deepEqual(await feedback.realised(), []); // no observed values yet
 * await feedback.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function startFeedback(options: FeedbackOptions): Feedback {
  const { store, maxAgeMs, logger } = options;
  const recorder = new PredictionRecorder(store, {
    onDrop: options.onDrop,
    onError: (error) =>
      logger.error("feedback store write failed", { store: store.description, error }),
  });
  const prune = async () => {
    try {
      const pruned = await store.prune(Date.now() - maxAgeMs);
      if (pruned > 0) logger.info("pruned predictions past the feedback window", { pruned });
    } catch (error) {
      logger.warn("feedback store prune failed", { store: store.description, error });
    }
  };
  const pruning = setInterval(prune, PRUNE_EVERY_MS);
  let cached: { at: number; value: Promise<RealisedError[]> } | undefined;
  const compute = async (nowMs: number): Promise<RealisedError[]> => {
    const out: RealisedError[] = [];
    for (const [window, span] of REALISED_WINDOWS) {
      for (const sums of await store.errorSums(nowMs - span)) {
        out.push({
          window,
          modelVersion: sums.modelVersion,
          pairs: sums.pairs,
          rmse: Math.sqrt(sums.sumSquared / sums.pairs),
          mae: sums.sumAbsolute / sums.pairs,
        });
      }
    }
    return out;
  };
  return {
    store,
    recorder,
    maxAgeMs,
    realised(nowMs = Date.now()) {
      if (!cached || nowMs - cached.at >= REALISED_TTL_MS) {
        cached = { at: nowMs, value: compute(nowMs) };
        // A failed query is not cached: the next scrape tries again.
        cached.value.catch(() => cached = undefined);
      }
      return cached.value;
    },
    invalidate() {
      cached = undefined;
    },
    async close() {
      clearInterval(pruning);
      await recorder.flush();
      await store.close();
    },
  };
}
