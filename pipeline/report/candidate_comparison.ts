/**
 * The comparison table of every candidate under one protocol, shared by the evaluation
 * report and the model card: each candidate's pooled out-of-fold RMSE and R² on the
 * development folds (what selection saw), the final configuration's figures over every
 * CV fold and on the held-out fold, and the Python anchors' when they are given.
 *
 * @module
 */
import type { CvCandidates } from "../artefacts/cv_candidates.ts";
import type { CvMetrics } from "../artefacts/cv_metrics.ts";
import type { PythonAnchors } from "../artefacts/python_anchors.ts";

/** A table: its header and its rows of text cells. */
export interface ComparisonTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** One sentence per set of figures saying which protocol produced it. */
  readonly notes: readonly string[];
}

const num = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? "" : value.toFixed(4);

const folds = (list: readonly number[]) =>
  list.length > 1 && list.every((f, i) => i === 0 || f === list[i - 1] + 1)
    ? `${list[0]}-${list[list.length - 1]}`
    : list.join(",");

/**
 * The rows, best development-fold RMSE first, then the anchors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const table = comparisonTable({
 *   protocol: { development_folds: [1, 2], holdout_fold: 3, cv_folds: [1, 2, 3] },
 *   ensemble_members: [], ensemble_weights: [], ensemble_method: "nnls",
 *   candidates: { ridge: { rmse: 0.137, r2: 0.66 }, mean: { rmse: 0.23, r2: 0 } },
 *   final: { name: "ridge", summary: { rmse: 0.135, r2: 0.67 } },
 * }, { selected: { name: "ridge", holdout_rmse: 0.129 } });
 * assert.deepEqual(table.rows[0], ["ridge (selected)", "0.1370", "0.6600", "0.1350", "0.6700", "0.1290"]);
 * assert.equal(table.rows[1][0], "mean");
 * ```
 */
export function comparisonTable(
  cv: CvCandidates,
  metrics: { readonly selected: Pick<CvMetrics["selected"], "name" | "holdout_rmse"> },
  anchors?: PythonAnchors,
): ComparisonTable {
  const { protocol } = cv;
  const dev = folds(protocol.development_folds);
  const all = folds(protocol.cv_folds);
  const candidates = Object.entries(cv.candidates)
    .sort(([, a], [, b]) => a.rmse - b.rmse)
    .map(([name, s]) => {
      const selected = name === metrics.selected.name;
      return [
        selected ? `${name} (selected)` : name,
        num(s.rmse),
        num(s.r2),
        selected ? num(cv.final.summary.rmse) : "",
        selected ? num(cv.final.summary.r2) : "",
        selected ? num(metrics.selected.holdout_rmse) : "",
      ];
    });
  const anchorRows = (anchors?.anchors ?? []).map((a) => [
    `${a.name} (Python anchor)`,
    "",
    "",
    num(a.pooled_oof_rmse),
    num(a.r2),
    num(a.holdout_rmse),
  ]);
  const weights = cv.ensemble_members.length
    ? `The ensemble blends ${
      cv.ensemble_members.map((m, i) => `${m} ${num(cv.ensemble_weights[i])}`).join(", ")
    } (${cv.ensemble_method} weights learned on the folds ${dev} out-of-fold predictions; ` +
      `each fold's ensemble figure with weights learned without that fold).`
    : "";
  return {
    header: [
      "candidate",
      `RMSE, folds ${dev}`,
      `R², folds ${dev}`,
      `RMSE, pooled folds ${all}`,
      `R², pooled folds ${all}`,
      `RMSE, fold ${protocol.holdout_fold}`,
    ],
    rows: [...candidates, ...anchorRows],
    notes: [
      `Folds ${dev}: pooled out-of-fold figures of every candidate on the development ` +
      `folds, tuning by inner CV inside each training set; the selection is made on them ` +
      `and fold ${protocol.holdout_fold} takes no part.`,
      `Pooled folds ${all}: the selected configuration (with its weights) refitted ` +
      `without each fold in turn, comparable with baselines scored the same way.`,
      `Fold ${protocol.holdout_fold}: scored once by the fit on folds ${dev}.`,
      ...(weights ? [weights] : []),
      ...(cv.group_offsets ? [offsetsNote(cv.group_offsets, dev, protocol.holdout_fold)] : []),
      ...(anchors
        ? [
          `Python anchors: \`${anchors.command}\` (${
            Object.entries(anchors.versions).map(([k, v]) => `${k} ${v}`).join(", ")
          }).`,
        ]
        : []),
    ],
  };
}

/** What the selected configuration's group offsets are and where each figure's come from. */
function offsetsNote(
  offsets: NonNullable<CvCandidates["group_offsets"]>,
  dev: string,
  holdout: number,
): string {
  const shrinkage = offsets.shrinkage === null
    ? "none kept"
    : `shrinkage ${offsets.shrinkage.toFixed(2)}`;
  return `The selected configuration adds a random intercept per ${offsets.feature} ` +
    `(${offsets.levels} levels, ${shrinkage}) fitted on out-of-fold residuals: each fold's ` +
    `figure with offsets from the other folds' residuals, fold ${holdout}'s from folds ${dev}'s.`;
}
