/**
 * What the serve benchmarks send and serve: the bundle (the pipeline's, else a synthetic
 * ridge bundle) and request rows taken from the data set, as clients send them.
 *
 * @module
 */
import { join } from "node:path";
import { loadRaw } from "../pipeline/data/load_raw.ts";
import { testBundle, writeBundle } from "../tests/support/test_bundle.ts";

/**
 * The bundle to serve: `explicit` if given, else `models/model_bundle.json` if it exists,
 * else a synthetic ridge bundle written in `scratch`. `label` says which, for the report.
 *
 * @example
 * ```ts ignore
 * const { path, label } = await chooseBundle(await Deno.makeTempDir());
 * ```
 */
export async function chooseBundle(
  scratch: string,
  explicit?: string,
): Promise<{ path: string; label: string }> {
  if (explicit) return { path: explicit, label: explicit };
  try {
    await Deno.stat("models/model_bundle.json");
    return { path: "models/model_bundle.json", label: "models/model_bundle.json" };
  } catch {
    const path = join(scratch, "bundle.json");
    await writeBundle(path, await testBundle());
    return { path, label: "synthetic ridge bundle (no models/model_bundle.json)" };
  }
}

/**
 * Request rows: the data set's communities with the features `names` (missing as null).
 *
 * @example
 * ```ts ignore
 * const [first] = await dataRows(["population", "medIncome"]);
 * ```
 */
export async function dataRows(names: readonly string[]): Promise<Record<string, number | null>[]> {
  const { table } = await loadRaw();
  return Array.from({ length: table.rowCount }, (_, i) =>
    Object.fromEntries(names.map((name) => {
      const value = table.numbers.get(name)![i];
      return [name, Number.isNaN(value) ? null : value];
    })));
}
