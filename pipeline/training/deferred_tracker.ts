/**
 * A {@link Tracker} that records in the background: each event is queued behind the
 * previous one and the training loop goes on at once. A tuned candidate brings hundreds
 * of trial runs, whose requests then overlap the final cross-validation and fits
 * instead of holding them up.
 *
 * @module
 */
import type { Tracker } from "./tracker.ts";

/** A tracker whose events are recorded in order, in the background, until flushed. */
export interface DeferredTracker {
  readonly tracker: Tracker;
  /** Waits for every event so far; rejects with the first failure, after which nothing more is recorded. */
  flush(): Promise<void>;
}

/**
 * Queues every event for `inner`, in the order received.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deferTracker } from "./deferred_tracker.ts";
 *
 * const heard: string[] = [];
 * const slow = {
 *   candidate: async (result: { name: string }) => {
 *     await new Promise((resolve) => setTimeout(resolve, 10));
 *     heard.push(result.name);
 *   },
 *   final: (name: string) => Promise.resolve(void heard.push(`final ${name}`)),
 * };
 * const deferred = deferTracker(slow as never);
 * await deferred.tracker.candidate({ name: "ridge" } as never, {});
 * await deferred.tracker.final("ridge", {} as never, {});
 * assert.deepEqual(heard, []); // nothing recorded yet: the loop did not wait
 * await deferred.flush();
 * assert.deepEqual(heard, ["ridge", "final ridge"]); // in order
 * ```
 */
export function deferTracker(inner: Tracker): DeferredTracker {
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (event: () => Promise<void>): Promise<void> => {
    queue = queue.then(event);
    // The failure is kept for flush; the loop is not interrupted by it.
    queue.catch(() => {});
    return Promise.resolve();
  };
  return {
    tracker: {
      candidate: (result, summary) => enqueue(() => inner.candidate(result, summary)),
      final: (name, fitted, summary) => enqueue(() => inner.final(name, fitted, summary)),
    },
    flush: () => queue,
  };
}
