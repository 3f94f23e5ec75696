/**
 * The messages between the main thread and the worker instances of a multi-worker
 * server. The main thread relays between workers: metric snapshots and reload
 * requests go to every other instance, prediction-log bytes go to the one log file.
 *
 * @module
 */
import type { ServeConfig } from "../config.ts";
import type { InstanceState } from "../http/peers.ts";

/** From the main thread to a worker. */
export type ToWorker =
  /** Run an instance with this configuration (its port is the one the main thread got). */
  | { readonly kind: "start"; readonly config: ServeConfig; readonly instance: number }
  /** Another instance's metrics and drift counts. */
  | { readonly kind: "peer-state"; readonly instance: number; readonly state: InstanceState }
  /** Reload the model: another instance was asked to. */
  | { readonly kind: "reload"; readonly trigger: string }
  /** The main thread wrote (or failed to write) the log bytes sent with this id. */
  | { readonly kind: "log-written"; readonly id: number; readonly error?: string }
  /** Drain and stop. */
  | { readonly kind: "stop" };

/** From a worker to the main thread. */
export type FromWorker =
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "state"; readonly state: InstanceState }
  | { readonly kind: "reload"; readonly trigger: string }
  | { readonly kind: "log"; readonly id: number; readonly bytes: Uint8Array }
  | { readonly kind: "stopped"; readonly drained: boolean; readonly droppedLogRows: number };

/** How often each instance sends its metrics to the others. */
export const METRICS_INTERVAL_MS = 1000;
