/**
 * Starts a long-lived server as a detached process group that outlives its caller, with
 * output appended to a log file, and stops such a group again by its pid.
 *
 * @module
 */

/** A detached process: its pid (also its process group id) and how it ended. */
export interface DetachedProcess {
  readonly pid: number;
  /** Resolves with the exit code if the process ends; it never keeps the caller alive. */
  readonly exited: Promise<number>;
}

/**
 * Spawns `command args…` in a new session, appending stdout and stderr to `logFile`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 *
 * const dir = await Deno.makeTempDir();
 * const server = spawnDetached("/bin/sleep", ["30"], join(dir, "server.log"));
 * assert.match((await commandLine(server.pid)) ?? "", /sleep 30/);
 * await stopProcessGroup(server.pid);
 * assert.equal(await commandLine(server.pid), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function spawnDetached(
  command: string,
  args: readonly string[],
  logFile: string,
  env: Record<string, string> = {},
): DetachedProcess {
  // Deno can only pipe or discard output, so a shell redirects it to the log and then
  // execs the command, which keeps the pid the same.
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", 'log="$1"; shift; exec "$@" >>"$log" 2>&1', "sh", logFile, command, ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  return { pid: child.pid, exited: child.status.then((status) => status.code) };
}

/**
 * The command line of a running process, from `ps` (reading `/proc/<pid>` would need
 * Deno's `--allow-all`); `undefined` if the process is gone or is a zombie.
 */
export async function commandLine(pid: number): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("ps", {
      args: ["-o", "stat=", "-o", "args=", "-p", String(pid)],
      stdout: "piped",
      stderr: "null",
    }).output();
    const line = new TextDecoder().decode(out.stdout).trim();
    if (!out.success || line === "" || line.startsWith("Z")) return undefined;
    return line.replace(/^\S+\s+/, "") || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends SIGTERM to the process group `pid`, then SIGKILL if it is still alive after
 * `graceMs`; resolves once the group leader is gone.
 */
export async function stopProcessGroup(pid: number, graceMs = 15_000): Promise<void> {
  signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (await commandLine(pid) !== undefined) {
    if (Date.now() >= deadline) {
      signalGroup(pid, "SIGKILL");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function signalGroup(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pid, signal);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
