/**
 * Runs a command to completion and collects its output as text, with an optional time
 * limit after which the command is killed. The one process runner of the container tools
 * and the tests that drive podman, git, make and PostgreSQL.
 *
 * @module
 */

/** How a command ended and what it printed. */
export interface CommandResult {
  /** The exit code (128 + the signal number when it was killed). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether it was killed for running past `timeoutMs`. */
  readonly timedOut: boolean;
}

/** Options of {@linkcode runCommand}. */
export interface RunOptions {
  readonly cwd?: string;
  /** Added to (and overriding) the inherited environment. */
  readonly env?: Record<string, string>;
  /** Fed to standard input while the output is read, so neither side can block the other. */
  readonly stdin?: ReadableStream<Uint8Array>;
  /** Kill the command (SIGTERM) if it runs longer than this. */
  readonly timeoutMs?: number;
}

/**
 * Runs `command args…`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { code, stdout } = await runCommand("echo", ["hello"]);
 * assert.equal(code, 0);
 * assert.equal(stdout, "hello\n");
 * const slow = await runCommand("sleep", ["5"], { timeoutMs: 100 });
 * assert.equal(slow.timedOut, true);
 * ```
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const signal = options.timeoutMs === undefined
    ? undefined
    : AbortSignal.timeout(options.timeoutMs);
  const child = new Deno.Command(command, {
    args: [...args],
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    signal,
  }).spawn();
  const [output] = await Promise.all([
    child.output(),
    options.stdin?.pipeTo(child.stdin),
  ]);
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    stdout: text(output.stdout),
    stderr: text(output.stderr),
    timedOut: signal?.aborted ?? false,
  };
}
