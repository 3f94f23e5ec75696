/**
 * When loads happen besides `POST /admin/reload`: retries of the first load until a
 * model is served (with capped exponential backoff), then, if configured, a check of the
 * source every few seconds. Both stop when the signal aborts.
 *
 * @module
 */
import type { ModelHolder } from "./model_slot.ts";

/** Delays of the first-load retries. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Retry delays for a model that failed to load at start-up. */
export const STARTUP_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000 };

/**
 * The start-up backoff for a server that polls its source every `intervalMs` (0 for
 * never): retries are never further apart than the polls, so a model registered after the
 * server started is served as soon as a poll would have found it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { STARTUP_BACKOFF, startupBackoff } from "./reload_schedule.ts";
 * assert.deepEqual(startupBackoff(5000), { initialMs: 1000, maxMs: 5000 });
 * assert.deepEqual(startupBackoff(0), STARTUP_BACKOFF);
 * ```
 */
export function startupBackoff(intervalMs: number): Backoff {
  if (intervalMs <= 0 || intervalMs >= STARTUP_BACKOFF.maxMs) return STARTUP_BACKOFF;
  return { initialMs: Math.min(STARTUP_BACKOFF.initialMs, intervalMs), maxMs: intervalMs };
}

/** Loads until a model is served or `signal` aborts; returns whether one is served. */
export async function loadUntilServed(
  slot: ModelHolder,
  signal: AbortSignal,
  backoff: Backoff = STARTUP_BACKOFF,
): Promise<boolean> {
  let delay = backoff.initialMs;
  while (!signal.aborted) {
    const outcome = await slot.reload("startup");
    if (outcome.status !== "failed") return true;
    await sleep(delay, signal);
    delay = Math.min(backoff.maxMs, delay * 2);
  }
  return false;
}

/** Reloads every `intervalMs` until `signal` aborts; each failure keeps the current model. */
export async function pollForUpdates(
  slot: ModelHolder,
  intervalMs: number,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    await sleep(intervalMs, signal);
    if (!signal.aborted) await slot.reload("poll");
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
