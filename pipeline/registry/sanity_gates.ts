/**
 * The sanity gates: the registered artefact itself works. It opens with a valid
 * checksum, its features are the serving contract, and it predicts the held-out fold
 * with finite values in the target's range.
 *
 * @module
 */
import type { GateResult } from "./gate_result.ts";

/** `bundle_opens`: `problem` is why the bundle could not be downloaded or opened. */
export function bundleGate(problem: string | undefined): GateResult {
  return problem === undefined
    ? { name: "bundle_opens", passed: true, detail: "downloaded; schema and checksum valid" }
    : { name: "bundle_opens", passed: false, detail: problem };
}

/**
 * `feature_schema`: the bundle's features are exactly the contract's, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { schemaGate } from "./sanity_gates.ts";
 *
 * assert.equal(schemaGate(["a", "b"], ["a", "b"]).passed, true);
 * assert.equal(
 *   schemaGate(["b", "a"], ["a", "b"]).detail,
 *   "2 features, contract 2: order differs at position 1 (b instead of a)",
 * );
 * ```
 */
export function schemaGate(features: readonly string[], contract: readonly string[]): GateResult {
  const name = "feature_schema";
  const missing = contract.filter((f) => !features.includes(f));
  const extra = features.filter((f) => !contract.includes(f));
  const problems = [
    missing.length > 0 ? `missing ${missing.slice(0, 5).join(", ")}` : "",
    extra.length > 0 ? `unexpected ${extra.slice(0, 5).join(", ")}` : "",
  ].filter(Boolean);
  if (problems.length === 0 && features.some((f, i) => f !== contract[i])) {
    const at = features.findIndex((f, i) => f !== contract[i]);
    problems.push(
      `order differs at position ${at + 1} (${features[at]} instead of ${contract[at]})`,
    );
  }
  const counts = `${features.length} features, contract ${contract.length}`;
  return problems.length === 0
    ? { name, passed: true, value: features.length, detail: `${counts}, same names and order` }
    : { name, passed: false, value: features.length, detail: `${counts}: ${problems.join("; ")}` };
}

/**
 * `holdout_predictions`: every prediction is finite and inside `range`; the value is the
 * number of bad predictions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { predictionGate } from "./sanity_gates.ts";
 *
 * assert.equal(predictionGate(new Float64Array([0.1, 0.4]), [0, 1], "fold 10").passed, true);
 * const bad = predictionGate(new Float64Array([0.1, NaN, 1.2]), [0, 1], "fold 10");
 * assert.deepEqual([bad.passed, bad.value], [false, 2]); // one not finite, one outside [0, 1]
 * ```
 */
export function predictionGate(
  predictions: Float64Array,
  range: readonly [number, number],
  rows: string,
): GateResult {
  const name = "holdout_predictions";
  if (predictions.length === 0) {
    return { name, passed: false, value: 0, detail: `no rows to predict in ${rows}` };
  }
  const finite = predictions.filter(Number.isFinite);
  const nonFinite = predictions.length - finite.length;
  const outside = finite.filter((p) => p < range[0] || p > range[1]).length;
  const bad = nonFinite + outside;
  const spread = finite.length > 0
    ? `min ${Math.min(...finite).toFixed(4)}, max ${Math.max(...finite).toFixed(4)}, `
    : "";
  return {
    name,
    passed: bad === 0,
    value: bad,
    threshold: 0,
    detail: `${predictions.length} predictions on ${rows}: ${spread}` +
      `${nonFinite} not finite, ${outside} outside [${range[0]}, ${range[1]}]`,
  };
}
