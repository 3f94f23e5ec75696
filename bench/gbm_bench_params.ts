/**
 * The boosted-trees benchmarks' settings: 500 full-size depth-4 trees on every row and
 * feature, no early stopping, unless flags (`--name=value`) say otherwise. `--defaults`
 * starts from the schema's tuned defaults instead.
 *
 * @module
 */
import { type GbmParams, GbmParamsSchema } from "../pipeline/models/gbm/gbm_params.ts";

// The timing target: full-size trees on every row and feature, no early stopping.
const BENCH_PARAMS = {
  nEstimators: 500,
  maxDepth: 4,
  learningRate: 0.05,
  subsample: 1,
  colsampleByTree: 1,
  earlyStoppingRounds: 0,
};

/**
 * Splits `--key=value` flags into the names in `own` (returned as strings, `"true"`
 * for a bare flag) and GBM hyperparameters (validated and filled in).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { benchSettings } from "./gbm_bench_params.ts";
 *
 * const { params, flags } = benchSettings(["--maxDepth=3", "--rounds=2"], ["rounds"]);
 * assert.equal(params.maxDepth, 3);
 * assert.equal(params.nEstimators, 500);
 * assert.equal(flags.rounds, "2");
 * ```
 */
export function benchSettings(
  args: readonly string[],
  own: readonly string[],
): { params: GbmParams; flags: Record<string, string> } {
  const flags: Record<string, string> = {};
  const paramFlags: Record<string, number> = {};
  let defaults = false;
  for (const arg of args) {
    const [key, value = "true"] = arg.replace(/^--/, "").split("=");
    if (key === "defaults") defaults = true;
    else if (own.includes(key)) flags[key] = value;
    else paramFlags[key] = Number(value);
  }
  const params = GbmParamsSchema.parse({ ...(defaults ? {} : BENCH_PARAMS), ...paramFlags });
  return { params, flags };
}
