/**
 * A CSV file as an {@linkcode InputTable}: the first record is the header, and the file is
 * read as a stream, so memory holds a chunk of rows, never the file.
 *
 * @module
 */
import { csvRecords, namesColumns } from "../contract/csv_records.ts";
import {
  InputFileError,
  type InputRow,
  type InputTable,
  type UnreadableRow,
} from "./input_table.ts";

/**
 * Opens the CSV file at `path` and reads its header; throws an {@linkcode InputFileError}
 * if the file cannot be read or has no header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openCsvTable } from "./csv_table.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "population,medIncome\n0.1,0.2\n0.3\n");
 * const table = await openCsvTable(path);
 * assert.deepEqual(table.columns, ["population", "medIncome"]);
 * const rows = [];
 * for await (const chunk of table.chunks(100)) rows.push(...chunk);
 * assert.deepEqual(rows[0], { position: 2, cells: ["0.1", "0.2"] });
 * assert.equal(rows[1].position, 3); // one field where the header has two
 * assert.ok("error" in rows[1]);
 * await Deno.remove(path);
 * ```
 */
export async function openCsvTable(path: string): Promise<InputTable> {
  let file: Deno.FsFile;
  let size: number;
  try {
    file = await Deno.open(path);
    size = (await file.stat()).size;
  } catch (error) {
    throw new InputFileError(`${path}: ${reason(error)}`);
  }
  let bytesRead = 0;
  const text = file.readable
    .pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytesRead += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    )
    .pipeThrough(new TextDecoderStream("utf-8", { fatal: true, ignoreBOM: false }));
  const records = csvRecords(text);
  let first;
  try {
    first = await records.next();
  } catch (error) {
    file.close();
    throw new InputFileError(`${path}: ${reason(error)}`);
  }
  if (first.done) {
    throw new InputFileError(`${path}: the file is empty: a header line of column names is needed`);
  }
  if ("error" in first.value) {
    await records.return(undefined);
    throw new InputFileError(`${path}: line 1, the header: ${first.value.error}`);
  }
  const columns = first.value.fields.map((name) => name.trim());
  if (!namesColumns(columns)) {
    await records.return(undefined);
    throw new InputFileError(
      `${path}: line 1 holds no column names: the first line must be a header naming the columns`,
    );
  }
  return {
    columns,
    positionName: "line",
    async *chunks(chunkRows: number) {
      let chunk: (InputRow | UnreadableRow)[] = [];
      try {
        for await (const record of records) {
          if ("error" in record) chunk.push({ position: record.line, error: record.error });
          else if (record.fields.length !== columns.length) {
            chunk.push({
              position: record.line,
              error: `${record.fields.length} fields where the header has ${columns.length}`,
            });
          } else chunk.push({ position: record.line, cells: record.fields });
          if (chunk.length >= chunkRows) {
            yield chunk;
            chunk = [];
          }
        }
      } catch (error) {
        // Only decoding fails here: the rest of the file cannot be read as text.
        throw new InputFileError(`${path}: ${reason(error)}`);
      }
      if (chunk.length > 0) yield chunk;
    },
    fractionRead: () => (size === 0 ? 1 : bytesRead / size),
    close() {
      try {
        file.close();
      } catch {
        // Already closed by the stream's end.
      }
    },
  };
}

function reason(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "not allowed to read the file";
  if (error instanceof Deno.errors.IsADirectory) return "a directory, not a file";
  if (error instanceof TypeError && /decode/i.test(error.message)) {
    return "not UTF-8 text: a CSV file must be UTF-8";
  }
  return error instanceof Error ? error.message : String(error);
}
