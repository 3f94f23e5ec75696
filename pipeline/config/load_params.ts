/**
 * Reads `config/params.yaml` and validates it, so that a typo fails before any work.
 *
 * @module
 */
import { parse } from "yaml";
import { type Params, ParamsSchema } from "./params_schema.ts";
import { parseWith, SchemaError } from "./schema_error.ts";

/** The default location of the params file, relative to the project root. */
export const DEFAULT_PARAMS_PATH = "config/params.yaml";

/** Parses and validates params YAML text; `source` names the file in error messages. */
export function parseParams(text: string, source: string): Params {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new SchemaError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  return parseWith(ParamsSchema, raw, source);
}

/** Reads and validates the params file, returning one stage's section. */
export async function loadParams<K extends keyof Params>(
  section: K,
  path = DEFAULT_PARAMS_PATH,
): Promise<Params[K]> {
  return parseParams(await Deno.readTextFile(path), path)[section];
}
