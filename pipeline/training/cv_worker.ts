/**
 * A cross-validation worker: keeps the training data it is sent once and runs the jobs
 * it is given (`cv_job.ts`), one at a time, posting progress and results back.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { UserError } from "../core/user_error.ts";
import type { TrainingData } from "./cross_validate.ts";
import { runCvJob } from "./cv_job.ts";
import type { FromCvWorker, ToCvWorker } from "./cv_worker_protocol.ts";

let data: TrainingData | undefined;
const post = (message: FromCvWorker) => self.postMessage(message);

self.onmessage = async (event: MessageEvent<ToCvWorker>) => {
  const message = event.data;
  if (message.kind === "data") {
    data = message.data;
    return;
  }
  const { id, job } = message;
  try {
    if (data === undefined) throw new Error("a cross-validation job came before the data");
    const result = await runCvJob(data, job, (line) => post({ kind: "progress", id, line }));
    post({ kind: "done", id, result });
  } catch (error) {
    post({
      kind: "failed",
      id,
      message: error instanceof Error ? error.message : String(error),
      user: error instanceof UserError,
    });
  }
};
