/**
 * An append-only file of text lines, rotated by size: when a write would take it past the
 * limit, `log` becomes `log.1`, `log.1` becomes `log.2`, and so on up to the number of
 * files kept.
 *
 * Crash-safe at line granularity: a process killed in the middle of a write leaves part of
 * a line at the end of the file, and whatever is appended next would turn it into one
 * invalid line inside the file. So {@linkcode RotatingFile.open} cuts a partial last line
 * off before appending (see {@linkcode cutPartialLine} for why cut rather than close it).
 *
 * @module
 */
import { dirname } from "node:path";
import { jsonLogger, type Logger } from "./logger.ts";

/** Limits of a {@linkcode RotatingFile}. */
export interface RotationOptions {
  /** Size at which the file is rotated; a single larger write still goes in whole. */
  readonly maxBytes: number;
  /** Rotated files kept besides the current one. */
  readonly keep: number;
  /**
   * Told (at `warn`) when opening cut a partial last line off. Defaults to JSON lines on
   * stderr, like the server's own logs.
   */
  readonly logger?: Logger;
}

/** A size-rotated file; writes must not overlap (await each one). */
export class RotatingFile {
  readonly path: string;
  /**
   * Lines of an earlier process that opening the file cut off: 1 when its last line was
   * partial, else 0. A {@linkcode PredictionLog} counts them as dropped rows.
   */
  readonly rowsLostAtOpen: number;
  readonly #options: RotationOptions;
  #file: Deno.FsFile;
  #size: number;

  private constructor(
    path: string,
    options: RotationOptions,
    file: Deno.FsFile,
    size: number,
    rowsLostAtOpen: number,
  ) {
    this.path = path;
    this.#options = options;
    this.#file = file;
    this.#size = size;
    this.rowsLostAtOpen = rowsLostAtOpen;
  }

  /**
   * Opens `path` for appending, creating it and its directory if needed, after cutting
   * off a partial last line that a crash left (logged as a warning with its size).
   */
  static async open(path: string, options: RotationOptions): Promise<RotatingFile> {
    await Deno.mkdir(dirname(path), { recursive: true });
    const cut = await cutPartialLine(path);
    if (cut > 0) {
      (options.logger ?? jsonLogger("info")).warn(
        "the log ended in a partial line (a process stopped in the middle of a write): " +
          "cut it off; its row counts as dropped",
        { path, bytes: cut },
      );
    }
    const file = await Deno.open(path, { append: true, create: true });
    return new RotatingFile(path, options, file, (await file.stat()).size, cut > 0 ? 1 : 0);
  }

  /** Appends `bytes`, rotating first if they would not fit. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.#size > 0 && this.#size + bytes.length > this.#options.maxBytes) await this.#rotate();
    for (let offset = 0; offset < bytes.length;) {
      offset += await this.#file.write(bytes.subarray(offset));
    }
    this.#size += bytes.length;
  }

  /** Closes the current file. */
  close(): Promise<void> {
    this.#file.close();
    return Promise.resolve();
  }

  async #rotate(): Promise<void> {
    this.#file.close();
    // The oldest file goes first, so no rename below replaces an existing file: ext4
    // (auto_da_alloc) flushes a file renamed over another to disk at once, a burst of
    // I/O that showed up in request latency while the log rotated every few seconds.
    const { keep } = this.#options;
    await removeIfExists(keep > 0 ? `${this.path}.${keep}` : this.path);
    for (let i = keep - 1; i >= 1; i--) {
      await renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
    }
    if (keep > 0) await renameIfExists(this.path, `${this.path}.1`);
    this.#file = await Deno.open(this.path, { append: true, create: true });
    this.#size = 0;
  }
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await Deno.rename(from, to);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

const LF = 10;
/** How much of the file's end is read at a time while looking for the last line break. */
const SCAN_BYTES = 64 * 1024;

/**
 * Truncates `path` just after its last line break, if anything follows it, and returns
 * how many bytes were cut (0 for a missing or empty file, or one ending in a line break).
 *
 * Why cut the partial line rather than end it with a line break: a line break would keep
 * an invalid JSON line in the file for good, and every reader after it would have to
 * know to skip it; cut, the file is whole lines of valid JSON again. Nothing usable is
 * lost: the rest of the line was in the memory of the process that died, and a line is
 * only ever written together with its line break, so bytes after the last break are
 * never a complete row. The row counts as dropped instead, and the warning gives the
 * bytes cut, so the loss is visible in `prediction_log_dropped_total` and in the log.
 */
export async function cutPartialLine(path: string): Promise<number> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    let keep = 0;
    const block = new Uint8Array(SCAN_BYTES);
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - SCAN_BYTES);
      const bytes = block.subarray(0, end - start);
      await file.seek(start, Deno.SeekMode.Start);
      for (let read = 0; read < bytes.length;) {
        const n = await file.read(bytes.subarray(read));
        if (n === null) throw new Error(`${path}: shorter than its size while being read`);
        read += n;
      }
      const lf = bytes.lastIndexOf(LF);
      if (lf >= 0) {
        keep = start + lf + 1;
        break;
      }
      end = start;
    }
    if (keep < size) await file.truncate(keep);
    return size - keep;
  } finally {
    file.close();
  }
}
