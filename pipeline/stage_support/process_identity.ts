/**
 * Which process owns something (an MLflow run, the promotion lock), recorded so that a
 * later process can tell whether the owner still runs: the host, the pid and the
 * process's start time, so that a pid that another process has taken since is not
 * mistaken for the owner.
 *
 * The facts come from `ps` (Linux procps and macOS alike), not `/proc`, which Deno lets
 * only `--allow-all` read. Only a process on the same host can be checked; anything this
 * process cannot see for sure (another host, no `ps`, no `--allow-run`) is "unknown",
 * which callers treat as alive: they never act on an owner they cannot see.
 *
 * @module
 */
import { commandOutputSync } from "./command_output.ts";

/** A process as its owner recorded it. */
export interface ProcessIdentity {
  readonly host: string;
  readonly pid: number;
  /** When it started, as `ps -o lstart=` prints it in UTC; absent where `ps` cannot run. */
  readonly started?: string;
}

/** Whether a recorded process still runs, as far as this process can see. */
export type Liveness = "alive" | "gone" | "unknown";

/** The state and start time of `pid`, `null` when there is no such process, `undefined` when unknown. */
function psEntry(pid: number): { state: string; started: string } | null | undefined {
  // The start time must read the same in every process that compares it.
  const out = commandOutputSync("ps", ["-o", "stat=,lstart=", "-p", `${pid}`], {
    TZ: "UTC",
    LC_ALL: "C",
  });
  if (out === undefined) return undefined;
  if (out.text === "") return out.code === 0 ? undefined : null;
  const [state, ...started] = out.text.split(/\s+/);
  return { state, started: started.join(" ") };
}

/**
 * The host name: `Deno.hostname()` where `--allow-sys` grants it, else `uname -n` where
 * `--allow-run` does, else `"unknown"` (never prompting).
 */
export function hostName(): string {
  if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state === "granted") {
    return Deno.hostname();
  }
  return commandOutputSync("uname", ["-n"])?.text || "unknown";
}

/** This process. */
export function currentProcess(): ProcessIdentity {
  const entry = psEntry(Deno.pid);
  return { host: hostName(), pid: Deno.pid, started: entry?.started };
}

/**
 * Whether `owner` still runs: `gone` only when this host can tell for sure (no such pid,
 * a zombie, or a process that started at another time), `unknown` for another host or
 * where `ps` cannot run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentProcess, processLiveness } from "./process_identity.ts";
 *
 * const me = currentProcess();
 * assert.notEqual(processLiveness(me), "gone"); // "alive"; "unknown" where `ps` cannot run
 * assert.equal(processLiveness(me, "another-host"), "unknown"); // cannot be checked from here
 * ```
 */
export function processLiveness(owner: ProcessIdentity, host: string = hostName()): Liveness {
  if (owner.host !== host || !Number.isInteger(owner.pid) || owner.pid <= 0) return "unknown";
  const entry = psEntry(owner.pid);
  if (entry === undefined) return "unknown";
  if (entry === null || entry.state.startsWith("Z")) return "gone";
  if (owner.started !== undefined && owner.started !== entry.started) return "gone";
  return "alive";
}

/** `owner` in words, for messages: `pid 123 on host web-1`. */
export function describeProcess(owner: Pick<ProcessIdentity, "host" | "pid">): string {
  return `pid ${owner.pid} on host ${owner.host}`;
}
