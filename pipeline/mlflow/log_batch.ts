/**
 * Splits params, tags and metrics into `runs/log-batch` requests that stay within the
 * server's limits, so callers can log any amount in one call.
 *
 * @module
 */

/**
 * The limits the tracking server enforces on one `runs/log-batch` request
 * (`mlflow/utils/validation.py`); `requestBytes` keeps headroom below its 1 MB body limit.
 */
export const BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  entities: 1000,
  requestBytes: 950_000,
} as const;

/** One metric value; `step` orders points into a curve, `timestamp` is epoch milliseconds. */
export interface MetricPoint {
  readonly key: string;
  readonly value: number;
  readonly step?: number;
  readonly timestamp?: number;
}

/** What to log to a run; params are stringified, and a param cannot change once logged. */
export interface BatchInput {
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly metrics?: readonly MetricPoint[];
}

/** A key/value pair as MLflow expects it on the wire. */
export interface WireKeyValue {
  readonly key: string;
  readonly value: string;
}

/** A metric as MLflow expects it on the wire; non-finite values are sent as strings. */
export interface WireMetric {
  readonly key: string;
  readonly value: number | string;
  readonly step: number;
  readonly timestamp: number;
}

/** The body of one `runs/log-batch` request, without the run id. */
export interface WireBatch {
  readonly params: WireKeyValue[];
  readonly tags: WireKeyValue[];
  readonly metrics: WireMetric[];
}

type Entry =
  | { readonly kind: "params" | "tags"; readonly item: WireKeyValue }
  | { readonly kind: "metrics"; readonly item: WireMetric };

/**
 * Packs the input greedily into as few requests as the limits allow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planBatches } from "./log_batch.ts";
 *
 * const curve = [0.5, 0.3, 0.2].map((value, step) => ({ key: "loss", value, step }));
 * const batches = planBatches({ metrics: curve, params: { alpha: 0.1 } }, 0); // logged at 0
 * // One batch, sent as one request with the run's run_id added.
 * assert.deepEqual(batches, [{
 *   params: [{ key: "alpha", value: "0.1" }],
 *   tags: [],
 *   metrics: curve.map((point) => ({ ...point, timestamp: 0 })),
 * }]);
 * const long = Array.from({ length: 2500 }, (_, step) => ({ key: "loss", value: 1, step }));
 * assert.equal(planBatches({ metrics: long }).length, 3); // at most 1000 metrics a request
 * ```
 */
export function planBatches(input: BatchInput, now: number = Date.now()): WireBatch[] {
  const batches: WireBatch[] = [];
  let current = emptyBatch();
  let count = 0;
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const entry of toEntries(input, now)) {
    const size = encoder.encode(JSON.stringify(entry.item)).length + 1;
    const full = current[entry.kind].length >= BATCH_LIMITS[entry.kind] ||
      count >= BATCH_LIMITS.entities || bytes + size > BATCH_LIMITS.requestBytes;
    if (full && count > 0) {
      batches.push(current);
      current = emptyBatch();
      count = 0;
      bytes = 0;
    }
    if (entry.kind === "metrics") current.metrics.push(entry.item);
    else current[entry.kind].push(entry.item);
    count++;
    bytes += size;
  }
  if (count > 0) batches.push(current);
  return batches;
}

function toEntries(input: BatchInput, now: number): Entry[] {
  const pairs = (kind: "params" | "tags", record: Record<string, unknown> = {}): Entry[] =>
    Object.entries(record).map(([key, value]) => ({ kind, item: { key, value: `${value}` } }));
  const metrics = (input.metrics ?? []).map((m): Entry => ({
    kind: "metrics",
    item: {
      key: m.key,
      value: Number.isFinite(m.value) ? m.value : `${m.value}`,
      step: m.step ?? 0,
      timestamp: m.timestamp ?? now,
    },
  }));
  return [...pairs("params", input.params), ...pairs("tags", input.tags), ...metrics];
}

function emptyBatch(): WireBatch {
  return { params: [], tags: [], metrics: [] };
}
