/**
 * One {@link Tracker} that reports to several, so that the training loop records to a
 * second tracker without knowing it.
 *
 * @module
 */
import type { Tracker } from "./tracker.ts";

/**
 * Reports each event to every tracker in turn, in the order given; a tracker's failure
 * stops the event there (the first tracker is the one whose failure fails training).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fanOutTracker } from "./fan_out_tracker.ts";
 * import type { Tracker } from "./tracker.ts";
 *
 * const heard: string[] = [];
 * const named = (label: string): Tracker => ({
 *   candidate: (result) => Promise.resolve(void heard.push(`${label} ${result.name}`)),
 *   final: (name) => Promise.resolve(void heard.push(`${label} final ${name}`)),
 * });
 * const tracker = fanOutTracker([named("a"), named("b")]);
 * await tracker.final("ridge", {} as never, {});
 * assert.deepEqual(heard, ["a final ridge", "b final ridge"]);
 * ```
 */
export function fanOutTracker(trackers: readonly Tracker[]): Tracker {
  return {
    async candidate(result, summary) {
      for (const tracker of trackers) await tracker.candidate(result, summary);
    },
    async final(name, fitted, summary) {
      for (const tracker of trackers) await tracker.final(name, fitted, summary);
    },
  };
}
