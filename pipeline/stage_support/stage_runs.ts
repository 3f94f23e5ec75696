/**
 * The MLflow runs a stage process opens, so that none is left RUNNING forever:
 *
 * - every run is tagged with its owner process (`pipeline.host`, `pipeline.pid` and
 *   `pipeline.process_start`, its start time), and with MLflow's system tags (user,
 *   entry point, source type, git commit and branch: {@linkcode runSystemTags});
 * - the runs still open when the stage fails end as FAILED, and on SIGINT or SIGTERM as
 *   KILLED (MLflow's status for a run stopped from outside) before the process exits
 *   ({@linkcode exitOnSignal});
 * - a run nobody could end (SIGKILL, a crash, MLflow down at the time) is found when the
 *   next stage starts: RUNNING, owned by a process of this host that no longer exists,
 *   and marked FAILED ({@linkcode failAbandonedRuns}).
 *
 * @module
 */
import { StageStopping } from "./run_stage.ts";
import type { MlflowClient, Run, RunInfo } from "../mlflow/client.ts";
import type { CreateRunOptions } from "../mlflow/tracking.ts";
import {
  currentProcess,
  describeProcess,
  type ProcessIdentity,
  processLiveness,
} from "./process_identity.ts";
import { runSystemTags } from "./run_source.ts";

/** The run tags that name the owner process, and why a run was ended for it. */
export const OWNER_TAG = {
  host: "pipeline.host",
  pid: "pipeline.pid",
  processStart: "pipeline.process_start",
  endReason: "pipeline.end_reason",
} as const;

/** A terminal run status. */
export type EndStatus = "FINISHED" | "FAILED" | "KILLED";

/** The owner tags of `owner`. */
export function ownerTags(owner: ProcessIdentity): Record<string, string> {
  const tags: Record<string, string> = {
    [OWNER_TAG.host]: owner.host,
    [OWNER_TAG.pid]: `${owner.pid}`,
  };
  if (owner.started !== undefined) tags[OWNER_TAG.processStart] = owner.started;
  return tags;
}

/** The owner recorded in a run's tags, if it has one. */
export function runOwner(tags: Readonly<Record<string, string>>): ProcessIdentity | undefined {
  const host = tags[OWNER_TAG.host];
  const pid = Number(tags[OWNER_TAG.pid]);
  if (!host || !Number.isInteger(pid)) return undefined;
  return { host, pid, started: tags[OWNER_TAG.processStart] };
}

/**
 * The runs of one stage process: creates them with the system and owner tags and remembers the ones
 * not yet ended. It has `createRun` and `terminateRun` like `client.tracking`, so it can
 * stand in for it (the training tracker takes either).
 *
 * @example
 * ```ts ignore
 * const runs = new StageRuns(client);
 * exitOnSignal("train", (signal) => runs.endOpen("KILLED", `interrupted by ${signal}`));
 * const run = await runs.createRun({ experimentId });
 * await runs.terminateRun(run.info.run_id);
 * ```
 */
export class StageRuns {
  readonly #client: MlflowClient;
  readonly #tags: Record<string, string>;
  /** Open run ids, oldest first. */
  readonly #open: string[] = [];
  #closed = false;

  /**
   * Runs of `client`'s server, owned by this process unless `owner` says otherwise, with
   * this process's system tags unless `systemTags` says otherwise.
   */
  constructor(
    client: MlflowClient,
    owner: ProcessIdentity = currentProcess(),
    systemTags: Readonly<Record<string, string>> = runSystemTags(),
  ) {
    this.#client = client;
    this.#tags = { ...systemTags, ...ownerTags(owner) };
  }

  /** Ids of the runs started and not yet ended, oldest first. */
  get open(): readonly string[] {
    return [...this.#open];
  }

  /** Starts a run tagged with its source and owner; refused once {@linkcode endOpen} has run. */
  async createRun(options: CreateRunOptions): Promise<Run> {
    if (this.#closed) {
      throw new StageStopping("the stage is stopping: no new MLflow run is started");
    }
    const run = await this.#client.tracking.createRun({
      ...options,
      tags: { ...this.#tags, ...options.tags },
    });
    this.#open.push(run.info.run_id);
    if (this.#closed) await this.#end(run.info.run_id, "KILLED", "the stage was stopping");
    return run;
  }

  /** Ends a run (by default FINISHED). */
  async terminateRun(runId: string, status: EndStatus = "FINISHED"): Promise<RunInfo> {
    const info = await this.#client.tracking.terminateRun(runId, status);
    this.#forget(runId);
    return info;
  }

  /**
   * Ends every open run, newest (innermost) first, with `status` and `reason` as the
   * `pipeline.end_reason` tag, and refuses new runs from then on. Tries every run even
   * when one fails, then throws the first failure.
   */
  async endOpen(status: Exclude<EndStatus, "FINISHED">, reason: string): Promise<void> {
    this.#closed = true;
    const failures: unknown[] = [];
    for (const runId of [...this.#open].reverse()) {
      await this.#end(runId, status, reason).catch((error) => failures.push(error));
    }
    if (failures.length > 0) throw failures[0];
  }

  /**
   * Ends the open runs FAILED with the error's message as the reason, never throwing,
   * unless a signal is stopping the stage: its handler ends them KILLED.
   */
  async failOpen(error: unknown): Promise<void> {
    if (error instanceof StageStopping) return;
    const reason = error instanceof Error ? error.message : String(error);
    await this.endOpen("FAILED", reason.slice(0, 1000)).catch(() => {});
  }

  async #end(runId: string, status: EndStatus, reason: string): Promise<void> {
    await this.#client.tracking.logBatch(runId, { tags: { [OWNER_TAG.endReason]: reason } });
    await this.terminateRun(runId, status);
  }

  #forget(runId: string): void {
    const i = this.#open.indexOf(runId);
    if (i >= 0) this.#open.splice(i, 1);
  }
}

/** Options of {@linkcode exitOnSignal}. */
export interface SignalOptions {
  /** How long `cleanup` may take before the process exits anyway; default 15 s. */
  readonly timeoutMs?: number;
  /** Where the one-line notes go; defaults to stderr. */
  readonly log?: (line: string) => void;
}

const SIGNAL_NUMBER = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * On the first SIGINT or SIGTERM, runs `cleanup` (bounded by a timeout) and exits with
 * 128 + the signal's number, as a process killed by it would; a second signal exits at
 * once. The handlers stay for the life of the process.
 *
 * A handler runs when the event loop turns, so a stage must not compute for long
 * without yielding to it (cross-validation yields after every fold).
 */
export function exitOnSignal(
  stage: string,
  cleanup: (signal: Deno.Signal) => Promise<void>,
  options: SignalOptions = {},
): void {
  const log = options.log ?? ((line: string) => console.error(line));
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      const code = 128 + SIGNAL_NUMBER[signal];
      if (stopping) Deno.exit(code);
      stopping = true;
      log(`${stage}: ${signal}: ending its MLflow runs as KILLED, then exiting`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not done after ${options.timeoutMs ?? 15_000} ms`)),
          options.timeoutMs ?? 15_000,
        );
      });
      try {
        await Promise.race([cleanup(signal), timeout]);
      } catch (error) {
        log(
          `${stage}: could not end its MLflow runs (${(error as Error).message}); ` +
            "the next stage marks them FAILED",
        );
      } finally {
        clearTimeout(timer);
      }
      Deno.exit(code);
    });
  }
}

/** One run {@linkcode failAbandonedRuns} ended. */
export interface AbandonedRun {
  readonly runId: string;
  readonly runName: string;
  readonly owner: ProcessIdentity;
}

/**
 * Marks FAILED the runs of `experimentIds` left RUNNING by a process of this host that no
 * longer runs, with the reason in `pipeline.end_reason`, and returns them. Runs without
 * owner tags, of other hosts, or of live processes are left alone.
 */
export async function failAbandonedRuns(
  client: MlflowClient,
  experimentIds: readonly string[],
  here: ProcessIdentity = currentProcess(),
): Promise<AbandonedRun[]> {
  const running = await client.tracking.searchRuns({
    experimentIds,
    filter: `attributes.status = 'RUNNING' and tags.\`${OWNER_TAG.host}\` = '${
      here.host.replaceAll("'", "\\'")
    }'`,
  });
  const abandoned: AbandonedRun[] = [];
  for (const run of running) {
    const owner = runOwner(run.data.tags);
    if (!owner || processLiveness(owner, here.host) !== "gone") continue;
    const reason = `${describeProcess(owner)} no longer runs (found by ${describeProcess(here)})`;
    await client.tracking.logBatch(run.info.run_id, { tags: { [OWNER_TAG.endReason]: reason } });
    await client.tracking.terminateRun(run.info.run_id, "FAILED");
    abandoned.push({ runId: run.info.run_id, runName: run.info.run_name, owner });
  }
  return abandoned;
}

/** {@linkcode failAbandonedRuns}, with one line on stderr per run it ended. */
export async function reportAbandonedRuns(
  stage: string,
  client: MlflowClient,
  experimentIds: readonly string[],
): Promise<void> {
  for (const run of await failAbandonedRuns(client, experimentIds)) {
    console.error(`${stage}: marked run ${run.runName || run.runId} FAILED: its process is gone`);
  }
}
