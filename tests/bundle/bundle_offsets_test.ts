/**
 * A bundle with state offsets (`pipeline/bundle/group_offsets.ts`), built as training
 * builds it: `state` joins the contract (nullable, FIPS codes 1-56, with its own
 * reference histogram), the predictor adds a known state's offset and nothing for a
 * missing or unseen one, the explanation gives the offset to `state` and still adds up,
 * and the promotion gates take the bundle against the contract without `state`.
 */
import assert from "node:assert/strict";
import { BundleError, sealBundle } from "../../pipeline/bundle/bundle_io.ts";
import { createExplainer } from "../../pipeline/bundle/bundle_explainer.ts";
import { createPredictor } from "../../pipeline/bundle/bundle_predictor.ts";
import { matrix } from "../../pipeline/core/matrix.ts";
import { GateThresholdsSchema } from "../../pipeline/config/register_params_schema.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { failedGates } from "../../pipeline/registry/gate_result.ts";
import { promotionGates } from "../../pipeline/registry/promotion_gates.ts";
import { uniformMatrix } from "../support/linear_data.ts";
import { CONTRACT, randomRow, TEST_OFFSETS, testBundle } from "../support/test_bundle.ts";

const bundle = await testBundle({ stateOffsets: true, inputs: 5 });
const plain = await testBundle({ inputs: 5 });
const predictor = createPredictor(bundle, loadModel);
const names = predictor.featureNames;

/** One packed row of `row` in contract order, with `state` set to `level`. */
function packed(row: Record<string, number | null>, level: number) {
  return Float64Array.from(names, (name) => name === "state" ? level : row[name] ?? NaN);
}

Deno.test("state joins the contract first, nullable, on the FIPS codes", () => {
  assert.equal(names.length, CONTRACT.length + 1);
  assert.deepEqual(names.slice(1), [...CONTRACT]);
  const state = bundle.features[0];
  assert.deepEqual(
    { name: state.name, min: state.min, max: state.max, nullable: state.nullable },
    { name: "state", min: 1, max: 56, nullable: true },
  );
  const reference = bundle.reference.features.state;
  assert.equal(reference.histogram.counts.length, 56, "one bin per code");
  assert.equal(reference.histogram.counts[6 - 1], 100, "a third of the 300 rows in California");
  assert.deepEqual(bundle.groupOffsets, TEST_OFFSETS);
});

Deno.test("a known state's offset is added; a missing or unseen state gets none", () => {
  const row = randomRow(bundle, 3);
  const x = matrix(4, names.length);
  [6, 48, NaN, 36].forEach((level, i) => x.data.set(packed(row, level), i * names.length));
  const [california, texas, missing, unseen] = predictor.predict(x);
  const base = createPredictor(plain, loadModel).predict(
    matrix(1, plain.features.length, Float64Array.from(CONTRACT, (name) => row[name] ?? NaN)),
  )[0];
  assert.ok(Math.abs(missing - base) < 1e-15, "no state: the model alone");
  assert.equal(unseen, missing, "a state without an offset: the model alone");
  assert.ok(Math.abs(california - missing - 0.1) < 1e-12);
  assert.ok(Math.abs(texas - missing + 0.05) < 1e-12);
});

Deno.test("the explanation gives the offset to state and adds up to the prediction", () => {
  const explainer = createExplainer(bundle, loadModel);
  const row = packed(randomRow(bundle, 5), 6);
  const { base, output, contributions } = explainer.explain(row);
  assert.ok(Math.abs(contributions[0] - 0.1) < 1e-12, `state: ${contributions[0]}`);
  const sum = contributions.reduce((s, v) => s + v, base);
  assert.ok(Math.abs(sum - output) < 1e-9);
  const predicted = predictor.predict(matrix(1, names.length, row))[0];
  assert.ok(Math.abs(output - predicted) < 1e-9, `${output} vs ${predicted}`);
});

Deno.test("a bundle whose offset feature is not in its contract does not load", async () => {
  const { checksum: _, ...rest } = plain;
  const broken = await sealBundle({ ...rest, groupOffsets: TEST_OFFSETS });
  assert.throws(() => createPredictor(broken, loadModel), BundleError);
});

Deno.test("promotion gates check the bundle against the contract without its state", async () => {
  const metrics = { cv_rmse: 0.13, cv_r2: 0.66, cv_fold_rmse_max: 0.17 };
  const challenger = { bundle: await testBundle({ stateOffsets: true, inputs: 5, metrics }) };
  const thresholds = GateThresholdsSchema.parse({
    max_cv_rmse: 0.15,
    min_cv_r2: 0.6,
    max_fold_rmse: 0.2,
    min_improvement: 0.002,
  });
  const columns = [...CONTRACT, "state"];
  const lowest = (level: number) => {
    const holdout = uniformMatrix(30, columns.length, 7);
    for (let i = 0; i < holdout.rows; i++) {
      holdout.data[i * columns.length + CONTRACT.length] = level;
    }
    const gates = promotionGates({
      challenger,
      version: "2",
      split: "cv=1,2,3;holdout=3",
      contract: CONTRACT,
      holdout,
      holdoutColumns: columns,
      holdoutFold: 3,
      thresholds,
    });
    assert.deepEqual(failedGates(gates), [], JSON.stringify(gates));
    const detail = gates.find((g) => g.name === "holdout_predictions")!.detail;
    return Number(/min (-?[\d.]+)/.exec(detail)![1]);
  };
  // The held-out rows are predicted with their state: California's offset lifts them all.
  assert.ok(Math.abs(lowest(6) - lowest(NaN) - 0.1) < 2e-4, `${lowest(6)} vs ${lowest(NaN)}`);
  const withoutState = promotionGates({
    challenger,
    version: "2",
    split: "cv=1,2,3;holdout=3",
    contract: CONTRACT,
    holdout: uniformMatrix(30, CONTRACT.length, 7),
    holdoutFold: 3,
    thresholds,
  });
  assert.deepEqual(failedGates(withoutState), [], "no state column: predicted without offsets");
});
