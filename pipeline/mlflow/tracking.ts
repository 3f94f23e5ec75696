/**
 * Experiments, runs, params, metrics, tags and dataset inputs over the MLflow REST API.
 *
 * @module
 */
import { z } from "zod";
import { MlflowError } from "./errors.ts";
import { type BatchInput, planBatches } from "./log_batch.ts";
import { collectPages } from "./paging.ts";
import { Experiment, Metric, Run, RunInfo, type RunStatus, toKeyValueList } from "./schemas.ts";
import type { HttpTransport } from "./transport.ts";

const API = "/api/2.0/mlflow";
const Empty = z.object({});

/** The tag MLflow uses to nest a run under its parent in the UI. */
export const PARENT_RUN_TAG = "mlflow.parentRunId";

/** Options of {@linkcode TrackingApi.createRun}. */
export interface CreateRunOptions {
  readonly experimentId: string;
  readonly runName?: string;
  /** Epoch milliseconds; defaults to now. */
  readonly startTime?: number;
  readonly tags?: Readonly<Record<string, string>>;
  /** Nests the new run under this run. */
  readonly parentRunId?: string;
}

/** Options of {@linkcode TrackingApi.searchRuns}. */
export interface SearchRunsOptions {
  readonly experimentIds: readonly string[];
  /** MLflow search syntax, e.g. `params.model = 'ridge' and metrics.rmse < 0.2`. */
  readonly filter?: string;
  /** e.g. `["metrics.rmse ASC"]`. */
  readonly orderBy?: readonly string[];
  /** Defaults to every matching run. */
  readonly maxResults?: number;
}

/** A dataset a run used; `source` is a path or URI, `digest` at most 36 characters. */
export interface DatasetSpec {
  readonly name: string;
  readonly digest: string;
  readonly source: string;
  /** Defaults to `local`. */
  readonly sourceType?: string;
  /** JSON text describing the columns. */
  readonly schema?: string;
  /** JSON text with summary statistics, e.g. `{"num_rows": 1994}`. */
  readonly profile?: string;
  /** How the run used it, e.g. `training` or `evaluation`. */
  readonly context?: string;
}

/** What starts and ends runs: the tracking API itself, or a caller's own record of its runs. */
export type RunStarter = Pick<TrackingApi, "createRun" | "terminateRun">;

/** The run-tracking half of the MLflow API. */
export class TrackingApi {
  readonly #http: HttpTransport;

  /** Uses `http` for every call. */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /** The experiment with this name, or `undefined` if there is none. */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      const body = await this.#http.json(
        "GET",
        `${API}/experiments/get-by-name`,
        z.object({ experiment: Experiment }),
        { query: { experiment_name: name } },
      );
      return body.experiment;
    } catch (error) {
      if (error instanceof MlflowError && error.hasCode("RESOURCE_DOES_NOT_EXIST")) {
        return undefined;
      }
      throw error;
    }
  }

  /** Creates an experiment and returns its id. */
  async createExperiment(name: string, tags: Record<string, string> = {}): Promise<string> {
    const body = await this.#http.json(
      "POST",
      `${API}/experiments/create`,
      z.object({ experiment_id: z.string() }),
      { json: { name, tags: toKeyValueList(tags) } },
    );
    return body.experiment_id;
  }

  /** Sets (or overwrites) one tag of an experiment. */
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.#http.json("POST", `${API}/experiments/set-experiment-tag`, Empty, {
      json: { experiment_id: experimentId, key, value },
    });
  }

  /**
   * The experiment with this name, created if missing and restored if deleted, so that
   * re-running a pipeline always logs to the same experiment. `tags` are set on a new
   * experiment, and on an existing one those it lacks (a tag someone changed since, e.g.
   * the experiment kind in the UI, is left as it is).
   */
  async getOrCreateExperiment(
    name: string,
    tags: Readonly<Record<string, string>> = {},
  ): Promise<Experiment> {
    const existing = await this.getExperimentByName(name);
    if (existing) {
      const restored: Experiment = existing.lifecycle_stage === "deleted"
        ? await this.#restore(existing)
        : existing;
      const missing = Object.entries(tags).filter(([key]) => !(key in restored.tags));
      for (const [key, value] of missing) {
        await this.setExperimentTag(restored.experiment_id, key, value);
      }
      return { ...restored, tags: { ...Object.fromEntries(missing), ...restored.tags } };
    }
    try {
      await this.createExperiment(name, { ...tags });
    } catch (error) {
      // Another process may have created it between our lookup and our create.
      if (!(error instanceof MlflowError && error.hasCode("RESOURCE_ALREADY_EXISTS"))) throw error;
      return this.getOrCreateExperiment(name, tags);
    }
    const created = await this.getExperimentByName(name);
    if (created) return created;
    throw new Error(`MLflow experiment "${name}" was created but cannot be found`);
  }

  async #restore(experiment: Experiment): Promise<Experiment> {
    await this.#http.json("POST", `${API}/experiments/restore`, Empty, {
      json: { experiment_id: experiment.experiment_id },
    });
    return { ...experiment, lifecycle_stage: "active" };
  }

  /** Starts a run (status `RUNNING`). */
  async createRun(options: CreateRunOptions): Promise<Run> {
    const tags = { ...options.tags };
    if (options.parentRunId) tags[PARENT_RUN_TAG] = options.parentRunId;
    const body = await this.#http.json("POST", `${API}/runs/create`, z.object({ run: Run }), {
      json: {
        experiment_id: options.experimentId,
        run_name: options.runName,
        start_time: options.startTime ?? Date.now(),
        tags: toKeyValueList(tags),
      },
    });
    return body.run;
  }

  /** A run with its params, tags, latest metric values and dataset inputs. */
  async getRun(runId: string): Promise<Run> {
    const body = await this.#http.json("GET", `${API}/runs/get`, z.object({ run: Run }), {
      query: { run_id: runId },
    });
    return body.run;
  }

  /** Changes a run's status, end time or name. */
  async updateRun(
    runId: string,
    changes: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    const body = await this.#http.json(
      "POST",
      `${API}/runs/update`,
      z.object({ run_info: RunInfo }),
      {
        json: {
          run_id: runId,
          status: changes.status,
          end_time: changes.endTime,
          run_name: changes.runName,
        },
      },
    );
    return body.run_info;
  }

  /** Ends a run with a terminal status, by default `FINISHED` now. */
  terminateRun(
    runId: string,
    status: "FINISHED" | "FAILED" | "KILLED" = "FINISHED",
    endTime: number = Date.now(),
  ): Promise<RunInfo> {
    return this.updateRun(runId, { status, endTime });
  }

  /** Active runs of the experiments that match the filter, across all result pages. */
  searchRuns(options: SearchRunsOptions): Promise<Run[]> {
    const Page = z.object({
      runs: z.array(Run).default([]),
      next_page_token: z.string().optional(),
    });
    return collectPages(
      async (pageSize, pageToken) => {
        const body = await this.#http.json("POST", `${API}/runs/search`, Page, {
          json: {
            experiment_ids: options.experimentIds,
            filter: options.filter,
            order_by: options.orderBy,
            max_results: pageSize,
            page_token: pageToken,
          },
        });
        return { items: body.runs, nextPageToken: body.next_page_token };
      },
      options.maxResults ?? Infinity,
      1000,
    );
  }

  /**
   * Logs params, tags and metrics in as few requests as the server's limits allow and
   * returns how many requests that took.
   */
  async logBatch(runId: string, input: BatchInput): Promise<number> {
    const batches = planBatches(input);
    for (const batch of batches) {
      await this.#http.json("POST", `${API}/runs/log-batch`, Empty, {
        json: { run_id: runId, ...batch },
      });
    }
    return batches.length;
  }

  /** Every logged point of one metric, in the order MLflow returns them (by step). */
  getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const Page = z.object({
      metrics: z.array(Metric).default([]),
      next_page_token: z.string().optional(),
    });
    return collectPages(
      async (pageSize, pageToken) => {
        const body = await this.#http.json("GET", `${API}/metrics/get-history`, Page, {
          query: { run_id: runId, metric_key: key, max_results: pageSize, page_token: pageToken },
        });
        return { items: body.metrics, nextPageToken: body.next_page_token };
      },
      Infinity,
      5000,
    );
  }

  /** Records the datasets a run used; they show in the run's "Datasets" panel. */
  async logInputs(runId: string, datasets: readonly DatasetSpec[]): Promise<void> {
    await this.#http.json("POST", `${API}/runs/log-inputs`, Empty, {
      json: {
        run_id: runId,
        datasets: datasets.map((d) => ({
          tags: d.context ? [{ key: "mlflow.data.context", value: d.context }] : [],
          dataset: {
            name: d.name,
            digest: d.digest,
            source_type: d.sourceType ?? "local",
            source: JSON.stringify({ uri: d.source }),
            schema: d.schema,
            profile: d.profile,
          },
        })),
      },
    });
  }
}
