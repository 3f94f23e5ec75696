/**
 * Figures of hyperparameter searches, as Plotly figures (plain objects, drawn by
 * report/plotly_html.ts in MLflow and by notebook/plotly_figure.ts in the notebooks):
 * the history (each trial's inner-CV score, pruned trials marked, and the best so far)
 * and the parameters' importances (parameter_importance.ts). A candidate is tuned once
 * per outer fold, so a figure shows several studies, one colour each.
 *
 * @module
 */
import { parameterImportance } from "./parameter_importance.ts";
import { runningBest, type Study, variedParameters } from "./study.ts";

/** A Plotly figure: traces and layout, as plotly.js takes them. */
export interface StudyFigure {
  readonly data: Record<string, unknown>[];
  readonly layout: Record<string, unknown>;
}

/**
 * Each trial's score against its number, pruned trials as crosses (their score is the
 * mean over the inner folds they reached), and the running best as a line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { studyHistoryFigure } from "./study_figures.ts";
 *
 * const trial = (score: number, state: "complete" | "pruned") => ({ params: { a: score }, score, foldScores: [score], state });
 * const tuning = { best: {}, bestScore: 1, trials: [trial(2, "complete"), trial(3, "pruned"), trial(1, "complete")], stoppedEarly: false, skipped: 0, elapsedMs: 1 };
 * const figure = studyHistoryFigure("gbm", [{ label: "fold 1", tuning }]);
 * assert.deepEqual(figure.data.map((t) => t.name), ["fold 1", "fold 1 pruned", "fold 1 best"]);
 * assert.deepEqual(figure.data[2].y, [2, 2, 1]);
 * ```
 */
export function studyHistoryFigure(title: string, studies: readonly Study[]): StudyFigure {
  const data = studies.flatMap(({ label, tuning }, k) => {
    const color = `hsl(${Math.round((k * 360) / Math.max(studies.length, 1))}, 65%, 45%)`;
    const points = (state: "complete" | "pruned") => {
      const chosen = tuning.trials.map((t, i) => ({ t, i })).filter(({ t }) => t.state === state);
      return {
        x: chosen.map(({ i }) => i + 1),
        y: chosen.map(({ t }) => t.score),
        text: chosen.map(({ t }) => JSON.stringify(t.params)),
      };
    };
    return [
      {
        type: "scatter",
        mode: "markers",
        name: label,
        legendgroup: label,
        marker: { color, size: 6 },
        ...points("complete"),
      },
      {
        type: "scatter",
        mode: "markers",
        name: `${label} pruned`,
        legendgroup: label,
        marker: { color, symbol: "x", size: 6, opacity: 0.5 },
        ...points("pruned"),
      },
      {
        type: "scatter",
        mode: "lines",
        name: `${label} best`,
        legendgroup: label,
        line: { color, shape: "hv" },
        x: tuning.trials.map((_, i) => i + 1),
        y: runningBest(tuning),
      },
    ];
  });
  return {
    data,
    layout: {
      title: { text: `${title}: tuning history` },
      xaxis: { title: { text: "trial" } },
      yaxis: { title: { text: "inner-CV RMSE" } },
    },
  };
}

/**
 * The mean importance of each varied parameter over the studies, with the range over
 * them as error bars.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importanceFigure } from "./study_figures.ts";
 *
 * const trials = Array.from({ length: 12 }, (_, i) => ({ params: { a: i, b: i % 2 }, score: i, foldScores: [i], state: "complete" as const }));
 * const tuning = { best: {}, bestScore: 0, trials, stoppedEarly: false, skipped: 0, elapsedMs: 1 };
 * const figure = importanceFigure("gbm", [{ label: "fold 1", tuning }]);
 * assert.deepEqual(figure.data[0].y, ["b", "a"]); // the most important at the top
 * ```
 */
export function importanceFigure(title: string, studies: readonly Study[]): StudyFigure {
  const names = variedParameters(studies);
  const each = studies.map((s) => parameterImportance(s.tuning.trials, names));
  const rows = names.map((name) => {
    const values = each.map((e) => e[name]);
    const mean = values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
    return { name, mean, low: Math.min(...values), high: Math.max(...values) };
  }).sort((a, b) => a.mean - b.mean);
  return {
    data: [{
      type: "bar",
      orientation: "h",
      y: rows.map((r) => r.name),
      x: rows.map((r) => r.mean),
      error_x: {
        type: "data",
        symmetric: false,
        array: rows.map((r) => r.high - r.mean),
        arrayminus: rows.map((r) => r.mean - r.low),
      },
    }],
    layout: {
      title: {
        text: `${title}: parameter importance (η² of score ranks, ${studies.length} ${
          studies.length === 1 ? "study" : "studies"
        })`,
      },
      xaxis: { title: { text: "share of the score-rank variance between bins" } },
    },
  };
}
