import assert from "node:assert/strict";
import type { ResidualAnalysis } from "../../pipeline/evaluation/residual_analysis.ts";
import { evaluationPlots, evaluationSummary } from "../../pipeline/report/evaluation_plots.ts";

// The assertions on the analysis itself are test cells of notebooks/04_evaluation.ipynb.
const group = (name: string, count: number, rmse: number, meanResidual = 0) => ({
  group: name,
  count,
  rmse,
  meanResidual,
  meanActual: 0.2,
});
const analysis: ResidualAnalysis = {
  byState: [group("6", 20, 0.1), group("36", 9, 0.4), group("48", 12, 0.2)],
  byRacialBand: [
    { ...group("q1", 10, 0.05, -0.01), feature: "racepctblack" },
    { ...group("q4", 10, 0.25, 0.03), feature: "racepctblack" },
  ],
  byFeatureGroup: [{ group: "income", feature: "medIncome", correlation: -0.12 }],
};
const importance = [
  { feature: "PctKids2Par", importance: 0.02, std: 0.001 },
  { feature: "racePctWhite", importance: 0.01, std: 0.002 },
];

Deno.test("the evaluation summary names the worst state of enough rows and the top feature", () => {
  const summary = evaluationSummary(analysis, importance, 10);
  assert.deepEqual(Object.keys(summary).sort(), [
    "racial_band_rmse_max",
    "racial_band_rmse_min",
    "top_feature",
    "top_feature_importance",
    "worst_state",
    "worst_state_rmse",
  ], "headline figures only: the tables are in the analysis file");
  assert.equal(summary.worst_state, "Texas");
  assert.equal(summary.worst_state_rmse, 0.2);
  assert.equal(evaluationSummary(analysis, importance, 5).worst_state, "New York");
  assert.equal(summary.racial_band_rmse_max, 0.25);
  assert.equal(summary.racial_band_rmse_min, 0.05);
  assert.equal(summary.top_feature, "PctKids2Par");
  assert.equal(evaluationSummary(analysis, [], 10).top_feature, "");
});

Deno.test("the DVC plot files hold one row per group of enough rows, numbers to 6 decimals", () => {
  const plots = evaluationPlots({
    rows: Int32Array.of(0, 7),
    actual: Float64Array.of(0.1, 0.5),
    predicted: Float64Array.of(0.2, 0.4),
    analysis,
    importance,
    minGroupRows: 10,
  });
  assert.deepEqual(Object.keys(plots).sort(), [
    "error_by_racial_band.csv",
    "error_by_state.csv",
    "importance.csv",
    "predictions.csv",
    "residual_correlation_by_group.csv",
  ]);
  assert.equal(
    plots["predictions.csv"],
    "row,actual,predicted,residual\n0,0.1,0.200000,-0.100000\n7,0.5,0.400000,0.100000\n",
  );
  assert.equal(
    plots["error_by_racial_band.csv"].split("\n")[2],
    "racepctblack:q4,10,0.250000,0.030000",
  );
  assert.equal(plots["importance.csv"].trim().split("\n").length, 3);
  assert.equal(
    plots["error_by_state.csv"],
    "state,fips,count,rmse,mean_residual\n" +
      "Texas,48,12,0.200000,0.000000\nCalifornia,6,20,0.100000,0.000000\n",
    "by name, worst first, New York (9 rows) left out",
  );
});
