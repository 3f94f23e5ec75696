/**
 * Windows of served rows kept as counts, so their memory does not depend on traffic: for
 * every column (each feature, then the prediction) a count per grid bin, plus a count of
 * missing values and one of values outside the training range. A row is given as one
 * code per column ({@linkcode encodeCell}), computed once and shared by both windows.
 *
 * - {@linkcode RowWindow}: the last N rows, in a ring of codes (N bytes per column).
 * - {@linkcode TimeWindow}: the last T minutes, in one set of counts per minute.
 *
 * Adding a row costs a few array operations per column; nothing is recomputed.
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

/** Adds `delta` (1 or -1) to `counts` for one row of `codes`. */
function count(
  counts: Uint32Array,
  codes: Uint8Array,
  codeOffset: number,
  columns: number,
  slots: number,
  delta: number,
): void {
  const bins = slots - 2;
  for (let c = 0, base = 0; c < columns; c++, base += slots) {
    const code = codes[codeOffset + c];
    counts[base + (code & 0x7f)] += delta;
    if (code & OUT_OF_RANGE_FLAG) counts[base + bins + 1] += delta;
  }
}

/** The counts of a window: `rows` rows, `columns * slots` counts. */
export interface WindowCounts {
  readonly rows: number;
  readonly counts: Uint32Array;
}

/** Every row added, with nothing dropped: for an offline report over a period. */
export class Tally {
  readonly counts: Uint32Array;
  readonly #columns: number;
  readonly #slots: number;
  #rows = 0;

  /** An empty tally of `columns` columns with `slots` slots each. */
  constructor(columns: number, slots: number) {
    this.#columns = columns;
    this.#slots = slots;
    this.counts = new Uint32Array(columns * slots);
  }

  /** Rows added. */
  get rows(): number {
    return this.#rows;
  }

  /** Adds a row (its `codes`). */
  add(codes: Uint8Array): void {
    count(this.counts, codes, 0, this.#columns, this.#slots, 1);
    this.#rows++;
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

  /** Adds a row (its `codes`, one per column), dropping the oldest if the window is full. */
  add(codes: Uint8Array): void {
    const columns = this.#columns;
    const at = this.#next * columns;
    if (this.#rows === this.#capacity) {
      count(this.counts, this.#codes, at, columns, this.#slots, -1);
    } else this.#rows++;
    this.#codes.set(codes, at);
    count(this.counts, codes, 0, columns, this.#slots, 1);
    this.#next = this.#next + 1 === this.#capacity ? 0 : this.#next + 1;
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
  readonly #columns: number;
  readonly #slots: number;
  #rows = 0;
  #minute = -Infinity;

  /** An empty window of `minutes` one-minute buckets. */
  constructor(columns: number, slots: number, minutes: number) {
    this.#columns = columns;
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

  /** Adds a row (its `codes`) served at `nowMs`. */
  add(codes: Uint8Array, nowMs: number): void {
    this.advance(nowMs);
    const bucket = this.#buckets[this.#minute % this.#buckets.length];
    bucket.minute = this.#minute;
    bucket.rows++;
    this.#rows++;
    count(bucket.counts, codes, 0, this.#columns, this.#slots, 1);
    count(this.counts, codes, 0, this.#columns, this.#slots, 1);
  }

  /** A copy of the window's counts as of `nowMs`. */
  snapshot(nowMs: number): WindowCounts {
    this.advance(nowMs);
    return { rows: this.#rows, counts: this.counts.slice() };
  }
}
