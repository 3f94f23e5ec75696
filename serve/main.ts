/**
 * The prediction server's entry point: reads the configuration, starts listening at
 * once (so `/health` answers while the model loads), loads the model in the background
 * (retrying until it succeeds), optionally polls for new versions, and on SIGTERM or
 * SIGINT stops accepting connections, lets in-flight requests finish, flushes the
 * prediction log and exits. With `--healthcheck` it only checks a running server.
 *
 * @module
 */
import { MlflowClient } from "../pipeline/mlflow/client.ts";
import { createApp } from "./app.ts";
import { BundleCache } from "./bundle_cache.ts";
import { ConfigError, DEFAULT_MODEL_URI, parseConfig, type ServeConfig, usage } from "./config.ts";
import { checkHealth, localAddress } from "./healthcheck.ts";
import { jsonLogger, type Logger, writeStderr } from "./logger.ts";
import { Drain } from "./middleware/drain.ts";
import { ModelSlot } from "./model_slot.ts";
import { EMBEDDED_URI, type ModelSource, parseModelUri } from "./model_source.ts";
import { embeddedSource, hasEmbeddedBundle } from "./model_source_embedded.ts";
import { fileSource } from "./model_source_file.ts";
import { mlflowSource } from "./model_source_mlflow.ts";
import { DISCARD_PREDICTIONS, PredictionLog } from "./prediction_log.ts";
import { loadUntilServed, pollForUpdates, sleep } from "./reload_schedule.ts";
import { RotatingFile } from "./rotating_file.ts";
import { createServedModel } from "./served_model.ts";
import { createServeMetrics, type ServeMetrics } from "./serve_metrics.ts";

async function modelSource(config: ServeConfig): Promise<ModelSource> {
  const uri = config.model ?? (await hasEmbeddedBundle() ? EMBEDDED_URI : DEFAULT_MODEL_URI);
  const locator = parseModelUri(uri);
  switch (locator.kind) {
    case "embedded":
      return embeddedSource();
    case "file":
      return fileSource(locator.path);
    case "registry":
      return mlflowSource({
        client: new MlflowClient(config.mlflowUri),
        locator,
        cache: new BundleCache(config.cacheDir),
      });
  }
}

async function openPredictionLog(
  config: ServeConfig,
  logger: Logger,
  metrics: ServeMetrics,
): Promise<PredictionLog | undefined> {
  if (!config.predictionLog) return undefined;
  const file = await RotatingFile.open(config.predictionLog, {
    maxBytes: config.predictionLogMaxBytes,
    keep: config.predictionLogFiles,
  });
  return new PredictionLog(file, {
    bufferBytes: config.predictionLogBufferBytes,
    onDrop: (rows) => metrics.predictionLogDropped.inc([], rows),
    onError: (error) => logger.error("prediction log write failed", { error }),
  });
}

/** Resolves with the first SIGTERM or SIGINT; a second one exits at once. */
function firstSignal(logger: Logger): Promise<Deno.Signal> {
  return new Promise((resolve) => {
    let received = false;
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      Deno.addSignalListener(signal, () => {
        if (received) {
          logger.warn("second signal: exiting without waiting", { signal });
          Deno.exit(1);
        }
        received = true;
        resolve(signal);
      });
    }
  });
}

async function serve(config: ServeConfig): Promise<number> {
  const logger = jsonLogger(config.logLevel);
  const metrics = createServeMetrics();
  let predictionLog: PredictionLog | undefined;
  try {
    predictionLog = await openPredictionLog(config, logger, metrics);
  } catch (error) {
    logger.error("cannot open the prediction log", { path: config.predictionLog, error });
    return 1;
  }
  const source = await modelSource(config);
  const limits = { maxBodyBytes: config.maxBodyBytes, maxBatchRows: config.maxBatchRows };
  const slot = new ModelSlot({
    source,
    build: (fetched) => createServedModel(fetched, { maxBatchRows: config.maxBatchRows }),
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
  });
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: config.host,
      port: config.port,
      onListen: ({ hostname, port }) =>
        logger.info("listening", {
          url: localAddress(hostname, port),
          host: hostname,
          port,
          model: source.uri,
          predictionLog: config.predictionLog ?? null,
          reloadIntervalSeconds: config.reloadInterval,
          ...limits,
        }),
    }, app.fetch);
  } catch (error) {
    logger.error("cannot listen", { host: config.host, port: config.port, error });
    await predictionLog?.close();
    return 1;
  }
  const signalled = firstSignal(logger);
  if (!config.adminToken && !["127.0.0.1", "localhost", "::1"].includes(config.host)) {
    logger.warn("POST /admin/reload is open to every client: set SERVE_ADMIN_TOKEN to protect it");
  }

  // Not awaited on shutdown: a load waiting on an unreachable registry must not hold it up.
  const stop = new AbortController();
  loadUntilServed(slot, stop.signal).then(async (served) => {
    if (served && config.reloadInterval > 0) {
      await pollForUpdates(slot, config.reloadInterval * 1000, stop.signal);
    }
  });

  const signal = await signalled;
  logger.info("shutting down: draining in-flight requests", { signal });
  stop.abort();
  // Requests are drained before the listener closes: shutdown() would cut off bodies
  // still being uploaded.
  const timeout = new AbortController();
  const drained = await Promise.race([
    drain.start().then(() => true),
    sleep(config.shutdownTimeout * 1000, timeout.signal).then(() => false),
  ]);
  timeout.abort();
  // After a timeout, shutdown() would wait for the stragglers too: exit without it.
  if (drained) await server.shutdown();
  else {
    logger.warn("shutdown timeout: exiting with requests still in flight", {
      inFlight: drain.inFlight,
      timeoutSeconds: config.shutdownTimeout,
    });
  }
  await predictionLog?.close();
  logger.info("stopped", { droppedPredictionLogRows: predictionLog?.dropped ?? 0 });
  return 0;
}

/** Runs the command line; returns the process exit status. */
export async function main(args: readonly string[]): Promise<number> {
  let config: ServeConfig;
  try {
    config = parseConfig(args, Deno.env.toObject());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeStderr(`invalid configuration:\n${error.message}\n`);
    return 2;
  }
  if (config.help) {
    console.log(usage());
    return 0;
  }
  if (config.healthcheck) {
    const problem = await checkHealth(localAddress(config.host, config.port));
    if (problem) writeStderr(`unhealthy: ${problem}\n`);
    return problem ? 1 : 0;
  }
  return await serve(config);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
