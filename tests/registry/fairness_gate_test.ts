/**
 * The optional fairness gate: off by default (no gate at all), and when a largest group
 * gap is configured, a challenger above it (or without the metric) is refused.
 */
import assert from "node:assert/strict";
import { GateThresholdsSchema } from "../../pipeline/config/register_params_schema.ts";
import { failedGates } from "../../pipeline/registry/gate_result.ts";
import { groupGapGate } from "../../pipeline/registry/fairness_gates.ts";
import { promotionGates } from "../../pipeline/registry/promotion_gates.ts";
import { uniformMatrix } from "../support/linear_data.ts";
import { CONTRACT, testBundle } from "../support/test_bundle.ts";

const good = { cv_rmse: 0.13, cv_r2: 0.66, cv_fold_rmse_max: 0.17 };

async function gatesFor(metrics: Record<string, number>, maxGap: number | null) {
  return promotionGates({
    challenger: { bundle: await testBundle({ inputs: 5, metrics }) },
    version: "2",
    split: "cv=1,2,3,4,5,6,7,8,9;holdout=10",
    contract: CONTRACT,
    holdout: uniformMatrix(30, CONTRACT.length, 7),
    holdoutFold: 10,
    thresholds: GateThresholdsSchema.parse({ max_group_gap: maxGap }),
  });
}

Deno.test("the group-gap gate is off by default", async () => {
  assert.equal(GateThresholdsSchema.parse({}).max_group_gap, null);
  const gates = await gatesFor({ ...good, racial_quartile_rmse_gap: 0.5 }, null);
  assert.equal(gates.some((g) => g.name === "max_group_gap"), false);
  assert.deepEqual(failedGates(gates), []);
});

Deno.test("with a maximum gap, a challenger above it fails and one below passes", async () => {
  const wide = await gatesFor({ ...good, racial_quartile_rmse_gap: 0.09 }, 0.08);
  assert.deepEqual(failedGates(wide), ["max_group_gap"]);
  assert.match(
    wide.find((g) => g.name === "max_group_gap")!.detail,
    /racial_quartile_rmse_gap 0.0900 > max 0.08/,
  );
  const narrow = await gatesFor({ ...good, racial_quartile_rmse_gap: 0.05 }, 0.08);
  assert.deepEqual(failedGates(narrow), []);
  assert.equal(narrow.find((g) => g.name === "max_group_gap")?.value, 0.05);
});

Deno.test("a challenger without the gap metric cannot pass a configured gap gate", async () => {
  assert.deepEqual(failedGates(await gatesFor(good, 0.08)), ["max_group_gap"]);
  assert.equal(groupGapGate({ racial_quartile_rmse_gap: NaN }, 0.1).passed, false);
  assert.throws(() => GateThresholdsSchema.parse({ max_group_gap: -1 }));
});
