/**
 * The prediction server's entry point: reads the configuration, starts listening at
 * once (so `/health` answers while the model loads), loads the model in the background
 * (retrying until it succeeds), optionally polls for new versions, and on SIGTERM or
 * SIGINT stops accepting connections, lets in-flight requests finish, flushes the
 * prediction log and exits. With `--workers N`, N - 1 worker instances share the port
 * (see `instances/instance.ts`). With `--healthcheck` it only checks a running server.
 * `predict` scores a file of communities instead of serving (`batch/predict_command.ts`).
 *
 * @module
 */
import { ConfigError, parseConfig, type ServeConfig, usage } from "./config.ts";
import { predictCommand } from "./batch/predict_command.ts";
import { parseModelUri } from "./model/model_source.ts";
import { bundleFileProblem } from "./model/model_source_file.ts";
import { checkReady, localAddress } from "./instances/healthcheck.ts";
import { type Instance, startInstance } from "./instances/instance.ts";
import { jsonLogger, type Logger, withFields, writeStderr } from "./telemetry/logger.ts";
import type { Peers } from "./http/peers.ts";
import { RotatingFile } from "./telemetry/rotating_file.ts";
import { SharedSink } from "./telemetry/shared_sink.ts";
import { WorkerPool } from "./instances/worker_pool.ts";

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

async function openPredictionSink(
  config: ServeConfig,
  logger: Logger,
): Promise<SharedSink | undefined> {
  if (!config.predictionLog) return undefined;
  const file = await RotatingFile.open(config.predictionLog, {
    maxBytes: config.predictionLogMaxBytes,
    keep: config.predictionLogFiles,
    logger,
  });
  return new SharedSink(file);
}

async function serve(config: ServeConfig): Promise<number> {
  const logger = config.workers > 1
    ? withFields(jsonLogger(config.logLevel), { instance: 0 })
    : jsonLogger(config.logLevel);
  let sink: SharedSink | undefined;
  try {
    sink = await openPredictionSink(config, logger);
  } catch (error) {
    logger.error("cannot open the prediction log", { path: config.predictionLog, error });
    return 1;
  }
  let pool: WorkerPool | undefined;
  const peers: Peers = {
    metrics: () => pool?.peers.metrics() ?? [],
    monitoring: () => pool?.peers.monitoring() ?? [],
    requestReload: (trigger) => pool?.peers.requestReload(trigger),
  };
  let instance: Instance;
  try {
    instance = await startInstance({
      config,
      logger,
      predictionSink: sink?.handle(),
      peers,
      reusePort: config.workers > 1,
      onState: config.workers > 1 ? (state) => pool?.publishMain(state) : undefined,
    });
  } catch (error) {
    logger.error("cannot start", { host: config.host, port: config.port, error });
    await sink?.close();
    return 1;
  }
  // Beyond loopback the configuration has required an admin token already (config.ts).
  const signalled = firstSignal(logger);
  if (config.workers > 1) {
    const running = instance;
    // Workers join on the port the main instance got, which matters for --port 0.
    pool = new WorkerPool({
      config: { ...config, port: await running.port },
      logger,
      predictionSink: sink,
      reloadMain: (trigger) => void running.slot.reload(trigger),
    });
  }

  const signal = await signalled;
  logger.info("shutting down: draining in-flight requests", { signal });
  const [mainStopped, workersStopped] = await Promise.all([
    instance.stop(),
    pool?.stop(config.shutdownTimeout * 1000 + 1000) ?? { drained: true, droppedLogRows: 0 },
  ]);
  await sink?.close();
  logger.info("stopped", {
    droppedPredictionLogRows: mainStopped.droppedLogRows + workersStopped.droppedLogRows,
  });
  return 0;
}

/** Runs the command line; returns the process exit status. */
export async function main(args: readonly string[]): Promise<number> {
  if (args[0] === "predict") return await predictCommand(args.slice(1));
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
    const problem = await checkReady(localAddress(config.host, config.port));
    if (problem) writeStderr(`unhealthy: ${problem}\n`);
    return problem ? 1 : 0;
  }
  // A missing bundle file is a mistake in the command line, not an outage: retrying it
  // (as a registry is retried) would only hide it behind a server that never gets ready.
  const locator = config.model === undefined ? undefined : parseModelUri(config.model);
  if (locator?.kind === "file") {
    const problem = await bundleFileProblem(locator.path);
    if (problem) {
      writeStderr(`invalid configuration:\n--model (SERVE_MODEL): ${problem}\n`);
      return 2;
    }
  }
  return await serve(config);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
