/**
 * Cross-validations in parallel on a few workers (`cv_worker.ts`): the training data is
 * sent to each worker once, and each job goes to the next free worker. The folds of one
 * candidate stay in one worker (they share nothing but the data), so a job's result is
 * the same, to the last bit, as in this thread (`cv_job.ts`'s `runCvJob`).
 *
 * @module
 */
import { UserError } from "../core/user_error.ts";
import type { CandidateResult, Progress, TrainingData } from "./cross_validate.ts";
import type { CvJob, CvRunner } from "./cv_job.ts";
import type { FromCvWorker, ToCvWorker } from "./cv_worker_protocol.ts";

interface Pending {
  readonly job: CvJob;
  readonly progress: Progress;
  readonly resolve: (result: CandidateResult) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  busy?: { readonly id: number; readonly pending: Pending };
}

/** A pool of cross-validation workers; `close` it when done. */
export class CvPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 0;

  /** Starts `size` workers (at least 1) and sends each the data. */
  constructor(data: TrainingData, size: number) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(new URL("./cv_worker.ts", import.meta.url), {
        type: "module",
        name: `cv-${i + 1}`,
      });
      const slot: Slot = { worker };
      worker.onmessage = (event: MessageEvent<FromCvWorker>) => this.#receive(slot, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.#finish(slot)?.reject(new Error(`cross-validation worker failed: ${event.message}`));
      };
      this.#send(slot, { kind: "data", data });
      this.#slots.push(slot);
    }
  }

  /** Runs a job on the next free worker. */
  readonly run: CvRunner = (job, progress) =>
    new Promise((resolve, reject) => {
      this.#queue.push({ job, progress, resolve, reject });
      this.#dispatch();
    });

  /** Stops every worker (jobs still running are abandoned). */
  close(): void {
    for (const slot of this.#slots) slot.worker.terminate();
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.busy !== undefined) continue;
      const pending = this.#queue.shift();
      if (pending === undefined) return;
      const id = this.#nextId++;
      slot.busy = { id, pending };
      this.#send(slot, { kind: "job", id, job: pending.job });
    }
  }

  #finish(slot: Slot): Pending | undefined {
    const pending = slot.busy?.pending;
    slot.busy = undefined;
    this.#dispatch();
    return pending;
  }

  #receive(slot: Slot, message: FromCvWorker): void {
    if (slot.busy?.id !== message.id) return;
    switch (message.kind) {
      case "progress":
        slot.busy.pending.progress(message.line);
        return;
      case "done":
        this.#finish(slot)?.resolve(message.result);
        return;
      case "failed": {
        const error = message.user ? new UserError(message.message) : new Error(message.message);
        this.#finish(slot)?.reject(error);
        return;
      }
    }
  }

  #send(slot: Slot, message: ToCvWorker): void {
    slot.worker.postMessage(message);
  }
}
