/**
 * Writes a JSON artefact with stable formatting so DVC hashes change only with content.
 *
 * @module
 */
import { dirname } from "node:path";

/** Writes `value` as indented JSON, creating the parent folder. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}

/** Reads a JSON artefact, naming the file when it is missing. */
export async function readJson<T>(path: string): Promise<T> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${path} is missing: run the stage that produces it (dvc repro)`);
    }
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}
