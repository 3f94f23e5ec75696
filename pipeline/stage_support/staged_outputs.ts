/**
 * Stage outputs that appear only when the whole stage succeeded: each is written next to
 * its final path (`<path>.partial`) and renamed into place by {@linkcode StagedOutputs.commit}
 * at the very end. With DVC's `persist: true` on those outputs (DVC then leaves them in
 * place while the stage runs), a stage that fails or is killed at any point leaves the
 * previous outputs whole: a rename replaces a file atomically, never half-written.
 *
 * @module
 */
import { dirname } from "node:path";
import { formatJson, type JsonArtefact } from "../artefacts/json_artefact.ts";

/** Outputs being written; nothing reaches its final path before {@linkcode commit}. */
export class StagedOutputs {
  /** Final paths, in the order they were staged. */
  readonly #paths: string[] = [];

  /** Where the output bound for `path` is written until the commit. */
  staged(path: string): string {
    return `${path}.partial`;
  }

  /** Writes `text` for `path`. */
  async writeText(path: string, text: string): Promise<string> {
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(this.staged(path), text);
    if (!this.#paths.includes(path)) this.#paths.push(path);
    return this.staged(path);
  }

  /** Writes `value` as JSON for `path`, formatted as every JSON artefact is. */
  writeJson(path: string, value: unknown): Promise<string> {
    return this.writeText(path, formatJson(value));
  }

  /** Checks `value` against the artefact's schema and writes it for the artefact's path. */
  writeArtefact<T>(artefact: JsonArtefact<T>, value: T): Promise<string> {
    return this.writeJson(artefact.path, artefact.check(value));
  }

  /** Moves every staged output to its final path, in the order they were staged. */
  async commit(): Promise<void> {
    for (const path of this.#paths) await Deno.rename(this.staged(path), path);
    this.#paths.length = 0;
  }

  /** Removes the staged files; the final paths keep what they had. */
  async discard(): Promise<void> {
    for (const path of this.#paths) await Deno.remove(this.staged(path)).catch(() => {});
    this.#paths.length = 0;
  }
}
