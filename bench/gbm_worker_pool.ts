/**
 * A fixed set of workers that fit cross-validation folds (`gbm_cv_worker.ts`), started
 * once so that timing a run excludes starting them and compiling the model code.
 *
 * @module
 */
import type { FoldJob, FoldResult } from "./gbm_cv_worker.ts";

/** Workers ready to fit folds; `run` hands out jobs, one at a time per worker. */
export interface FoldPool {
  readonly size: number;
  run(jobs: readonly FoldJob[], onResult?: (result: FoldResult) => void): Promise<FoldResult[]>;
  close(): void;
}

/** Starts `size` fold workers. */
export function foldPool(size: number): FoldPool {
  const workers = Array.from(
    { length: size },
    () => new Worker(new URL("./gbm_cv_worker.ts", import.meta.url), { type: "module" }),
  );
  const fit = (worker: Worker, job: FoldJob) =>
    new Promise<FoldResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FoldResult>) => resolve(event.data);
      worker.onerror = reject;
      worker.postMessage(job);
    });
  return {
    size,
    async run(jobs, onResult) {
      const queue = [...jobs];
      const results: FoldResult[] = [];
      await Promise.all(workers.map(async (worker) => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const result = await fit(worker, job);
          results.push(result);
          onResult?.(result);
        }
      }));
      return results;
    },
    close: () => workers.forEach((worker) => worker.terminate()),
  };
}
