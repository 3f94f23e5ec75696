/**
 * A JSON file that one stage writes and another reads, bound to its path and its zod
 * schema: the reader gets a checked value or an error naming the file and the bad key,
 * never a cast. The formatting is stable, so DVC's hashes change only with the content.
 *
 * @module
 */
import { dirname } from "node:path";
import type { z } from "zod";
import { parseWith } from "../config/schema_error.ts";
import { UserError } from "../core/user_error.ts";

/** A stage input that is missing or unreadable; the message says which and what to run. */
export class ArtefactError extends UserError {
  override name = "ArtefactError";
}

/**
 * The text of `path`, or an {@link ArtefactError} saying to run the producing stage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(readArtefactText("no/such/file.json"), ArtefactError);
 * ```
 */
export async function readArtefactText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ArtefactError(`${path} is missing: run the stage that produces it (dvc repro)`);
    }
    throw error;
  }
}

/**
 * Formats a value as the project's JSON files are: indented by 2, with a final newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatJson({ a: [1] }), '{\n  "a": [\n    1\n  ]\n}\n');
 * ```
 */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** Writes `value` as formatted JSON to `path`, creating the parent folder. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, formatJson(value));
}

/** A typed JSON artefact: its path and how to read, check and write it. */
export interface JsonArtefact<T> {
  /** Where the pipeline keeps it, relative to the project root (as in `dvc.yaml`). */
  readonly path: string;
  /** Parses and checks JSON text; `source` names it in errors. */
  parse(text: string, source?: string): T;
  /** Reads and checks the file (at `path` unless another is given). */
  read(path?: string): Promise<T>;
  /** Checks a value about to be written; `at` names where it goes in errors. */
  check(value: T, at?: string): T;
  /** Checks `value` and writes it (to `path` unless another is given). */
  write(value: T, path?: string): Promise<void>;
}

/**
 * Binds a path to a schema.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 *
 * const counter = jsonArtefact("counter.json", z.strictObject({ count: z.number() }));
 * assert.deepEqual(counter.parse('{"count": 2}'), { count: 2 });
 * assert.throws(() => counter.parse('{"count": "2"}'), /counter.json: count: /);
 * assert.throws(() => counter.parse("{"), /counter.json is not valid JSON/);
 * ```
 */
export function jsonArtefact<S extends z.ZodType>(
  path: string,
  schema: S,
): JsonArtefact<z.infer<S>> {
  const parse = (text: string, source = path): z.infer<S> => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ArtefactError(`${source} is not valid JSON: ${(error as Error).message}`);
    }
    return parseWith(schema, raw, source);
  };
  const check = (value: z.infer<S>, at = path): z.infer<S> =>
    parseWith(schema, value, `${at} (being written)`);
  return {
    path,
    parse,
    check,
    read: async (at = path) => parse(await readArtefactText(at), at),
    write: async (value, at = path) => {
      await writeJsonFile(at, check(value, at));
    },
  };
}
