/**
 * Conformal intervals: the finite-sample quantile, the spread model, Mondrian groups and,
 * on 10 000 rows of known distributions, the coverage they reach on 10 000 fresh rows.
 */
import assert from "node:assert/strict";
import { predictionBounds } from "../../pipeline/bundle/prediction_intervals.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import {
  calibrateIntervals,
  type CalibrationRows,
  quantileCuts,
} from "../../pipeline/intervals/calibrate_intervals.ts";
import { conformalQuantile, conformalRank } from "../../pipeline/intervals/conformal_quantile.ts";
import { intervalCoverage } from "../../pipeline/intervals/interval_coverage.ts";
import { fitSpreadModel } from "../../pipeline/intervals/spread_model.ts";
import { evaluateIntervals } from "../../pipeline/intervals/interval_evaluation.ts";

Deno.test("the conformal rank is ⌈(n + 1)(1 − α)⌉, and past n there is no finite quantile", () => {
  assert.equal(conformalRank(9, 0.9), 9);
  assert.equal(conformalRank(99, 0.9), 90);
  assert.equal(conformalRank(100, 0.9), 91); // ⌈90.9⌉
  assert.equal(conformalRank(1000, 0.95), 951); // ⌈950.95⌉
  assert.equal(conformalRank(8, 0.9), undefined); // ⌈8.1⌉ = 9 > 8
  assert.throws(() => conformalRank(10, 1), RangeError);
  const scores = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  assert.equal(conformalQuantile(scores, 0.9), 91);
  assert.equal(conformalQuantile([1, 2, NaN, 3], 0.5), 2); // NaN ignored: ⌈4 · 0.5⌉ = 2
  assert.equal(conformalQuantile([1, 2, 3], 0.9), null);
});

const normal = (rng: ReturnType<typeof seededRandom>) =>
  Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** Rows whose noise grows with x and is four times larger for g ≥ 0.75. */
function heteroscedastic(
  n: number,
  seed: number,
): Required<CalibrationRows> & { actual: number[]; predicted: number[]; groupValues: number[] } {
  const rng = seededRandom(seed);
  const predicted: number[] = [], actual: number[] = [], groupValues: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = 0.1 + 0.8 * rng.next(), g = rng.next();
    const sd = (0.01 + 0.05 * x) * (g >= 0.75 ? 4 : 1);
    predicted.push(x);
    actual.push(x + sd * normal(rng));
    groupValues.push(g);
  }
  // A range wide enough that clipping never decides the coverage.
  return { predicted, actual, groupValues };
}

const RANGE = [-10, 10] as const;
const calibration = heteroscedastic(10_000, 1);
const test = heteroscedastic(10_000, 2);
const grouping = { feature: "g", cuts: quantileCuts(calibration.groupValues, 4) };
const bandOfTest = (i: number) => `q${Math.min(4, Math.floor(test.groupValues[i] * 4) + 1)}`;

function measure(method: "absolute" | "normalised", grouped: boolean) {
  const intervals = calibrateIntervals(calibration, {
    method,
    level: 0.9,
    calibration: "synthetic",
    grouping: grouped ? grouping : undefined,
    range: RANGE,
  });
  const bounds = predictionBounds(intervals, test.predicted, test.groupValues);
  return intervalCoverage(test.actual, bounds, bandOfTest);
}

Deno.test("on 10 000 fresh rows every method covers 90% ± 1.5 points overall", () => {
  for (const method of ["absolute", "normalised"] as const) {
    for (const grouped of [false, true]) {
      const [all] = measure(method, grouped);
      assert.equal(all.count, 10_000);
      assert.ok(
        Math.abs(all.coverage - 0.9) <= 0.015,
        `${method}${grouped ? " grouped" : ""}: coverage ${all.coverage}`,
      );
    }
  }
});

Deno.test("Mondrian quantiles cover each group, where one quantile for all does not", () => {
  const marginal = measure("normalised", false);
  const mondrian = measure("normalised", true);
  // The noisy quartile (q4) is under-covered by a quantile shared with the quiet ones.
  assert.ok(marginal.find((c) => c.group === "q4")!.coverage < 0.8);
  for (const c of mondrian.filter((c) => c.group !== "all")) {
    assert.ok(Math.abs(c.coverage - 0.9) <= 0.025, `${c.group}: coverage ${c.coverage}`);
  }
  // And the quiet quartiles get narrower intervals than the noisy one.
  const width = (g: string) => mondrian.find((c) => c.group === g)!.meanWidth;
  assert.ok(width("q1") < width("q4") / 2);
});

Deno.test("normalised intervals are narrower than absolute ones when the noise grows with ŷ", () => {
  const absolute = measure("absolute", true)[0];
  const normalised = measure("normalised", true)[0];
  assert.ok(
    normalised.meanWidth < absolute.meanWidth * 0.95,
    `${normalised.meanWidth} vs ${absolute.meanWidth}`,
  );
});

Deno.test("the spread model follows |residual| and never falls below its floor", () => {
  const residuals = calibration.actual.map((a, i) => a - calibration.predicted[i]);
  const spread = fitSpreadModel(calibration.predicted, residuals);
  assert.ok(spread.slope > 0); // the noise grows with the prediction
  assert.ok(spread.floor > 0);
  assert.throws(() => fitSpreadModel([], []), RangeError);
});

Deno.test("bounds are clipped to the range, and a group without a finite quantile spans it", () => {
  const wide = calibrateIntervals(
    { actual: [0.1, 0.5], predicted: [0.1, 0.5], groupValues: [0, 1] },
    {
      method: "absolute",
      level: 0.9,
      calibration: "t",
      grouping: { feature: "g", cuts: [0.5] },
      range: [0, 1],
    },
  );
  assert.equal(wide.counts.q2, 1);
  assert.equal(wide.quantiles.q2, null); // ⌈2 · 0.9⌉ = 2 > 1 score
  const { lower, upper } = predictionBounds(wide, [1.4, 0.5], [0, 1]);
  assert.deepEqual([lower[1], upper[1]], [0, 1]); // q2: the whole range
  assert.ok(upper[0] <= 1 && lower[0] <= 1); // the prediction itself is clipped first
});

Deno.test("the evaluation covers every calibration row once across folds, per variant", () => {
  const folds = calibration.actual.map((_, i) => (i % 5) + 1);
  const intervals = calibrateIntervals(calibration, {
    method: "normalised",
    level: 0.9,
    calibration: "synthetic",
    grouping,
    range: RANGE,
  });
  const result = evaluateIntervals(intervals, { ...calibration, folds }, test);
  assert.deepEqual(
    result.variants.map((v) => `${v.method}${v.grouped ? "+groups" : ""}`),
    ["absolute", "absolute+groups", "normalised", "normalised+groups"],
  );
  for (const v of result.variants) {
    assert.equal(v.crossFold?.[0].count, 10_000);
    assert.ok(Math.abs(v.crossFold![0].coverage - 0.9) <= 0.015);
  }
  // The served configuration is the normalised, grouped variant: the same coverage.
  assert.deepEqual(result.coverage, result.variants[3].coverage);
});
