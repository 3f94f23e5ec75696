/**
 * The edge of every stage entry point: runs it, and turns a failure into a one-line
 * message on stderr and exit code 1 instead of a stack trace.
 *
 * @module
 */

/** A failure the user can fix; its message is shown as is. */
export class StageError extends Error {
  override name = "StageError";
}

/**
 * Runs `main` and exits 1 with `<stage>: <message>` when it throws.
 *
 * @example
 * ```ts
 * async function main(): Promise<void> {
 *   // read the stage's inputs, throw a StageError on bad data, write its outputs
 * }
 * if (import.meta.main) await runStage("validate", main);
 * ```
 */
export async function runStage(stage: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${stage} failed:\n${message}`);
    if (Deno.env.get("PIPELINE_DEBUG") && error instanceof Error) console.error(error.stack);
    Deno.exit(1);
  }
}
