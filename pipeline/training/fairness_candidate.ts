/**
 * Runs the fairness comparison of the `train` stage: the selected configuration again
 * without the sensitive features on the development folds it was selected on
 * (`blind_candidate.ts`), then both models' out-of-fold predictions of the development
 * rows compared by racial-composition quartile and by state, with bootstrap intervals
 * (`fairness/fairness_comparison.ts`). The held-out fold stays out of it, and the
 * selected model's side is its selection run, so the comparison costs one
 * cross-validation of the configuration. With group offsets, each side gets its own.
 *
 * @module
 */
import type { FairnessRun } from "../artefacts/fairness_report.ts";
import { storedComparison } from "../artefacts/fairness_report.ts";
import { bandOf } from "../bundle/prediction_intervals.ts";
import type { TrainParams } from "../config/params_schema.ts";
import { selectValues } from "../core/matrix.ts";
import { compareFairness } from "../fairness/fairness_comparison.ts";
import type { FoldRows } from "../folds/fold_split.ts";
import { quantileCuts } from "../intervals/calibrate_intervals.ts";
import { sensitiveFeatures } from "./blind_candidate.ts";
import type { CvRunner } from "./cv_job.ts";
import { crossValidateSelected } from "./cross_validate_selected.ts";
import type { CandidateResult, Progress, TrainingData } from "./cross_validate.ts";
import type { Selection } from "./select_model.ts";

/** The columns the groupings are computed from, indexed by table row. */
export interface FairnessColumns {
  /** The racial-composition feature whose quartile is a group. */
  readonly racialFeature: string;
  readonly racialColumn: Float64Array;
  /** The state (FIPS code) of each row. */
  readonly states: Float64Array;
}

/** The comparison's report, and the largest racial-quartile gap of the selected model. */
export interface FairnessOutcome {
  readonly report: FairnessRun;
  readonly selectedGap: number;
  /** Wall-clock seconds the second cross-validation took (printed, not stored: it varies). */
  readonly seconds: number;
}

/**
 * Cross-validates the blind candidate on `splits` (the selection's) and compares it with
 * the selected one's out-of-fold predictions on `rows` (the splits' test rows); the
 * cross-validations go to `run`.
 */
export async function fairnessCandidate(
  params: TrainParams,
  selection: Selection,
  data: TrainingData,
  splits: readonly FoldRows[],
  rows: Int32Array,
  columns: FairnessColumns,
  progress: Progress,
  run: CvRunner,
  offsets?: {
    readonly label: string;
    readonly apply: (result: CandidateResult) => CandidateResult;
  },
): Promise<FairnessOutcome> {
  const leftOut = sensitiveFeatures(params.fairness);
  const started = performance.now();
  const blind = await crossValidateSelected(
    selection,
    params,
    data,
    splits.map((s) => s.fold),
    progress,
    `${selection.best.name} without sensitive features`,
    run,
    leftOut,
  );
  const seconds = (performance.now() - started) / 1000;
  // With group offsets, both models are compared as they would be served: each with its
  // own offsets, fitted fold by fold on its own out-of-fold residuals.
  const [selected, without] = offsets
    ? [selection.best, blind].map((r) => ({
      ...offsets.apply(r),
      name: `${r.name} + ${offsets.label}`,
    }))
    : [selection.best, blind];
  const racial = selectValues(columns.racialColumn, rows);
  const cuts = quantileCuts(racial, 4);
  const states = selectValues(columns.states, rows);
  const quartile = `${columns.racialFeature} quartile`;
  const comparison = compareFairness({
    actual: selectValues(data.y, rows),
    models: [
      { name: selected.name, predicted: selectValues(selected.oof, rows) },
      { name: without.name, predicted: selectValues(without.oof, rows) },
    ],
    groupings: {
      [quartile]: (i) => bandOf(cuts, racial[i]),
      state: (i) => (Number.isFinite(states[i]) ? String(states[i]) : undefined),
    },
    minGroupRows: params.fairness.min_group_rows,
    resamples: params.fairness.bootstrap_resamples,
    seed: params.seed,
  });
  return {
    report: {
      enabled: true,
      leftOut,
      groupings: {
        [quartile]: `quartile of ${columns.racialFeature} over the development rows (q1 lowest)`,
        state: "state FIPS code",
      },
      comparison: storedComparison(comparison),
    },
    selectedGap: comparison.models[0].groupings[quartile].gap.estimate,
    seconds,
  };
}
