/**
 * Every gate of one promotion decision, from inputs already fetched: the challenger's
 * bundle (or why it did not open), the serving contract, the held-out fold and, when
 * there is a champion, what the comparison needs to know about it. A first promotion
 * runs only the absolute and sanity gates.
 *
 * @module
 */
import { createPredictor } from "../bundle/bundle_predictor.ts";
import type { ModelBundle } from "../bundle/bundle_schema.ts";
import { type Matrix, matrix } from "../core/matrix.ts";
import { loadModel } from "../models/load_model.ts";
import { absoluteGates } from "./absolute_gates.ts";
import { GROUP_GAP_GATE, groupGapGate } from "./fairness_gates.ts";
import type { GateResult } from "./gate_result.ts";
import type { GateThresholds } from "../config/register_params_schema.ts";
import { type ComparedVersion, relativeGates } from "./relative_gates.ts";
import { bundleGate, predictionGate, schemaGate } from "./sanity_gates.ts";

/** The challenger: its opened bundle, or why it could not be opened. */
export type OpenedBundle =
  | { readonly bundle: ModelBundle; readonly problem?: undefined }
  | { readonly bundle?: undefined; readonly problem: string };

/** The inputs of {@linkcode promotionGates}. */
export interface GateInputs {
  readonly challenger: OpenedBundle;
  /** Challenger version number and fold layout (from its tags). */
  readonly version: string;
  readonly split: string;
  readonly champion?: ComparedVersion;
  /**
   * Contract feature names, in order. A bundle may add the level feature of its group
   * offsets (`bundle/group_offsets.ts`), which it declares.
   */
  readonly contract: readonly string[];
  /** The held-out fold's rows, in the order of `holdoutColumns`. */
  readonly holdout: Matrix;
  /** The held-out rows' column names: the contract's, then any level features (`state`). */
  readonly holdoutColumns?: readonly string[];
  readonly holdoutFold: number;
  readonly thresholds: GateThresholds;
}

const NOT_CHECKED = "not checked: the bundle did not open";

function predictions(
  bundle: ModelBundle,
  holdout: Matrix,
  columns: readonly string[],
): Float64Array | string {
  try {
    const predictor = createPredictor(bundle, loadModel);
    if (holdout.cols !== columns.length) {
      throw new RangeError(`expected ${columns.length} held-out columns, got ${holdout.cols}`);
    }
    // The bundle's own columns, by name: its level feature is beside the contract's.
    const at = predictor.featureNames.map((name) => columns.indexOf(name));
    const x = matrix(holdout.rows, at.length);
    for (let i = 0; i < holdout.rows; i++) {
      at.forEach((j, k) =>
        x.data[i * at.length + k] = j < 0 ? NaN : holdout.data[i * holdout.cols + j]
      );
    }
    return predictor.predict(x);
  } catch (error) {
    return `prediction failed: ${(error as Error).message}`;
  }
}

/**
 * The sanity, absolute and (with a champion) relative gates, in that order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readBundleFile } from "../artefacts/model_bundles.ts";
 * import { GateThresholdsSchema } from "../config/register_params_schema.ts";
 * import { matrix } from "../core/matrix.ts";
 *
 * const bundle = await readBundleFile("examples/model_bundle.json");
 * const contract = bundle.features.map((f) => f.name);
 * const holdout = matrix(5, contract.length, new Float64Array(5 * contract.length).fill(0.5));
 * const gates = promotionGates({
 *   challenger: { bundle },
 *   version: "2",
 *   split: "cv=1,2,3,4,5,6,7,8,9;holdout=10",
 *   contract,
 *   holdout,
 *   holdoutFold: 10,
 *   thresholds: GateThresholdsSchema.parse({}),
 * });
 * // No champion: the sanity and absolute gates only. The example bundle records no
 * // per-fold RMSE, so that gate fails, naming what is missing.
 * assert.deepEqual(gates.filter((g) => !g.passed).map((g) => g.name), ["max_fold_rmse"]);
 * ```
 */
export function promotionGates(inputs: GateInputs): GateResult[] {
  const { challenger, thresholds } = inputs;
  const gates: GateResult[] = [bundleGate(challenger.problem)];
  if (challenger.bundle === undefined) {
    gates.push(
      ...["feature_schema", "holdout_predictions", "max_cv_rmse", "min_cv_r2", "max_fold_rmse"]
        .concat(thresholds.max_group_gap === null ? [] : [GROUP_GAP_GATE])
        .map((name) => ({ name, passed: false, detail: NOT_CHECKED })),
    );
  } else {
    const bundle = challenger.bundle;
    const level = bundle.groupOffsets?.feature;
    const schema = schemaGate(
      bundle.features.map((f) => f.name).filter((name) => name !== level),
      inputs.contract,
    );
    gates.push(schema);
    const rows = `held-out fold ${inputs.holdoutFold}`;
    const predicted = schema.passed
      ? predictions(bundle, inputs.holdout, inputs.holdoutColumns ?? inputs.contract)
      : "not checked: schema mismatch";
    gates.push(
      typeof predicted === "string"
        ? { name: "holdout_predictions", passed: false, detail: predicted }
        : predictionGate(predicted, thresholds.prediction_range, rows),
    );
    gates.push(...absoluteGates(bundle.metrics, thresholds));
    if (thresholds.max_group_gap !== null) {
      gates.push(groupGapGate(bundle.metrics, thresholds.max_group_gap));
    }
  }
  if (inputs.champion) {
    const self: ComparedVersion = {
      version: inputs.version,
      dataHash: challenger.bundle?.provenance.dataHash ?? "",
      split: inputs.split,
      cvRmse: challenger.bundle?.metrics.cv_rmse ?? NaN,
    };
    gates.push(...relativeGates(self, inputs.champion, thresholds.min_improvement));
  }
  return gates;
}
