/**
 * A Parquet file as an {@linkcode InputTable}, read through nodejs-polars in slices of
 * {@linkcode SLICE_ROWS} rows (`scanParquet(path).slice(offset, rows)`): only the slice
 * being scored is held in JavaScript, and each slice's native frame is freed before the
 * next (`collectGarbage` below says why that needs a hand). Each slice is a new scan of
 * the file, so memory stays flat: 1M rows in 64k-row groups and in a single row group
 * both peaked under 500 MiB, as CSV does in `bench/batch_predict.ts`. That is measured,
 * not proved for every file.
 *
 * nodejs-polars is a native addon of 50 MB, imported only when a Parquet file is opened,
 * by a computed specifier: a literal one would make `deno compile` embed it in the
 * server's binary and the container build keep it in the server image. Where it is not
 * installed (the binary, the image), Parquet input is refused with that reason.
 *
 * @module
 */
import v8 from "node:v8";
import vm from "node:vm";
import { type Cell, InputFileError, type InputRow, type InputTable } from "./input_table.ts";

/** The part of nodejs-polars used here, typed by hand: a type import would load it too. */
interface Polars {
  scanParquet(path: string): LazyFrame;
  col(name: string): Expr;
  len(): Expr;
  readonly Float64: unknown;
}
interface Expr {
  cast(type: unknown): Expr;
}
interface LazyFrame {
  limit(rows: number): LazyFrame;
  slice(offset: number, rows: number): LazyFrame;
  select(...columns: Expr[]): LazyFrame;
  collectSync(): Frame;
}
interface Frame {
  readonly columns: string[];
  readonly height: number;
  getColumns(): Series[];
  getColumn(name: string): Series;
}
interface Series {
  isNumeric(): boolean;
  toArray(): unknown[];
  toTypedArray(): unknown;
  nullCount(): number;
  fillNull(strategy: "zero"): Series;
  isNull(): Series;
  [index: number]: unknown;
}

/** Rows decoded from the file at a time (about 32 MiB for the data set's 124 columns). */
export const SLICE_ROWS = 32_768;

const POLARS = ["nodejs", "polars"].join("-");

async function loadPolars(): Promise<Polars> {
  try {
    return ((await import(POLARS)) as { default: Polars }).default;
  } catch (error) {
    throw new InputFileError(
      `Parquet input needs the nodejs-polars package, which this build does not carry ` +
        `(${(error as Error).message.split("\n")[0]}): convert the file to CSV, or run ` +
        "`deno task predict` from the project",
    );
  }
}

/**
 * Runs V8's garbage collector. A polars frame's memory is native and V8 does not count
 * it, so without a collection each slice's frame stays until the JavaScript heap fills,
 * which it barely does: memory would grow with the file.
 */
function collectGarbage(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/**
 * Opens the Parquet file at `path`, reading only the columns `wanted` keeps (all by
 * default); throws an {@linkcode InputFileError} if it cannot be read.
 *
 * @example Needs nodejs-polars' native addon, as the tests do
 * ```ts ignore
 * import { openParquetTable } from "./parquet_table.ts";
 * const table = await openParquetTable("data/processed/clean.parquet");
 * console.log(table.columns.length);
 * ```
 */
export async function openParquetTable(
  path: string,
  wanted: (column: string) => boolean = () => true,
): Promise<InputTable> {
  const pl = await loadPolars();
  let columns: string[];
  let numeric: boolean[];
  let total: number;
  try {
    await Deno.stat(path);
    const empty = pl.scanParquet(path).limit(0).collectSync();
    columns = empty.columns;
    numeric = empty.getColumns().map((series) => series.isNumeric());
    total = Number(pl.scanParquet(path).select(pl.len()).collectSync().getColumn("len")[0]);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : `not a readable Parquet file (${(error as Error).message.split("\n")[0]})`;
    throw new InputFileError(`${path}: ${why}`);
  }
  const read = columns.map((name) => wanted(name));
  let done = 0;
  const gc = collectGarbage();
  return {
    columns,
    positionName: "row",
    async *chunks(chunkRows: number) {
      const lazy = pl.scanParquet(path);
      const selected = columns.filter((_, j) => read[j]);
      // Polars decodes every row group a slice touches, whole: few large slices decode
      // each group a few times, where one slice per chunk would decode it hundreds.
      const sliceRows = Math.max(chunkRows, SLICE_ROWS);
      for (let offset = 0; offset < total; offset += sliceRows) {
        const frame = lazy.slice(offset, sliceRows).select(
          ...selected.map((name) =>
            numeric[columns.indexOf(name)] ? pl.col(name).cast(pl.Float64) : pl.col(name)
          ),
        ).collectSync();
        const height = frame.height;
        const values: (ArrayLike<Cell> | undefined)[] = columns.map((name, j) => {
          if (!read[j]) return undefined;
          const series = frame.getColumn(name);
          if (!numeric[j]) return series.toArray() as Cell[];
          if (series.nullCount() === 0) return series.toTypedArray() as Float64Array;
          // A typed array cannot hold a null: fill, then put the nulls back.
          const x = series.fillNull("zero").toTypedArray() as Float64Array;
          const nulls = series.isNull().toArray() as boolean[];
          return Array.from(x, (v, i) => (nulls[i] ? null : v));
        });
        for (let start = 0; start < height; start += chunkRows) {
          const end = Math.min(height, start + chunkRows);
          const rows: InputRow[] = new Array(end - start);
          for (let i = start; i < end; i++) {
            const cells: Cell[] = new Array(columns.length).fill(null);
            for (let j = 0; j < columns.length; j++) {
              const column = values[j];
              if (column) cells[j] = column[i] ?? null;
            }
            rows[i - start] = { position: offset + i + 1, cells };
          }
          done = offset + end;
          yield rows;
        }
        gc();
        // Polars frees a frame's memory in a finaliser, which runs after this task.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
    fractionRead: () => (total === 0 ? 1 : done / total),
    close() {},
  };
}
