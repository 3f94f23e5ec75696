/**
 * Windows of served rows kept as counts, so their memory does not depend on traffic: for
 * every column (each feature, then the prediction) a count per grid bin, plus a count of
 * missing values and one of values outside the training range. A row is given as one
 * code per column ({@linkcode encodeCell}), computed once and shared by both windows.
 *
 * - {@linkcode RowWindow}: the last N rows, in a ring of codes (N bytes per column).
 * - {@linkcode TimeWindow}: the last T minutes, in one set of counts per minute.
 *
 * Rows arrive in batches. A large batch's counts are made once ({@linkcode countCodes}) and
 * added to each window's, so it costs a pass over its codes, one over the rows it pushes
 * out of the row window, and a few additions per slot; a small one is counted into each
 * window directly. Nothing is recomputed.
 *
 * @module
 */

/** Set in a cell's code when its value is outside the training range. */
export const OUT_OF_RANGE_FLAG = 0x80;

/** The slots of one column's counts: the grid bins, then missing, then out of range. */
export function slotsFor(bins: number): number {
  return bins + 2;
}

/**
 * The code of one cell: its grid bin (`bins` for a missing value), with
 * {@linkcode OUT_OF_RANGE_FLAG} if it lies outside `[min, max]`. Grids have at most 127
 * bins, so a code fits in a byte.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeCell, OUT_OF_RANGE_FLAG } from "./windows.ts";
 * assert.equal(encodeCell(NaN, 101, 37, 0, 1), 101);
 * assert.equal(encodeCell(0.37, 101, 37, 0.1, 0.9), 37);
 * assert.equal(encodeCell(0.95, 101, 95, 0.1, 0.9), 95 | OUT_OF_RANGE_FLAG);
 * ```
 */
export function encodeCell(
  value: number,
  bins: number,
  bin: number,
  min: number,
  max: number,
): number {
  if (Number.isNaN(value)) return bins;
  return value < min || value > max ? bin | OUT_OF_RANGE_FLAG : bin;
}

/**
 * Adds `delta` (1 or -1) to `counts` (`slots` per column) for each of `rows` rows of
 * `codes`, one code per column, starting at `codeOffset`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countCodes, OUT_OF_RANGE_FLAG } from "./windows.ts";
 *
 * // Two rows of one column with two bins: slots bin 0, bin 1, missing, out of range.
 * const counts = new Uint32Array(4);
 * countCodes(counts, 4, Uint8Array.of(1, 0 | OUT_OF_RANGE_FLAG), 0, 2, 1);
 * assert.deepEqual([...counts], [1, 1, 0, 1]);
 * ```
 */
export function countCodes(
  counts: Uint32Array,
  slots: number,
  codes: Uint8Array,
  codeOffset: number,
  rows: number,
  delta: number,
): void {
  const outOfRange = slots - 1;
  const width = counts.length;
  for (let r = 0, at = codeOffset; r < rows; r++) {
    for (let base = 0; base < width; base += slots, at++) {
      const code = codes[at];
      counts[base + (code & 0x7f)] += delta;
      if (code & OUT_OF_RANGE_FLAG) counts[base + outOfRange] += delta;
    }
  }
}

/** Copies `length` codes of `from` at `start` into `into` at `at`. */
function copyCodes(
  into: Uint8Array,
  at: number,
  from: Uint8Array,
  start: number,
  length: number,
): void {
  // A view for `set` costs more than the loop below for a row or two.
  if (length > 1024) into.set(from.subarray(start, start + length), at);
  else for (let k = 0; k < length; k++) into[at + k] = from[start + k];
}

/** Adds the counts `from` into `into`, slot by slot. */
function addCounts(into: Uint32Array, from: Uint32Array): void {
  for (let k = 0; k < into.length; k++) into[k] += from[k];
}

/** The counts of a window: `rows` rows, `columns * slots` counts. */
export interface WindowCounts {
  readonly rows: number;
  readonly counts: Uint32Array;
}

/** Every row added, with nothing dropped: for an offline report over a period. */
export class Tally {
  readonly counts: Uint32Array;
  readonly #slots: number;
  #rows = 0;

  /** An empty tally of `columns` columns with `slots` slots each. */
  constructor(columns: number, slots: number) {
    this.#slots = slots;
    this.counts = new Uint32Array(columns * slots);
  }

  /** Rows added. */
  get rows(): number {
    return this.#rows;
  }

  /** Adds `rows` rows of `codes` (one per column, row after row). */
  addRows(codes: Uint8Array, rows: number): void {
    countCodes(this.counts, this.#slots, codes, 0, rows, 1);
    this.#rows += rows;
  }

  /** The counts so far (not a copy). */
  snapshot(): WindowCounts {
    return { rows: this.#rows, counts: this.counts };
  }
}

/** The last `capacity` rows. */
export class RowWindow {
  readonly counts: Uint32Array;
  readonly #codes: Uint8Array;
  readonly #columns: number;
  readonly #slots: number;
  readonly #capacity: number;
  #next = 0;
  #rows = 0;

  /** An empty window of `capacity` rows of `columns` columns with `slots` slots each. */
  constructor(columns: number, slots: number, capacity: number) {
    this.#columns = columns;
    this.#slots = slots;
    this.#capacity = capacity;
    this.counts = new Uint32Array(columns * slots);
    this.#codes = new Uint8Array(columns * capacity);
  }

  /** Rows in the window. */
  get rows(): number {
    return this.#rows;
  }

  /**
   * Adds `rows` rows of `codes` (one per column, row after row), dropping the oldest rows
   * once the window is full. `counts`, if given, are those rows' counts.
   */
  addRows(codes: Uint8Array, rows: number, counts?: Uint32Array): void {
    const columns = this.#columns;
    const capacity = this.#capacity;
    if (rows >= capacity) {
      // The batch alone fills the window: it holds the batch's last rows and nothing else.
      const last = codes.subarray((rows - capacity) * columns, rows * columns);
      this.#codes.set(last);
      this.counts.fill(0);
      countCodes(this.counts, this.#slots, last, 0, capacity, 1);
      this.#rows = capacity;
      this.#next = 0;
      return;
    }
    // The ring in at most two runs: up to its end, then from its start.
    for (let done = 0; done < rows;) {
      const run = Math.min(rows - done, capacity - this.#next);
      const at = this.#next * columns;
      const evicted = Math.max(0, this.#rows + run - capacity);
      if (evicted > 0) countCodes(this.counts, this.#slots, this.#codes, at, evicted, -1);
      this.#rows += run - evicted;
      copyCodes(this.#codes, at, codes, done * columns, run * columns);
      this.#next = (this.#next + run) % capacity;
      done += run;
    }
    if (counts) addCounts(this.counts, counts);
    else countCodes(this.counts, this.#slots, codes, 0, rows, 1);
  }

  /** A copy of the window's counts. */
  snapshot(): WindowCounts {
    return { rows: this.#rows, counts: this.counts.slice() };
  }
}

const MINUTE_MS = 60_000;

/** The rows of the last `minutes` minutes, by the minute. */
export class TimeWindow {
  readonly counts: Uint32Array;
  readonly #buckets: { minute: number; rows: number; counts: Uint32Array }[];
  readonly #slots: number;
  #rows = 0;
  #minute = -Infinity;

  /** An empty window of `minutes` one-minute buckets. */
  constructor(columns: number, slots: number, minutes: number) {
    this.#slots = slots;
    this.counts = new Uint32Array(columns * slots);
    this.#buckets = Array.from({ length: minutes }, () => ({
      minute: -Infinity,
      rows: 0,
      counts: new Uint32Array(columns * slots),
    }));
  }

  /** Rows in the window as of the last {@linkcode TimeWindow.advance}. */
  get rows(): number {
    return this.#rows;
  }

  /** Drops the minutes that are more than the window's length before `nowMs`. */
  advance(nowMs: number): void {
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (minute === this.#minute) return;
    this.#minute = minute;
    const oldest = minute - this.#buckets.length;
    for (const bucket of this.#buckets) {
      if (bucket.minute > oldest || bucket.rows === 0) continue;
      for (let k = 0; k < bucket.counts.length; k++) this.counts[k] -= bucket.counts[k];
      this.#rows -= bucket.rows;
      bucket.counts.fill(0);
      bucket.rows = 0;
    }
  }

  /**
   * Adds `rows` rows of `codes` (one per column, row after row) served at `nowMs`.
   * `counts`, if given, are those rows' counts.
   */
  addRows(codes: Uint8Array, rows: number, nowMs: number, counts?: Uint32Array): void {
    this.advance(nowMs);
    const bucket = this.#buckets[this.#minute % this.#buckets.length];
    bucket.minute = this.#minute;
    bucket.rows += rows;
    this.#rows += rows;
    if (counts) {
      addCounts(bucket.counts, counts);
      addCounts(this.counts, counts);
    } else {
      countCodes(bucket.counts, this.#slots, codes, 0, rows, 1);
      countCodes(this.counts, this.#slots, codes, 0, rows, 1);
    }
  }

  /** A copy of the window's counts as of `nowMs`. */
  snapshot(nowMs: number): WindowCounts {
    this.advance(nowMs);
    return { rows: this.#rows, counts: this.counts.slice() };
  }
}
