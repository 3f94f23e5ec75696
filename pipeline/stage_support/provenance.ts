/**
 * Where a run comes from: the git commit, a hash of the raw data and of the params.
 * Recorded on MLflow runs, model versions and bundles.
 *
 * @module
 */
import { canonicalJson } from "../core/canonical_json.ts";
import { sha256Hex } from "../core/sha256.ts";
import { parseParams } from "../config/load_params.ts";
import { DEFAULT_PARAMS_PATH } from "../config/load_params.ts";
import type { SourceProvenance } from "../bundle/bundle_schema.ts";
import { PATHS } from "../paths.ts";
import { gitState } from "./git_state.ts";

/** The current commit, with `-dirty` when tracked sources changed; "unknown" outside git. */
export function gitCommit(): string {
  const state = gitState();
  if (!state) return "unknown";
  return state.dirty ? `${state.commit}-dirty` : state.commit;
}

/** Computes the provenance of the raw data and params in the working tree. */
export async function currentProvenance(): Promise<SourceProvenance> {
  const params = parseParams(await Deno.readTextFile(DEFAULT_PARAMS_PATH), DEFAULT_PARAMS_PATH);
  return {
    gitCommit: gitCommit(),
    dataHash: await sha256Hex(await Deno.readFile(PATHS.rawData)),
    paramsHash: await sha256Hex(canonicalJson(params)),
  };
}
