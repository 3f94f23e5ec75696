/**
 * The edge of every stage entry point: runs it, and turns a failure the user caused
 * into a message on stderr and exit code 1; any other failure is a bug and is printed
 * with its stack.
 *
 * @module
 */
import { UserError } from "../core/user_error.ts";

/** A failure the user can fix, found by a stage's own checks; its message is shown as is. */
export class StageError extends UserError {
  override name = "StageError";
}

/**
 * Raised when new work is refused because a signal is stopping the stage (see
 * `stage_runs.ts`): the work in progress gives up, and the signal's handler, not this
 * error, decides how the process ends.
 */
export class StageStopping extends Error {
  override name = "StageStopping";
}

/** How long a stopping stage waits for its signal handler to exit before exiting itself. */
const STOPPING_GRACE_MS = 30_000;

/**
 * Runs `main` and exits 1 with `<stage> failed:` and the error when it throws: the
 * message of a {@linkcode UserError}, the stack of anything else (and of user errors
 * too with `PIPELINE_DEBUG` set).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeFailure, runStage, StageError } from "./run_stage.ts";
 *
 * let wrote = false;
 * async function main(): Promise<void> {
 *   // read the stage's inputs, throw a StageError on bad data, write its outputs
 *   wrote = true;
 * }
 * // A stage file ends with `if (import.meta.main) await runStage("validate", main);`.
 * await runStage("validate", main); // main succeeded: runStage returns, nothing printed
 * assert.ok(wrote);
 * // Had main thrown this, runStage would print "validate failed:" and this line, then exit 1.
 * assert.equal(describeFailure(new StageError("fold 3 has no rows")), "fold 3 has no rows");
 * ```
 */
export async function runStage(stage: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof StageStopping) {
      await new Promise((resolve) => setTimeout(resolve, STOPPING_GRACE_MS));
    }
    console.error(`${stage} failed:\n${describeFailure(error)}`);
    Deno.exit(1);
  }
}

/**
 * What a failed stage prints: a user error's message, or the stack of a bug.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(describeFailure(new StageError("fold 3 has no rows")), "fold 3 has no rows");
 * assert.match(describeFailure(new TypeError("x is undefined")), /^TypeError: x is undefined\n\s+at /);
 * ```
 */
export function describeFailure(error: unknown, debug = Deno.env.get("PIPELINE_DEBUG")): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof UserError && !debug) return error.message;
  return error.stack ?? `${error.name}: ${error.message}`;
}
