/**
 * A command's output where this process may run it, without ever prompting for the
 * permission: the facts a stage records about itself (its process, its commit) are worth
 * having, not worth a prompt or a failure.
 *
 * @module
 */

const decoder = new TextDecoder();

/** Whether `--allow-run` grants `command`; never prompts. */
export function mayRun(command: string): boolean {
  return Deno.permissions.querySync({ name: "run", command }).state === "granted";
}

/** A finished command's exit code and trimmed stdout. */
export interface CommandOutput {
  readonly code: number;
  readonly text: string;
}

/**
 * `command args`'s exit code and trimmed stdout, or `undefined` where it cannot run (no
 * permission, no such program); stderr is dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandOutputSync } from "./command_output.ts";
 *
 * const out = commandOutputSync("uname", ["-s"]);
 * assert.ok(out === undefined || out.text.length > 0); // undefined without --allow-run
 * ```
 */
export function commandOutputSync(
  command: string,
  args: readonly string[],
  env?: Record<string, string>,
): CommandOutput | undefined {
  if (!mayRun(command)) return undefined;
  try {
    const out = new Deno.Command(command, { args: [...args], env, stdout: "piped", stderr: "null" })
      .outputSync();
    return { code: out.code, text: decoder.decode(out.stdout).trim() };
  } catch {
    return undefined;
  }
}
