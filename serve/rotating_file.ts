/**
 * An append-only text file rotated by size: when a write would take it past the limit,
 * `log` becomes `log.1`, `log.1` becomes `log.2`, and so on up to the number of files kept.
 *
 * @module
 */
import { dirname } from "node:path";

/** Limits of a {@linkcode RotatingFile}. */
export interface RotationOptions {
  /** Size at which the file is rotated; a single larger write still goes in whole. */
  readonly maxBytes: number;
  /** Rotated files kept besides the current one. */
  readonly keep: number;
}

/** A size-rotated file; writes must not overlap (await each one). */
export class RotatingFile {
  readonly path: string;
  readonly #options: RotationOptions;
  #file: Deno.FsFile;
  #size: number;

  private constructor(path: string, options: RotationOptions, file: Deno.FsFile, size: number) {
    this.path = path;
    this.#options = options;
    this.#file = file;
    this.#size = size;
  }

  /** Opens `path` for appending, creating it and its directory if needed. */
  static async open(path: string, options: RotationOptions): Promise<RotatingFile> {
    await Deno.mkdir(dirname(path), { recursive: true });
    const file = await Deno.open(path, { append: true, create: true });
    return new RotatingFile(path, options, file, (await file.stat()).size);
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
