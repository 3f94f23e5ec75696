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

/** The current commit, with `-dirty` when tracked sources changed; "unknown" outside git. */
export async function gitCommit(): Promise<string> {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  };
  try {
    const commit = await run("rev-parse", "HEAD");
    if (!commit) return "unknown";
    // dvc.lock and the stage outputs change while the pipeline runs; only source counts.
    const changes = await run(
      "status",
      "--porcelain",
      "--untracked-files=no",
      "--",
      ".",
      ":!dvc.lock",
      ":!reports",
      ":!models",
    );
    return changes ? `${commit}-dirty` : commit;
  } catch {
    return "unknown";
  }
}

/** Computes the provenance of the raw data and params in the working tree. */
export async function currentProvenance(): Promise<SourceProvenance> {
  const params = parseParams(await Deno.readTextFile(DEFAULT_PARAMS_PATH), DEFAULT_PARAMS_PATH);
  return {
    gitCommit: await gitCommit(),
    dataHash: await sha256Hex(await Deno.readFile(PATHS.rawData)),
    paramsHash: await sha256Hex(canonicalJson(params)),
  };
}
