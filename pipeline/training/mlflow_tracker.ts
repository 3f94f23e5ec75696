/**
 * The MLflow implementation of the training {@link Tracker}: one child run per
 * candidate (per-fold metrics as steps), nested under the training run, and one run per
 * tuning trial nested under its candidate's run (or under the final fit's), with the
 * study's history and parameter importances as interactive pages when a page renderer
 * is given. What each run holds is `tracked_runs.ts`'s, shared with the W&B tracker.
 *
 * @module
 */
import type { MlflowClient } from "../mlflow/client.ts";
import type { RunStarter } from "../mlflow/tracking.ts";
import { foldStudies, type Study } from "./study.ts";
import { importanceFigure, type StudyFigure, studyHistoryFigure } from "./study_figures.ts";
import { candidateRun, finalRun, type TrackedRun } from "./tracked_runs.ts";
import type { Tracker } from "./tracker.ts";

/** Renders a figure as a self-contained HTML page (`standalonePlotlyPage` with plotly.js). */
export type PageRenderer = (title: string, figure: StudyFigure) => string;

/** Sibling runs logged at once: the server answers a few requests in parallel. */
const CONCURRENT_RUNS = 8;

/**
 * Logs candidates and the final fit as nested runs of `parentRunId`, started and ended
 * through `runs` (by default the client's tracking API). A run's summary figures are
 * metrics at step 0, its figures by step metrics at their step, its params and tags
 * MLflow's; the runs under it nest under it. With `page`, a tuned candidate's run also
 * gets `tuning/history.html` and `tuning/importance.html` (study_figures.ts) of its
 * outer folds' searches, and a tuned final fit those of its own search.
 */
export function mlflowTracker(
  client: MlflowClient,
  experimentId: string,
  parentRunId: string,
  runs: RunStarter = client.tracking,
  page?: PageRenderer,
): Tracker {
  const log = async (run: TrackedRun, parent: string): Promise<string> => {
    const created = await runs.createRun({
      experimentId,
      runName: run.name,
      parentRunId: parent,
      tags: { ...run.tags },
    });
    const runId = created.info.run_id;
    await client.tracking.logBatch(runId, {
      params: run.params,
      metrics: [
        ...Object.entries(run.summary).map(([key, value]) => ({ key, value, step: 0 })),
        ...run.steps,
      ],
    });
    for (let start = 0; start < run.children.length; start += CONCURRENT_RUNS) {
      const batch = run.children.slice(start, start + CONCURRENT_RUNS);
      await Promise.all(batch.map((child) => log(child, runId)));
    }
    await runs.terminateRun(runId);
    return created.info.artifact_uri;
  };
  const pages = async (artifactUri: string, name: string, studies: readonly Study[]) => {
    if (!page || studies.length === 0) return;
    const figures: [string, string, StudyFigure][] = [
      ["tuning/history.html", `${name}: tuning history`, studyHistoryFigure(name, studies)],
      ["tuning/importance.html", `${name}: parameter importance`, importanceFigure(name, studies)],
    ];
    for (const [artifact, title, figure] of figures) {
      await client.artifacts.upload(artifactUri, artifact, page(title, figure));
    }
  };
  return {
    async candidate(result, summary) {
      const artifactUri = await log(candidateRun(result, summary), parentRunId);
      await pages(artifactUri, result.name, foldStudies(result));
    },
    async final(name, fitted, summary) {
      const artifactUri = await log(finalRun(name, fitted, summary), parentRunId);
      if (fitted.tuning) {
        await pages(artifactUri, name, [{ label: "final", tuning: fitted.tuning }]);
      }
    },
  };
}
