/**
 * The model card's interval and fairness sections: the measured coverage per group and
 * of each variant (the served one marked), both models side by side with their bootstrap
 * intervals, and a plain line when either was switched off.
 */
import assert from "node:assert/strict";
import { storedComparison } from "../../pipeline/artefacts/fairness_report.ts";
import { compareFairness } from "../../pipeline/fairness/fairness_comparison.ts";
import { fairnessSection, intervalSection } from "../../pipeline/registry/card_trade_offs.ts";

const coverage = (all: number, q1: number) => [
  { group: "all", count: 200, coverage: all, meanWidth: 0.3 },
  { group: "q1", count: 50, coverage: q1, meanWidth: 0.1 },
];

Deno.test("the interval section shows coverage per group and every variant", () => {
  const section = intervalSection({
    enabled: true,
    level: 0.9,
    method: "normalised",
    groupBy: "racepctblack",
    calibration: "oof-cv-without-holdout",
    calibrationRows: 1795,
    holdoutFold: 10,
    coverage: coverage(0.9, 0.92),
    variants: [
      { method: "absolute", grouped: false, coverage: coverage(0.91, 1) },
      {
        method: "normalised",
        grouped: true,
        coverage: coverage(0.9, 0.92),
        crossFold: coverage(0.901, 0.899),
      },
    ],
  });
  assert.match(section, /^## Prediction intervals$/m);
  assert.match(section, /\| all \| 200 \| 90\.0% \| 0\.300 \|/);
  assert.match(section, /\| q1 \| 50 \| 92\.0% \| 0\.100 \|/);
  assert.match(section, /\| absolute, one quantile \| 91\.0% \/ 0\.300 \| 100\.0% \/ 0\.100 \|/);
  assert.match(section, /normalised, per racepctblack quartile \(served\)/);
  assert.match(
    section,
    /calibration folds[^]*\| normalised, per racepctblack quartile \(served\) \| 90\.1% \/ 0\.300 \| 89\.9%/,
  );
  assert.match(intervalSection({ enabled: false }), /trained without prediction intervals/);
});

Deno.test("the fairness section puts both models side by side with intervals", () => {
  const actual = Float64Array.from({ length: 100 }, (_, i) => (i % 10) / 10);
  const comparison = compareFairness({
    actual,
    models: [
      { name: "ensemble", predicted: actual.map((a, i) => a + (i % 3 - 1) * 0.1) },
      { name: "ensemble without sensitive features", predicted: actual.map((a) => a + 0.05) },
    ],
    groupings: { "racepctblack quartile": (i) => `q${(i % 4) + 1}`, state: (i) => String(i % 2) },
    minGroupRows: 10,
    resamples: 100,
    seed: 1,
  });
  const section = fairnessSection({
    enabled: true,
    leftOut: ["racepctblack", "racePctWhite"],
    groupings: { "racepctblack quartile": "quartile", state: "state" },
    comparison: storedComparison(comparison),
  });
  assert.match(section, /^## Fairness trade-off$/m);
  assert.match(section, /without\n?\s*`racepctblack`, `racePctWhite`\. Out-of-fold/);
  assert.match(section, /\| CV RMSE \| 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\] \|/);
  assert.match(section, /largest RMSE gap by racepctblack quartile/);
  assert.match(section, /largest RMSE gap by state/);
  assert.match(section, /\| q4 \| 25 \|/);
  assert.match(fairnessSection({ enabled: false }), /was not run/);
});
