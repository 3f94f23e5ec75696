/**
 * The server's metrics: HTTP traffic by route and status, predictions, the loaded model
 * and reloads, prediction-log drops and memory.
 *
 * @module
 */
import { Counter, Gauge, Histogram, type Metric } from "./prometheus.ts";

/** Latency bucket bounds in seconds: fine below 10 ms, where single predictions land. */
export const LATENCY_BUCKETS = [
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
] as const;

/**
 * Every metric the server exposes on `/metrics`. Every label value comes from a fixed
 * set, never from what a client sends: the HTTP route is a route pattern or `unmatched`,
 * the method a standard one or `OTHER`, the status one of the codes the server answers
 * with (see `../http/middleware/request_scope.ts`); model labels come from the served bundle.
 */
export interface ServeMetrics {
  /** Labels: route (a route pattern or `unmatched`), method (standard or `OTHER`), status. */
  readonly httpRequests: Counter;
  /** Labels: as {@linkcode ServeMetrics.httpRequests}. */
  readonly httpDuration: Histogram;
  /** Rows predicted. Labels: model_version. */
  readonly predictions: Counter;
  /** 1 for the model being served. Labels: name, version, alias, family, origin. */
  readonly modelInfo: Gauge;
  /** Labels: result (`reloaded`, `unchanged` or `failed`). */
  readonly reloads: Counter;
  readonly predictionLogDropped: Counter;
  /** Predicted rows not handed to the feedback store (queue full or a failed write). */
  readonly feedbackDropped: Counter;
  /** Requests rejected by the input contract, once per rule they break. Labels: rule. */
  readonly inputRejections: Counter;
  /** Connections open through the connection guard (none counted when it is off). */
  readonly connectionsOpen: Gauge;
  /** Connections the guard closed itself. Labels: reason (`../instances/connection_guard.ts`). */
  readonly connectionsClosed: Counter;
  readonly residentMemory: Gauge;
  /** All of the above, in exposition order. */
  readonly all: readonly Metric[];
}

/** Creates the metric set with no samples yet. */
export function createServeMetrics(): ServeMetrics {
  const route = ["route", "method", "status"];
  const httpRequests = new Counter("http_requests_total", "HTTP requests answered.", route);
  const httpDuration = new Histogram(
    "http_request_duration_seconds",
    "Time from receiving a request to returning its response.",
    route,
    LATENCY_BUCKETS,
  );
  const predictions = new Counter("predictions_total", "Rows predicted.", ["model_version"]);
  const modelInfo = new Gauge(
    "model_info",
    "The model being served (value 1), identified by its labels.",
    ["name", "version", "alias", "family", "origin"],
  );
  const reloads = new Counter("model_reloads_total", "Model reload attempts by result.", [
    "result",
  ]);
  const predictionLogDropped = new Counter(
    "prediction_log_dropped_total",
    "Prediction log entries not written: the write queue was full, a write failed (a full " +
      "disk), or a crash cut a partial line.",
    [],
  );
  const feedbackDropped = new Counter(
    "feedback_predictions_dropped_total",
    "Predicted rows not written to the feedback store (its queue was full or a write " +
      "failed): feedback for them will be answered 404.",
    [],
  );
  const inputRejections = new Counter(
    "input_rejections_total",
    "Requests answered 422 by the input contract, counted once for each rule (required, " +
      "type, minimum...) among their listed issues.",
    ["rule"],
  );
  const connectionsOpen = new Gauge(
    "http_connections_open",
    "Client connections open (through the connection guard; 0 when it is off).",
    [],
  );
  const connectionsClosed = new Counter(
    "http_connections_closed_total",
    "Client connections the server closed itself: over_capacity (answered 503), " +
      "header_timeout and request_timeout (answered 408), idle_timeout.",
    ["reason"],
  );
  const residentMemory = new Gauge(
    "process_resident_memory_bytes",
    "Resident set size of the server process.",
    [],
  );
  const metrics = {
    httpRequests,
    httpDuration,
    predictions,
    modelInfo,
    reloads,
    predictionLogDropped,
    feedbackDropped,
    inputRejections,
    connectionsOpen,
    connectionsClosed,
    residentMemory,
  };
  return { ...metrics, all: Object.values(metrics) };
}

/** What the `model_info` gauge labels a served model by (a `ServedModel` has it all). */
export interface ModelInfoLabels {
  readonly identity: {
    readonly name: string;
    readonly version: string;
    readonly alias?: string;
    readonly origin: string;
  };
  readonly bundle: { readonly family: string };
}

/** Sets the gauges read at scrape time: the model being served and resident memory. */
export function refreshGauges(metrics: ServeMetrics, model: ModelInfoLabels | undefined): void {
  metrics.modelInfo.clear();
  if (model) {
    const { name, version, alias, origin } = model.identity;
    metrics.modelInfo.set([name, version, alias ?? "", model.bundle.family, origin], 1);
  }
  metrics.residentMemory.set([], Deno.memoryUsage().rss);
}
