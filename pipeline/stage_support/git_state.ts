/**
 * The git facts a run records about its source: the checked-out commit, whether tracked
 * sources differ from it, the branch and the remote. Read with `git` where `--allow-run`
 * grants it; elsewhere, and outside a repository, each is `undefined`.
 *
 * @module
 */
import { commandOutputSync } from "./command_output.ts";

/** The checked-out commit and whether tracked sources differ from it. */
export interface GitState {
  readonly commit: string;
  readonly dirty: boolean;
}

/** `git args` output, `undefined` when git cannot run here or fails. */
function git(...args: string[]): string | undefined {
  const out = commandOutputSync("git", args);
  return out?.code === 0 ? out.text : undefined;
}

/** The working tree's commit and cleanliness; `undefined` outside git or without `--allow-run`. */
export function gitState(): GitState | undefined {
  const commit = git("rev-parse", "HEAD");
  if (!commit) return undefined;
  // dvc.lock and the stage outputs change while the pipeline runs; only source counts.
  const changes = git(
    "status",
    "--porcelain",
    "--untracked-files=no",
    "--",
    ".",
    ":!dvc.lock",
    ":!reports",
    ":!models",
  );
  return { commit, dirty: changes !== undefined && changes !== "" };
}

/** The checked-out branch, `undefined` on a detached HEAD or outside git. */
export function gitBranch(): string | undefined {
  const branch = git("rev-parse", "--abbrev-ref", "HEAD");
  return branch && branch !== "HEAD" ? branch : undefined;
}

/** The URL of the `origin` remote, if there is one. */
export function gitRemoteUrl(): string | undefined {
  return git("remote", "get-url", "origin") || undefined;
}
