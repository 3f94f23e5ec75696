/**
 * The Hono environment shared by the server's middleware and routes, and what they
 * depend on.
 *
 * @module
 */
import type { Logger } from "../telemetry/logger.ts";
import type { Drain } from "./drain.ts";
import type { ModelHolder } from "../model/model_slot.ts";
import type { Peers } from "./peers.ts";
import type { PredictionRecorder } from "../telemetry/prediction_log.ts";
import type { ServeMetrics } from "../telemetry/serve_metrics.ts";
import type { Feedback } from "../feedback/feedback_service.ts";

/** Per-request values set by middleware. */
export interface ServeEnv {
  Variables: {
    /** Set by the request-id middleware; echoed in `x-request-id`. */
    requestId: string;
  };
}

/** Size limits on request bodies. */
export interface RequestLimits {
  readonly maxBodyBytes: number;
  readonly maxBatchRows: number;
}

/** Everything the HTTP layer uses; `../instances/instance.ts` wires the real ones, tests their own. */
export interface AppDeps {
  readonly slot: ModelHolder;
  readonly metrics: ServeMetrics;
  readonly logger: Logger;
  readonly predictions: PredictionRecorder;
  readonly limits: RequestLimits;
  /**
   * When set, `POST /admin/reload` requires `Authorization: Bearer <token>`; the
   * configuration requires one whenever the server listens beyond loopback.
   */
  readonly adminToken?: string;
  /**
   * Origins whose web pages may call the API from a browser (CORS); none by default, and
   * then no response carries CORS headers.
   */
  readonly corsOrigins?: readonly string[];
  /** Counts in-flight requests for graceful shutdown. */
  readonly drain: Drain;
  /** The other instances of a multi-worker server; none by default. */
  readonly peers?: Peers;
  /** Where predictions meet their observed values; none with `--feedback-store off`. */
  readonly feedback?: Feedback;
}
