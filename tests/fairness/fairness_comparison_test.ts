/**
 * The fairness comparison: seeded (the same inputs give the same intervals), the
 * intervals contain their estimates, small groups stay out of the gap, and a model with
 * equal errors across groups shows a smaller gap than one without.
 */
import assert from "node:assert/strict";
import {
  FairnessComparisonSchema,
  storedComparison,
} from "../../pipeline/artefacts/fairness_report.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import {
  compareFairness,
  type FairnessInputs,
} from "../../pipeline/fairness/fairness_comparison.ts";

const n = 600;
const rng = seededRandom(3);
const actual = Float64Array.from({ length: n }, () => rng.next());
const group = (i: number) => (i < 10 ? "tiny" : i % 2 ? "odd" : "even");
const noise = Float64Array.from({ length: n }, () => rng.next() - 0.5);
const inputs: FairnessInputs = {
  actual,
  models: [
    // Errors three times larger in the odd group.
    { name: "all features", predicted: actual.map((a, i) => a + noise[i] * (i % 2 ? 0.3 : 0.1)) },
    { name: "blind", predicted: actual.map((a, i) => a + noise[i] * 0.2) },
  ],
  groupings: { parity: group },
  minGroupRows: 20,
  resamples: 300,
  seed: 42,
};

Deno.test("the comparison is seeded and its intervals contain their estimates", () => {
  const a = compareFairness(inputs);
  assert.deepEqual(compareFairness(inputs), a);
  for (const model of a.models) {
    for (const e of [model.rmse, model.r2, model.groupings.parity.gap]) {
      assert.ok(e.low <= e.estimate && e.estimate <= e.high, JSON.stringify(e));
    }
  }
  const other = compareFairness({ ...inputs, seed: 43 });
  assert.notDeepEqual(other.models[0].rmse, a.models[0].rmse);
});

Deno.test("groups below the minimum size are listed but left out of the gap", () => {
  const [full] = compareFairness(inputs).models;
  const parity = full.groupings.parity;
  assert.deepEqual(parity.groups.map((g) => [g.group, g.count]), [
    ["even", 295],
    ["odd", 295],
    ["tiny", 10],
  ]);
  assert.deepEqual([parity.worst, parity.best], ["odd", "even"]);
  const rmse = Object.fromEntries(parity.groups.map((g) => [g.group, g.rmse.estimate]));
  assert.ok(Math.abs(parity.gap.estimate - (rmse.odd - rmse.even)) < 1e-12);
});

Deno.test("equalising the errors shows as a smaller gap, and the paired difference says so", () => {
  const comparison = compareFairness(inputs);
  const [full, blind] = comparison.models;
  assert.ok(blind.groupings.parity.gap.estimate < full.groupings.parity.gap.estimate / 2);
  assert.ok(comparison.difference.gaps.parity.high < 0);
  // The stored form passes its schema (NaN, if any, as null).
  FairnessComparisonSchema.parse(storedComparison(comparison));
});
