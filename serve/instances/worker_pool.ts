/**
 * The main thread's side of a multi-worker server: starts `--workers - 1` worker
 * instances on the main instance's port, writes their prediction-log bytes to the shared
 * log, relays metric snapshots and reload requests between all instances, and stops
 * them on shutdown.
 *
 * @module
 */
import type { ServeConfig } from "../config.ts";
import type { Logger } from "../telemetry/logger.ts";
import { type InstanceState, monitoringOf, type Peers } from "../http/peers.ts";
import type { ByteSink } from "../telemetry/prediction_log.ts";
import type { FromWorker, ToWorker } from "./worker_protocol.ts";

/** What the pool needs from the main thread. */
export interface WorkerPoolOptions {
  /** The main instance's configuration, with the port it actually listens on. */
  readonly config: ServeConfig;
  readonly logger: Logger;
  /** Where the workers' prediction-log bytes are written. */
  readonly predictionSink?: ByteSink;
  /** Reloads the main instance's model. */
  readonly reloadMain: (trigger: string) => void;
}

interface Member {
  readonly worker: Worker;
  readonly instance: number;
  state: "running" | "failed" | "stopped";
  stopped?: (result: { drained: boolean; droppedLogRows: number }) => void;
}

/** Worker instances 1 .. workers - 1, and the main instance's view of them. */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #members: Member[] = [];
  readonly #states = new Map<number, InstanceState>();

  /** Starts the workers; each logs "listening" once its model is loaded. */
  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    for (let instance = 1; instance < options.config.workers; instance++) {
      const worker = new Worker(new URL("./worker.ts", import.meta.url), {
        type: "module",
        name: `serve-${instance}`,
      });
      const member: Member = { worker, instance, state: "running" };
      this.#members.push(member);
      worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(member, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        member.state = "failed";
        options.logger.error("worker failed", { instance, error: event.message });
        member.stopped?.({ drained: false, droppedLogRows: 0 });
      };
      this.#send(member, { kind: "start", config: options.config, instance });
    }
  }

  /** The other instances as the main instance sees them. */
  readonly peers: Peers = {
    metrics: () => [...this.#states.values()].map((state) => state.metrics),
    monitoring: () => monitoringOf(this.#states.values()),
    requestReload: (trigger) => this.#broadcast({ kind: "reload", trigger }),
  };

  /** Sends the main instance's metrics and drift counts to every worker. */
  publishMain(state: InstanceState): void {
    this.#broadcast({ kind: "peer-state", instance: 0, state });
  }

  /** Drains and stops every worker; resolves with the log rows they dropped. */
  async stop(timeoutMs: number): Promise<{ drained: boolean; droppedLogRows: number }> {
    const results = await Promise.all(this.#members.map((member) => {
      if (member.state === "failed" || member.state === "stopped") {
        return { drained: true, droppedLogRows: 0 };
      }
      return new Promise<{ drained: boolean; droppedLogRows: number }>((resolve) => {
        const timer = setTimeout(() => resolve({ drained: false, droppedLogRows: 0 }), timeoutMs);
        member.stopped = (result) => {
          clearTimeout(timer);
          resolve(result);
        };
        this.#send(member, { kind: "stop" });
      });
    }));
    for (const member of this.#members) {
      member.state = "stopped";
      member.worker.terminate();
    }
    return {
      drained: results.every((r) => r.drained),
      droppedLogRows: results.reduce((sum, r) => sum + r.droppedLogRows, 0),
    };
  }

  #receive(member: Member, message: FromWorker): void {
    const { logger, predictionSink, reloadMain } = this.#options;
    switch (message.kind) {
      case "failed":
        member.state = "failed";
        logger.error("worker could not start", {
          instance: member.instance,
          error: message.message,
        });
        return;
      case "state":
        this.#states.set(member.instance, message.state);
        this.#broadcast(
          { kind: "peer-state", instance: member.instance, state: message.state },
          member,
        );
        return;
      case "reload":
        reloadMain(message.trigger);
        this.#broadcast({ kind: "reload", trigger: message.trigger }, member);
        return;
      case "log": {
        const written = predictionSink?.write(message.bytes) ?? Promise.resolve();
        written.then(
          () => this.#send(member, { kind: "log-written", id: message.id }),
          (error) =>
            this.#send(member, { kind: "log-written", id: message.id, error: String(error) }),
        );
        return;
      }
      case "stopped":
        member.state = "stopped";
        member.stopped?.(message);
        return;
    }
  }

  #send(member: Member, message: ToWorker): void {
    if (member.state !== "stopped" && member.state !== "failed") member.worker.postMessage(message);
  }

  #broadcast(message: ToWorker, except?: Member): void {
    for (const member of this.#members) if (member !== except) this.#send(member, message);
  }
}
