/**
 * One server instance: a model slot, the app and a listener, with its own metrics and
 * prediction-log buffers. The process's main thread runs one; with `--workers N` each
 * of N - 1 workers runs another on the same port (SO_REUSEPORT), and the kernel spreads
 * connections over them.
 *
 * @module
 */
import { join } from "node:path";
import { createApp } from "../http/app.ts";
import { driftSettings, type ServeConfig } from "../config.ts";
import { ConnectionGuard, type GuardLimits } from "./connection_guard.ts";
import { localAddress } from "./healthcheck.ts";
import type { Logger } from "../telemetry/logger.ts";
import { Drain } from "../http/drain.ts";
import { ModelSlot } from "../model/model_slot.ts";
import type { ModelSource } from "../model/model_source.ts";
import { chooseModelUri, openModelSource } from "../model/open_model_source.ts";
import { type InstanceState, NO_PEERS, type Peers } from "../http/peers.ts";
import { type ByteSink, DISCARD_PREDICTIONS, PredictionLog } from "../telemetry/prediction_log.ts";
import { throttleLog } from "../telemetry/log_throttle.ts";
import { openStore, startFeedback } from "../feedback/feedback_service.ts";
import {
  loadUntilServed,
  pollForUpdates,
  sleep,
  startupBackoff,
} from "../model/reload_schedule.ts";
import { createServedModel } from "../model/served_model.ts";
import {
  createServeMetrics,
  refreshGauges,
  type ServeMetrics,
} from "../telemetry/serve_metrics.ts";
import { METRICS_INTERVAL_MS } from "./worker_protocol.ts";

/** How to run an instance. */
export interface InstanceOptions {
  readonly config: ServeConfig;
  readonly logger: Logger;
  /** Where prediction-log bytes go; none when the log is off. */
  readonly predictionSink?: ByteSink;
  readonly peers?: Peers;
  /** Share the port with other instances (SO_REUSEPORT; Linux spreads connections). */
  readonly reusePort?: boolean;
  /**
   * Listen only once a model is loaded, so that an instance joining others on a port
   * never answers "not ready" while they serve. Otherwise listen at once, so `/health`
   * answers while the model loads.
   */
  readonly listenWhenLoaded?: boolean;
  /**
   * Given this instance's metrics and drift counts every {@linkcode METRICS_INTERVAL_MS}
   * while it runs, for the other instances to merge into their `/metrics` and `/monitoring`.
   */
  readonly onState?: (state: InstanceState) => void;
}

/** A running instance. */
export interface Instance {
  /** The port listened on, once listening. */
  readonly port: Promise<number>;
  readonly metrics: ServeMetrics;
  readonly slot: ModelSlot;
  /**
   * Stops taking requests, lets in-flight ones finish (at most `shutdownTimeout`),
   * flushes the prediction log; resolves with the rows it had to drop.
   */
  stop(): Promise<{ readonly drained: boolean; readonly droppedLogRows: number }>;
}

/** The connection guard's limits, or undefined when every one is 0 (the guard is off). */
function guardLimitsOf(config: ServeConfig): GuardLimits | undefined {
  const limits: GuardLimits = {
    maxConnections: config.maxConnections,
    headerTimeoutMs: config.headerTimeout * 1000,
    requestTimeoutMs: config.requestTimeout * 1000,
    idleTimeoutMs: config.idleTimeout * 1000,
  };
  return Object.values(limits).some((limit) => limit > 0) ? limits : undefined;
}

/** The HTTP server on a Unix socket behind a connection guard on the TCP port. */
interface GuardedListener {
  readonly server: Deno.HttpServer;
  readonly guard: ConnectionGuard;
  /** Closes the guard and removes the socket; call after the server's shutdown. */
  close(): Promise<void>;
}

async function listenGuarded(
  config: ServeConfig,
  limits: GuardLimits,
  metrics: ServeMetrics,
  reusePort: boolean,
  app: { fetch: Deno.ServeHandler },
): Promise<GuardedListener> {
  let socketDir: string;
  try {
    socketDir = await Deno.makeTempDir({ prefix: "crime-serve-" });
  } catch (error) {
    throw new Error(
      `the connection guard needs a writable temporary directory for its socket ` +
        `(${(error as Error).message}): set TMPDIR to one, or turn the guard off with ` +
        "--max-connections 0 --header-timeout 0 --request-timeout 0 --idle-timeout 0",
    );
  }
  const upstreamPath = join(socketDir, "http.sock");
  const removeSocket = () => Deno.remove(socketDir, { recursive: true }).catch(() => {});
  let server: Deno.HttpServer | undefined;
  try {
    server = Deno.serve({ path: upstreamPath, onListen: () => {} }, app.fetch);
    const guard = new ConnectionGuard({
      hostname: config.host,
      port: config.port,
      reusePort,
      upstreamPath,
      limits,
      onClose: (reason) => metrics.connectionsClosed.inc([reason]),
      onOpenChange: (open) => metrics.connectionsOpen.set([], open),
    });
    return {
      server,
      guard,
      close: async () => {
        await guard.close();
        await removeSocket();
      },
    };
  } catch (error) {
    await server?.shutdown();
    await removeSocket();
    throw error;
  }
}

async function modelSource(config: ServeConfig): Promise<ModelSource> {
  return openModelSource(await chooseModelUri(config.model), config);
}

/**
 * Starts an instance; throws if it cannot listen.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "../config.ts";
 * import { jsonLogger } from "../telemetry/logger.ts";
 * import { startInstance } from "./instance.ts";
 *
 * const config = parseConfig(
 *   ["--port", "0", "--model", "examples/model_bundle.json", "--feedback-store", "off"],
 *   {},
 * );
 * const instance = await startInstance({ config, logger: jsonLogger("error") });
 * const port = await instance.port;
 * assert.ok(port > 0);
 * const health = await fetch(`http://127.0.0.1:${port}/health`);
 * assert.equal(health.status, 200);
 * await health.body?.cancel();
 * await instance.stop();
 * ```
 */
export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const { config, logger } = options;
  const metrics = createServeMetrics();
  // A full disk fails every flush (20 a second): one line a minute says it all.
  const logWriteFailure = throttleLog(
    (fields) => logger.error("prediction log write failed", fields),
    60_000,
  );
  const predictionLog = options.predictionSink &&
    new PredictionLog(options.predictionSink, {
      bufferBytes: config.predictionLogBufferBytes,
      onDrop: (rows) => metrics.predictionLogDropped.inc([], rows),
      onError: (error) => logWriteFailure({ error }),
    });
  const feedback = config.feedbackStore === "off" ? undefined : startFeedback({
    store: await openStore(config.feedbackStore).catch((error) => {
      throw new Error(
        `${
          (error as Error).message
        }; check --feedback-store (SERVE_FEEDBACK_STORE), or set it to off`,
      );
    }),
    maxAgeMs: config.feedbackMaxAgeDays * 86_400_000,
    logger,
    onDrop: (rows) => metrics.feedbackDropped.inc([], rows),
  });
  const source = await modelSource(config);
  const limits = { maxBodyBytes: config.maxBodyBytes, maxBatchRows: config.maxBatchRows };
  const slot = new ModelSlot({
    source,
    build: (fetched) =>
      createServedModel(fetched, {
        maxBatchRows: config.maxBatchRows,
        drift: driftSettings(config),
      }),
    logger,
    metrics,
  });
  const drain = new Drain();
  const app = createApp({
    slot,
    drain,
    metrics,
    logger,
    predictions: predictionLog ?? DISCARD_PREDICTIONS,
    limits,
    adminToken: config.adminToken,
    corsOrigins: config.corsOrigins,
    peers: options.peers ?? NO_PEERS,
    feedback,
  });

  // Not awaited on shutdown: a load waiting on an unreachable registry must not hold it up.
  const stopLoading = new AbortController();
  const load = async () => {
    const served = await loadUntilServed(
      slot,
      stopLoading.signal,
      startupBackoff(config.reloadInterval * 1000),
    );
    if (served && config.reloadInterval > 0) {
      pollForUpdates(slot, config.reloadInterval * 1000, stopLoading.signal);
    }
    return served;
  };
  if (options.listenWhenLoaded && !await load()) {
    throw new Error("stopped before a model was loaded");
  }

  let listening!: (port: number) => void;
  const port = new Promise<number>((resolve) => listening = resolve);
  const guardLimits = guardLimitsOf(config);
  const announce = (hostname: string, port: number) => {
    logger.info("listening", {
      url: localAddress(hostname, port),
      host: hostname,
      port,
      model: source.uri,
      predictionLog: config.predictionLog ?? null,
      reloadIntervalSeconds: config.reloadInterval,
      // Whether one is required, never the token itself.
      adminToken: config.adminToken ? "required" : "none",
      corsOrigins: config.corsOrigins,
      feedbackStore: feedback?.store.description ?? "off",
      connectionGuard: guardLimits ?? "off",
      ...limits,
    });
    listening(port);
  };
  let server: Deno.HttpServer;
  let guarded: GuardedListener | undefined;
  try {
    if (guardLimits) {
      guarded = await listenGuarded(config, guardLimits, metrics, options.reusePort ?? false, app);
      server = guarded.server;
      announce(guarded.guard.addr.hostname, guarded.guard.addr.port);
    } else {
      server = Deno.serve({
        hostname: config.host,
        port: config.port,
        reusePort: options.reusePort ?? false,
        onListen: ({ hostname, port }) => announce(hostname, port),
      }, app.fetch);
    }
  } catch (error) {
    stopLoading.abort();
    await predictionLog?.close();
    await feedback?.close();
    throw error;
  }
  if (!options.listenWhenLoaded) load();
  const { onState } = options;
  const publish = onState && setInterval(() => {
    refreshGauges(metrics, slot.model);
    onState({
      metrics: metrics.all.map((m) => m.snapshot()),
      monitoring: slot.model?.monitor.counts(),
    });
  }, METRICS_INTERVAL_MS);

  async function stop() {
    clearInterval(publish);
    stopLoading.abort();
    // Requests are drained before the listener closes: shutdown() would cut off bodies
    // still being uploaded.
    const timeout = new AbortController();
    const drained = await Promise.race([
      drain.start().then(() => true),
      sleep(config.shutdownTimeout * 1000, timeout.signal).then(() => false),
    ]);
    timeout.abort();
    // After a timeout, shutdown() would wait for the stragglers too: leave without it.
    if (drained) {
      await server.shutdown();
      await guarded?.close();
    } else {
      logger.warn("shutdown timeout: exiting with requests still in flight", {
        inFlight: drain.inFlight,
        timeoutSeconds: config.shutdownTimeout,
      });
    }
    await predictionLog?.close();
    await feedback?.close().catch((error) =>
      logger.error("feedback store close failed", { store: feedback.store.description, error })
    );
    return { drained, droppedLogRows: predictionLog?.dropped ?? 0 };
  }

  return { port, metrics, slot, stop };
}
