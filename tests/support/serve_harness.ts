/**
 * The prediction server's app wired for in-process tests: a model slot over an
 * in-memory source whose bundle a test can swap, with logs and prediction-log entries
 * captured in arrays.
 *
 * @module
 */
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import type { Hono } from "hono";
import { createApp } from "../../serve/http/app.ts";
import type { RequestLimits, ServeEnv } from "../../serve/http/app_env.ts";
import { jsonLogger } from "../../serve/telemetry/logger.ts";
import { Drain } from "../../serve/http/drain.ts";
import { ModelSlot } from "../../serve/model/model_slot.ts";
import {
  checksumVersion,
  type FetchedBundle,
  type ModelSource,
} from "../../serve/model/model_source.ts";
import type { PredictionEntry } from "../../serve/telemetry/prediction_log.ts";
import { createServedModel } from "../../serve/model/served_model.ts";
import type { Feedback } from "../../serve/feedback/feedback_service.ts";
import { createServeMetrics, type ServeMetrics } from "../../serve/telemetry/serve_metrics.ts";

/** A source serving whatever bundle the test last put in it (or failing with `error`). */
export class MemorySource implements ModelSource {
  readonly uri = "memory:test";
  bundle?: ModelBundle;
  error?: string;

  /** Starts with `bundle`, if given. */
  constructor(bundle?: ModelBundle) {
    this.bundle = bundle;
  }

  /** Fetches the current bundle, or fails like a real source would. */
  fetch(current?: FetchedBundle): Promise<FetchedBundle | undefined> {
    if (this.error) return Promise.reject(new Error(this.error));
    if (!this.bundle) return Promise.reject(new Error("memory:test: no bundle yet"));
    if (current?.bundle.checksum === this.bundle.checksum) return Promise.resolve(undefined);
    const bundle = this.bundle;
    return Promise.resolve({
      bundle,
      identity: {
        name: bundle.name,
        version: checksumVersion(bundle),
        origin: "file",
        location: this.uri,
      },
    });
  }
}

/** An app with everything a test inspects. */
export interface Harness {
  readonly app: Hono<ServeEnv>;
  readonly slot: ModelSlot;
  /** The in-memory source, unless the options gave another one. */
  readonly source: MemorySource;
  readonly metrics: ServeMetrics;
  /** Log lines, parsed. */
  readonly logs: Record<string, unknown>[];
  readonly predictions: PredictionEntry[];
  readonly limits: RequestLimits;
  readonly drain: Drain;
}

/** Options of {@linkcode harness}. */
export interface HarnessOptions {
  readonly limits?: Partial<RequestLimits>;
  readonly adminToken?: string;
  /** Origins allowed by the CORS policy (none by default). */
  readonly corsOrigins?: readonly string[];
  /** Load before returning (default: when there is a bundle or a source). */
  readonly load?: boolean;
  /** A real source to serve from instead of the in-memory one. */
  readonly source?: ModelSource;
  /** Feedback for POST /feedback and the realised error (none: answered 503). */
  readonly feedback?: Feedback;
}

/**
 * Builds the app around `bundle`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { testBundle } from "./test_bundle.ts";
 *
 * const { app } = await harness(await testBundle());
 * assert.equal((await app.request("/ready")).status, 200);
 * ```
 */
export async function harness(
  bundle?: ModelBundle,
  options: HarnessOptions = {},
): Promise<Harness> {
  const limits = { maxBodyBytes: 8 * 1024 * 1024, maxBatchRows: 1000, ...options.limits };
  const logs: Record<string, unknown>[] = [];
  const logger = jsonLogger("debug", (line) => logs.push(JSON.parse(line)));
  const metrics = createServeMetrics();
  const source = new MemorySource(bundle);
  const slot = new ModelSlot({
    source: options.source ?? source,
    build: (fetched) => createServedModel(fetched, { maxBatchRows: limits.maxBatchRows }),
    logger,
    metrics,
  });
  const predictions: PredictionEntry[] = [];
  const drain = new Drain();
  const app = createApp({
    drain,
    slot,
    metrics,
    logger,
    predictions: { record: (entry) => predictions.push(entry) },
    limits,
    adminToken: options.adminToken,
    corsOrigins: options.corsOrigins,
    feedback: options.feedback,
  });
  if ((bundle || options.source) && options.load !== false) {
    const outcome = await slot.reload("startup");
    if (outcome.status === "failed") {
      throw new Error(`test model did not load: ${outcome.error.message}`);
    }
  }
  return { app, slot, source, metrics, logs, predictions, limits, drain };
}

/** POSTs a JSON value (or raw text) to the app. */
export function postJson(
  app: Hono<ServeEnv>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  }));
}
