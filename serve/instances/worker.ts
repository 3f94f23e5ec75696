/**
 * The entry point of a worker instance of a multi-worker server (`--workers N`): runs
 * one {@linkcode startInstance} on the main thread's port once its model is loaded,
 * sends its metrics and prediction-log bytes to the main thread, and stops when told.
 *
 * @module
 */
import { startInstance } from "./instance.ts";
import { jsonLogger, withFields } from "../telemetry/logger.ts";
import { type InstanceState, monitoringOf, type Peers } from "../http/peers.ts";
import type { ByteSink } from "../telemetry/prediction_log.ts";
import type { FromWorker, ToWorker } from "./worker_protocol.ts";

// A worker's global scope; typed here because the project compiles against the window lib.
const scope = globalThis as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const peerStates = new Map<number, InstanceState>();
const pendingWrites = new Map<number, { resolve(): void; reject(error: Error): void }>();
let nextWriteId = 0;
let reload: (trigger: string) => void = () => {};
// Until the instance runs there is nothing to drain: a stop ends the worker at once.
let stop: () => void = () =>
  scope.postMessage({ kind: "stopped", drained: true, droppedLogRows: 0 });

const peers: Peers = {
  metrics: () => [...peerStates.values()].map((state) => state.metrics),
  monitoring: () => monitoringOf(peerStates.values()),
  requestReload: (trigger) => scope.postMessage({ kind: "reload", trigger }),
};

/** Prediction-log bytes go to the main thread, which owns the file. */
const relaySink: ByteSink = {
  write(bytes) {
    const id = nextWriteId++;
    // A copy: the log reuses its buffer once the write resolves.
    const copy = bytes.slice();
    return new Promise((resolve, reject) => {
      pendingWrites.set(id, { resolve, reject });
      scope.postMessage({ kind: "log", id, bytes: copy }, [copy.buffer]);
    });
  },
  close: () => Promise.resolve(),
};

async function start(message: Extract<ToWorker, { kind: "start" }>) {
  const { config, instance } = message;
  const logger = withFields(jsonLogger(config.logLevel), { instance });
  try {
    const running = await startInstance({
      config,
      logger,
      predictionSink: config.predictionLog ? relaySink : undefined,
      peers,
      reusePort: true,
      listenWhenLoaded: true,
      onState: (state) => scope.postMessage({ kind: "state", state }),
    });
    reload = (trigger) => void running.slot.reload(trigger);
    stop = async () => {
      const result = await running.stop();
      scope.postMessage({ kind: "stopped", ...result });
    };
  } catch (error) {
    scope.postMessage({ kind: "failed", message: (error as Error).message });
  }
}

scope.onmessage = ({ data }) => {
  switch (data.kind) {
    case "start":
      return void start(data);
    case "peer-state":
      return void peerStates.set(data.instance, data.state);
    case "reload":
      return reload(data.trigger);
    case "log-written": {
      const pending = pendingWrites.get(data.id);
      pendingWrites.delete(data.id);
      if (data.error === undefined) pending?.resolve();
      else pending?.reject(new Error(data.error));
      return;
    }
    case "stop":
      return stop();
  }
};
