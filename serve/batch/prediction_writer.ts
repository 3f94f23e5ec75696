/**
 * Writes batch predictions as CSV: the row's identifiers (or its position), the
 * prediction, and the model name and version. Rows are buffered and written in blocks
 * with the file's backpressure; a file is written beside its destination and renamed
 * into place only when the run succeeds, so a failed run leaves no half-written output.
 *
 * @module
 */

/** Where predictions go. */
export interface PredictionWriter {
  /** Writes one row: its identifier cells, then its prediction. */
  write(ids: readonly string[], prediction: number): Promise<void>;
  /** Flushes and puts the output in place. */
  commit(): Promise<void>;
  /** Removes the partial output (after a failed run). */
  discard(): Promise<void>;
}

const BLOCK_CHARS = 1 << 16;

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Opens `path` (`-` for standard output) for predictions with identifier columns
 * `idColumns`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openPredictionWriter } from "./prediction_writer.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * const out = await openPredictionWriter(path, ["communityname"], { name: "m", version: "3" });
 * await out.write(["Lakewood, city"], 0.25);
 * await out.commit();
 * assert.equal(
 *   await Deno.readTextFile(path),
 *   'communityname,prediction,model_name,model_version\n"Lakewood, city",0.25,m,3\n',
 * );
 * await Deno.remove(path);
 * ```
 */
export async function openPredictionWriter(
  path: string,
  idColumns: readonly string[],
  model: { readonly name: string; readonly version: string },
): Promise<PredictionWriter> {
  const partial = path === "-" ? undefined : `${path}.partial`;
  const file = partial
    ? await Deno.open(partial, { write: true, create: true, truncate: true })
    : undefined;
  const sink = file ? file.writable.getWriter() : Deno.stdout.writable.getWriter();
  const encoder = new TextEncoder();
  const suffix = `,${csvField(model.name)},${csvField(model.version)}\n`;
  let buffer = [...idColumns, "prediction", "model_name", "model_version"].map(csvField)
    .join(",") + "\n";
  const flush = async () => {
    if (buffer === "") return;
    const bytes = encoder.encode(buffer);
    buffer = "";
    await sink.ready;
    await sink.write(bytes);
  };
  return {
    async write(ids, prediction) {
      buffer += ids.length === 0
        ? `${prediction}${suffix}`
        : `${ids.map(csvField).join(",")},${prediction}${suffix}`;
      if (buffer.length >= BLOCK_CHARS) await flush();
    },
    async commit() {
      await flush();
      if (file) {
        await sink.close();
        await Deno.rename(partial!, path);
      } else sink.releaseLock();
    },
    async discard() {
      buffer = "";
      if (file) {
        await sink.abort().catch(() => {});
        await Deno.remove(partial!).catch(() => {});
      } else sink.releaseLock();
    },
  };
}
