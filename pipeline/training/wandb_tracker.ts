/**
 * The Weights & Biases implementation of the training {@link Tracker}: the same runs as
 * MLflow's (`tracked_runs.ts`), recorded by W&B's own Python SDK in one long-lived
 * process per training (`wandb_bridge.py`), fed a JSON line per run. In offline mode (the
 * default, see `wandb_settings.ts`) each run is a directory under `WANDB_DIR/wandb/`
 * that `wandb sync` uploads later.
 *
 * W&B is a second tracker: its failure never fails training. The tracker then records
 * nothing more and says why once, in one line, when it is closed.
 *
 * @module
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { fanOutTracker } from "./fan_out_tracker.ts";
import { candidateRun, finalRun, type TrackedRun } from "./tracked_runs.ts";
import { NO_TRACKER, type Tracker } from "./tracker.ts";
import { wandbRuns } from "./wandb_runs.ts";
import { type WandbSettings, wandbSettings } from "./wandb_settings.ts";

const BRIDGE = fileURLToPath(new URL("./wandb_bridge.py", import.meta.url));

/** A run the SDK recorded: its W&B id and its `.wandb` file. */
export interface RecordedWandbRun {
  readonly name: string;
  readonly id: string;
  readonly file: string;
}

/** A tracker writing W&B runs until it is closed. */
export interface WandbTracker extends Tracker {
  /**
   * Waits for the SDK to write every run and ends its process (killed after the
   * time limit); the runs it recorded. Never throws; calling it again answers the same.
   */
  close(): Promise<readonly RecordedWandbRun[]>;
}

/** Options of {@linkcode wandbTracker}. */
export interface WandbTrackerOptions {
  readonly settings: WandbSettings;
  /** The W&B group of the training's runs (the MLflow training run's id). */
  readonly group: string;
  /** Where the tracker's one-line notices go (standard error by default). */
  readonly notice?: (line: string) => void;
  /** How long {@linkcode WandbTracker.close} waits for the SDK; 60 s by default. */
  readonly closeTimeoutMs?: number;
}

/** What the bridge answered: the runs it recorded and its error, if any. */
function readAnswers(stdout: string): { runs: RecordedWandbRun[]; error?: string } {
  const runs: RecordedWandbRun[] = [];
  for (const line of stdout.split("\n").filter((l) => l.trim() !== "")) {
    let answer: Record<string, unknown>;
    try {
      answer = JSON.parse(line);
    } catch {
      return { runs, error: `the W&B process printed "${line.slice(0, 200)}"` };
    }
    if (typeof answer.error === "string") return { runs, error: answer.error };
    if (typeof answer.id === "string") runs.push(answer as unknown as RecordedWandbRun);
  }
  return { runs };
}

/** The last line a failed process wrote to stderr, for a one-line notice. */
function lastLine(text: string): string {
  return text.trim().split("\n").at(-1)?.trim() || "no message";
}

/**
 * Starts the SDK's process and returns a tracker that sends it every run.
 *
 * @example Needs the `wandb` package in the project's virtualenv
 * ```ts ignore
 * const tracker = wandbTracker({ settings: { project: "crime", mode: "offline", python }, group });
 * await trainSelected(params, data, split, tracker, progress);
 * const runs = await tracker.close(); // [{ name: "ridge", id: "1x2y3z4w", file: "…/run-1x2y3z4w.wandb" }, …]
 * ```
 */
export function wandbTracker(options: WandbTrackerOptions): WandbTracker {
  const { settings } = options;
  const notice = options.notice ?? ((line: string) => console.error(line));
  const timeoutMs = options.closeTimeoutMs ?? 60_000;
  const off = (reason: string, recorded = 0) =>
    notice(
      `W&B: ${recorded > 0 ? `only ${recorded} runs` : "no runs"} recorded (training goes on): ` +
        reason,
    );
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(settings.python, {
      args: [
        BRIDGE,
        ...["--project", settings.project, "--group", options.group, "--mode", settings.mode],
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { WANDB_SILENT: "true" },
    }).spawn();
  } catch (error) {
    off(`cannot run ${settings.python} (${(error as Error).message})`);
    return { ...NO_TRACKER, close: () => Promise.resolve([]) };
  }
  // Both outputs are read from the start, so that the process never blocks on a full pipe.
  const output = Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.status,
  ]);
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  let sent = 0;
  let writable = true;
  // Lines are written one after the other, off the training's path: a process that stops
  // reading must not hold training up.
  let writing = Promise.resolve();
  const send = (run: TrackedRun) => {
    for (const wandbRun of wandbRuns(run)) {
      const line = encoder.encode(JSON.stringify(wandbRun) + "\n");
      writing = writing.then(async () => {
        if (!writable) return;
        try {
          await writer.write(line);
          sent++;
        } catch {
          // The process has ended; close() says why.
          writable = false;
        }
      });
    }
    return Promise.resolve();
  };
  const finish = async (): Promise<readonly RecordedWandbRun[]> => {
    const done = writing.then(() => writer.close()).catch(() => {}).then(() => output);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const ended = await Promise.race([done, timedOut]);
    clearTimeout(timer);
    if (ended === "timeout") {
      child.kill("SIGKILL");
      const { runs } = readAnswers((await output)[0]);
      off(`the W&B SDK had not finished after ${timeoutMs / 1000} s and was stopped`, runs.length);
      return runs;
    }
    const [stdout, stderr, status] = ended;
    const { runs, error } = readAnswers(stdout);
    if (error !== undefined) off(error, runs.length);
    else if (!status.success) {
      off(`the W&B process exited with code ${status.code}: ${lastLine(stderr)}`, runs.length);
    } else if (runs.length < sent) {
      off(`${sent - runs.length} of ${sent} runs were lost`, runs.length);
    } else if (runs.length > 0) {
      const where = dirname(dirname(runs[0].file));
      notice(
        settings.mode === "offline"
          ? `W&B: ${runs.length} offline runs in ${where} (upload them with \`wandb sync ${where}\`)`
          : `W&B: ${runs.length} runs recorded`,
      );
    }
    return runs;
  };
  let closing: Promise<readonly RecordedWandbRun[]> | undefined;
  return {
    candidate: (result, summary) => send(candidateRun(result, summary)),
    final: (name, fitted, summary) => send(finalRun(name, fitted, summary)),
    close: () => closing ??= finish(),
  };
}

/** The training's tracker with W&B beside it when configured, and how to close W&B. */
export interface Trackers {
  readonly tracker: Tracker;
  /** Ends W&B's process, if any (never throws). */
  close(): Promise<void>;
}

/**
 * `tracker`, and W&B beside it when the environment turns it on ({@linkcode wandbSettings}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NO_TRACKER } from "./tracker.ts";
 * import { withWandb } from "./wandb_tracker.ts";
 *
 * const { tracker, close } = withWandb(NO_TRACKER, "run-1", undefined);
 * assert.equal(tracker, NO_TRACKER); // W&B off: the tracker as it is
 * await close();
 * ```
 */
export function withWandb(
  tracker: Tracker,
  group: string,
  settings: WandbSettings | undefined = wandbSettings(),
): Trackers {
  if (settings === undefined) return { tracker, close: () => Promise.resolve() };
  const wandb = wandbTracker({ settings, group });
  return { tracker: fanOutTracker([tracker, wandb]), close: async () => void await wandb.close() };
}
