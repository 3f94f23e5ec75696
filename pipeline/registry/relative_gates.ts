/**
 * The relative promotion gates: a challenger replaces the champion only when both were
 * cross-validated on the same data and folds, and the challenger's RMSE is lower by a
 * margin. Scores on different data are not comparable, so that case fails with the
 * reason instead of comparing.
 *
 * @module
 */
import type { GateResult } from "./gate_result.ts";

/** What the comparison needs to know about one version. */
export interface ComparedVersion {
  readonly version: string;
  /** SHA-256 of the raw data it was trained on. */
  readonly dataHash: string;
  /** The fold layout, from `splitKey`; empty when the version does not record it. */
  readonly split: string;
  readonly cvRmse: number;
}

const short = (hash: string) => (hash ? hash.slice(0, 12) : "(none)");

/**
 * `same_data`, then `beats_champion` (only meaningful, and only run, when the data match).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relativeGates } from "./relative_gates.ts";
 *
 * const champion = {
 *   version: "2",
 *   dataHash: "3b5d1e0f8a9c",
 *   split: "cv=1,2;holdout=3",
 *   cvRmse: 0.141,
 * };
 * const challenger = { ...champion, version: "3", cvRmse: 0.137 };
 * const gates = relativeGates(challenger, champion, 0.001); // 0.004 better: enough
 * assert.deepEqual(gates.map((g) => [g.name, g.passed]), [
 *   ["same_data", true],
 *   ["beats_champion", true],
 * ]);
 * const onNewData = { ...challenger, dataHash: "9e2c4a7b1d3f" }; // scores not comparable
 * assert.deepEqual(relativeGates(onNewData, champion, 0.001).map((g) => g.passed), [false, false]);
 * ```
 */
export function relativeGates(
  challenger: ComparedVersion,
  champion: ComparedVersion,
  minImprovement: number,
): GateResult[] {
  const problems: string[] = [];
  if (!challenger.dataHash || challenger.dataHash !== champion.dataHash) {
    problems.push(
      `data changed (champion v${champion.version} ${short(champion.dataHash)}, ` +
        `challenger v${challenger.version} ${short(challenger.dataHash)})`,
    );
  }
  if (!challenger.split || challenger.split !== champion.split) {
    problems.push(
      `folds differ (champion "${champion.split || "(none)"}", challenger "${
        challenger.split || "(none)"
      }")`,
    );
  }
  if (problems.length > 0) {
    const detail = `${problems.join("; ")}: the CV scores are not comparable; ` +
      "retrain the champion's configuration on the current data, then promote";
    return [
      { name: "same_data", passed: false, detail },
      {
        name: "beats_champion",
        passed: false,
        detail: "not compared: the versions were not evaluated on the same data and folds",
      },
    ];
  }
  const improvement = champion.cvRmse - challenger.cvRmse;
  const passed = Number.isFinite(improvement) && improvement >= minImprovement;
  return [
    {
      name: "same_data",
      passed: true,
      detail: `data ${short(challenger.dataHash)} and folds "${challenger.split}" match`,
    },
    {
      name: "beats_champion",
      passed,
      value: improvement,
      threshold: minImprovement,
      detail: `cv_rmse ${challenger.cvRmse.toFixed(4)} vs champion v${champion.version} ` +
        `${champion.cvRmse.toFixed(4)}: improvement ${improvement.toFixed(4)} ` +
        `${passed ? ">=" : "<"} min ${minImprovement}`,
    },
  ];
}
