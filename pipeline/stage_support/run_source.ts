/**
 * Where this process's MLflow runs come from, as MLflow's system tags record it: the user,
 * the entry point, whether it runs by hand or under CI, and the git commit, branch and
 * remote. Each fact is read only where this process's permissions allow it, never with a
 * prompt; a fact it cannot read is left out.
 *
 * @module
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunSource, systemTags } from "../mlflow/system_tags.ts";
import { withoutUserInfo } from "../mlflow/redact_uri.ts";
import { commandOutputSync } from "./command_output.ts";
import { gitBranch, gitRemoteUrl, gitState } from "./git_state.ts";

/** An environment variable where `--allow-env` grants it (else `undefined`, no prompt). */
function env(name: string): string | undefined {
  const state = Deno.permissions.querySync({ name: "env", variable: name }).state;
  return state === "granted" ? Deno.env.get(name) || undefined : undefined;
}

/** Set by GitHub Actions, GitLab CI, Jenkins, Buildkite and most others. */
const CI_VARIABLES = ["CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE"];

/** Whether this process runs under a CI system. */
export function underCi(): boolean {
  return CI_VARIABLES.some((name) => {
    const value = env(name);
    return value !== undefined && value !== "false" && value !== "0";
  });
}

/** The user name, as MLflow's Python client reads it (`getpass.getuser`), else `id -un`. */
export function userName(): string {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const value = env(name);
    if (value) return value;
  }
  return commandOutputSync("id", ["-un"])?.text || "unknown";
}

/** The main module's path relative to the working directory (e.g. `pipeline/stages/train.ts`). */
export function entryPoint(mainModule: string = Deno.mainModule): string {
  if (!mainModule.startsWith("file:")) return mainModule;
  const path = fileURLToPath(mainModule);
  const granted = Deno.permissions.querySync({ name: "read", path: "." }).state === "granted";
  if (!granted) return path;
  const rel = relative(Deno.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

/** The branch CI names when it checks out a detached commit. */
function ciBranch(): string | undefined {
  return env("GITHUB_HEAD_REF") ?? env("GITHUB_REF_NAME") ?? env("CI_COMMIT_REF_NAME");
}

/** This process's run source. */
export function currentRunSource(): RunSource {
  const git = gitState();
  const remote = gitRemoteUrl();
  return {
    user: userName(),
    sourceName: entryPoint(),
    sourceType: underCi() ? "JOB" : "LOCAL",
    gitCommit: git?.commit,
    gitDirty: git?.dirty,
    gitBranch: git ? gitBranch() ?? ciBranch() : undefined,
    gitRepoUrl: remote ? withoutUserInfo(remote) : undefined,
  };
}

let cached: Record<string, string> | undefined;

/**
 * The system tags of every MLflow run this process creates (the same for all of them,
 * so computed once).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSystemTags } from "./run_source.ts";
 *
 * const tags = runSystemTags();
 * assert.ok(tags["mlflow.user"]);
 * assert.match(tags["mlflow.source.type"], /^(LOCAL|JOB)$/);
 * ```
 */
export function runSystemTags(): Readonly<Record<string, string>> {
  cached ??= systemTags(currentRunSource());
  return cached;
}
