/**
 * Reads a valid batch body, `{"rows": [{feature: number | null, ...}, ...]}`, from its
 * bytes straight into packed rows, in one pass: no text is decoded, no object is built,
 * and where each row lies in the body comes out on the way, for the prediction log.
 *
 * Why: for a 1000-row batch (2.5 MB), the general path (scan, decode, `JSON.parse`,
 * one object per row, then the row check) cost more than the model. This reader only
 * takes bodies it is certain about and answers `undefined` for any other, which then
 * goes the general way (`read_json.ts`, the row packer, the 422 answer): a byte it does
 * not expect, a string escape, a non-ASCII byte, a key it does not know or sees twice,
 * a missing feature, a value out of range or a null where none is allowed, NaN or
 * Infinity literals, an empty batch or one over the row limit, a member besides `rows`.
 * So what it accepts is valid JSON that the general path accepts too, and the packed
 * values are the ones `JSON.parse` gives: a number of at most 15 significant digits and
 * a decimal exponent within ±22 is one correctly rounded product or quotient of exact
 * doubles (Clinger's fast path); any other number is read by `Number` from its text.
 *
 * @module
 */
import type { FeatureSpec } from "../../pipeline/bundle/bundle_schema.ts";

/** A batch read by a {@linkcode BatchReader}. */
export interface ReadBatch {
  readonly rows: number;
  /**
   * `rows` x features, in contract order; NaN where a row has null. The reader's own
   * buffer, which its next read overwrites: use it before awaiting anything (copying a
   * 1000-row batch out cost a fifth of the read).
   */
  readonly x: Float64Array;
  /** Start and end (exclusive) byte offset of each row's object in the body, as pairs. */
  readonly spans: Int32Array;
  /** Whether the body has a line break (CR or LF) between its tokens. */
  readonly lineBreaks: boolean;
}

/** Reads a body's bytes, or answers `undefined` for the general path. */
export type BatchReader = (body: Uint8Array) => ReadBatch | undefined;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_ARRAY = 0x5d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const N = 0x6e;
const U = 0x75;
const L = 0x6c;

/** 10^0 to 10^22: every one an exact double. */
const POWERS = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const ROWS_KEY = [0x72, 0x6f, 0x77, 0x73]; // rows
/** Longest number text read by `Number` (a double needs at most 17 significant digits). */
const MAX_NUMBER_BYTES = 64;

/**
 * A reader of batch bodies for the contract `features` and at most `maxRows` rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileBatchReader } from "./batch_reader.ts";
 *
 * const read = compileBatchReader([
 *   { name: "a", min: 0, max: 1, nullable: false },
 *   { name: "b", min: 0, max: 1, nullable: true },
 * ], 1000);
 * const body = new TextEncoder().encode('{"rows":[{"a":0.5,"b":null},{"b":1,"a":0}]}');
 * const batch = read(body);
 * assert.deepEqual(Array.from(batch!.x), [0.5, NaN, 0, 1]);
 * assert.deepEqual(Array.from(batch!.spans), [9, 27, 28, 41]);
 * assert.equal(read(new TextEncoder().encode('{"rows":[{"a":2,"b":0}]}')), undefined);
 * ```
 */
export function compileBatchReader(
  features: readonly Pick<FeatureSpec, "name" | "min" | "max" | "nullable">[],
  maxRows: number,
): BatchReader {
  const width = features.length;
  const names = features.map((f) => Uint8Array.from(f.name, (ch) => ch.charCodeAt(0)));
  const index = new Map(features.map((f, j) => [f.name, j]));
  const min = Float64Array.from(features, (f) => f.min);
  const max = Float64Array.from(features, (f) => f.max);
  const nullable = Uint8Array.from(features, (f) => (f.nullable ? 1 : 0));
  const seen = new Int32Array(width);
  const words = names.map((name) => {
    const view = new DataView(name.buffer);
    return Int32Array.from({ length: name.length >> 2 }, (_, k) => view.getInt32(4 * k, true));
  });
  const longestName = names.reduce((n, name) => Math.max(n, name.length), 0);
  // A row has every key, quoted, its colon and value, and commas between: its fewest
  // bytes bound the rows a body can hold, and so the buffers, whatever the row limit.
  const minRowBytes = names.reduce((n, name) => n + name.length, 0) + 4 * width;
  // Grown to the largest batch read so far, and reused.
  let x = new Float64Array(0);
  let spans = new Int32Array(0);

  return (body) => {
    const capacity = Math.min(maxRows, Math.floor(body.length / minRowBytes) + 1);
    if (spans.length < 2 * capacity) {
      x = new Float64Array(capacity * width);
      spans = new Int32Array(2 * capacity);
    }
    sawLineBreak = false;
    try {
      const rows = readRows(body, {
        names,
        words,
        index,
        min,
        max,
        nullable,
        seen,
        longestName,
        maxRows: Math.min(maxRows, spans.length / 2),
        x,
        spans,
      });
      return rows === 0 ? undefined : {
        rows,
        x: x.subarray(0, rows * width),
        spans: spans.slice(0, 2 * rows),
        lineBreaks: sawLineBreak,
      };
    } finally {
      // Marks are row numbers: a later body reuses them, so they are cleared.
      seen.fill(0);
    }
  };
}

/** What {@linkcode readRows} reads against, and where it writes. */
interface Plan {
  readonly names: readonly Uint8Array[];
  /** Each name's bytes four at a time, as little-endian words (its tail left out). */
  readonly words: readonly Int32Array[];
  readonly index: ReadonlyMap<string, number>;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly nullable: Uint8Array;
  /** Row number + 1 at which each feature was last seen: a repeat within a row declines. */
  readonly seen: Int32Array;
  readonly longestName: number;
  readonly maxRows: number;
  readonly x: Float64Array;
  readonly spans: Int32Array;
}

/**
 * Set by {@linkcode skip} when it passes a line break: the log then knows without
 * looking whether a row's bytes need their line breaks replaced (a look at every byte
 * of the body again, which costs more than the rest of its lines).
 */
let sawLineBreak = false;

/**
 * The first position at or after `at` that is not JSON whitespace. The row loop calls
 * it only on a byte that may be whitespace: compact bodies have none.
 */
function skip(body: Uint8Array, at: number): number {
  for (;;) {
    const b = body[at];
    if (b !== SPACE) {
      if (b === LF || b === CR) sawLineBreak = true;
      else if (b !== TAB) return at;
    }
    at++;
  }
}

/**
 * Whether the bytes of `view` from `start` on begin with `name`, which must lie within
 * it: four bytes at a time (keys are most of a batch body's bytes), then the rest.
 */
function sameBytes(view: DataView, start: number, name: Uint8Array, words: Int32Array): boolean {
  for (let k = 0; k < words.length; k++) {
    if (view.getInt32(start + 4 * k, true) !== words[k]) return false;
  }
  for (let k = 4 * words.length; k < name.length; k++) {
    if (view.getUint8(start + k) !== name[k]) return false;
  }
  return true;
}

/** The rows read into `plan.x` and `plan.spans`, or 0 to decline. */
function readRows(body: Uint8Array, plan: Plan): number {
  const { names, words, index, min, max, nullable, seen, longestName, maxRows, x, spans } = plan;
  const width = names.length;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const end = body.length;
  let at = skip(body, 0);
  if (body[at] !== OPEN) return 0;
  at = skip(body, at + 1);
  if (body[at] !== QUOTE) return 0;
  for (let k = 0; k < ROWS_KEY.length; k++) if (body[++at] !== ROWS_KEY[k]) return 0;
  if (body[++at] !== QUOTE) return 0;
  at = skip(body, at + 1);
  if (body[at] !== COLON) return 0;
  at = skip(body, at + 1);
  if (body[at] !== OPEN_ARRAY) return 0;
  let rows = 0;
  for (;;) {
    if (rows === maxRows) return 0;
    if (body[++at] <= SPACE) at = skip(body, at);
    if (body[at] !== OPEN) return 0;
    const offset = rows * width;
    const mark = rows + 1;
    spans[2 * rows] = at;
    let members = 0;
    let next = 0;
    for (;;) {
      if (body[++at] <= SPACE) at = skip(body, at);
      if (body[at] !== QUOTE) return 0;
      // The key: the feature expected next (rows usually keep one order), else looked up.
      const keyStart = ++at;
      let j = next;
      const name = j < width ? names[j] : undefined;
      if (
        name !== undefined && body[keyStart + name.length] === QUOTE &&
        sameBytes(view, keyStart, name, words[j])
      ) {
        at = keyStart + name.length;
      } else {
        for (;;) {
          const b = body[at];
          if (b === QUOTE) break;
          if (b === BACKSLASH || !(b >= SPACE && b < 0x80)) return 0; // also the body's end
          if (at - keyStart === longestName) return 0;
          at++;
        }
        const found = index.get(String.fromCharCode(...body.subarray(keyStart, at)));
        if (found === undefined) return 0;
        j = found;
      }
      if (seen[j] === mark) return 0;
      seen[j] = mark;
      members++;
      next = j + 1;
      if (body[++at] <= SPACE) at = skip(body, at);
      if (body[at] !== COLON) return 0;
      if (body[++at] <= SPACE) at = skip(body, at);
      let b = body[at];
      if (b === N) {
        if (body[at + 1] !== U || body[at + 2] !== L || body[at + 3] !== L || !nullable[j]) {
          return 0;
        }
        at += 4;
        x[offset + j] = NaN;
      } else {
        // A number, by the JSON grammar.
        const numberStart = at;
        const negative = b === MINUS;
        if (negative) b = body[++at];
        let mantissa = 0;
        let digits = 0; // significant digits in `mantissa`
        let exponent = 0;
        if (b === ZERO) {
          b = body[++at];
        } else if (b > ZERO && b <= NINE) {
          do {
            mantissa = mantissa * 10 + (b - ZERO);
            digits++;
            b = body[++at];
          } while (b >= ZERO && b <= NINE);
        } else return 0;
        if (b === DOT) {
          b = body[++at];
          if (!(b >= ZERO && b <= NINE)) return 0;
          do {
            if (digits > 0 || b !== ZERO) digits++;
            mantissa = mantissa * 10 + (b - ZERO);
            exponent--;
            b = body[++at];
          } while (b >= ZERO && b <= NINE);
        }
        if (b === LOWER_E || b === UPPER_E) {
          b = body[++at];
          let sign = 1;
          if (b === PLUS || b === MINUS) {
            if (b === MINUS) sign = -1;
            b = body[++at];
          }
          if (!(b >= ZERO && b <= NINE)) return 0;
          let e = 0;
          do {
            if (e < 100_000) e = e * 10 + (b - ZERO);
            b = body[++at];
          } while (b >= ZERO && b <= NINE);
          exponent += sign * e;
        }
        let v: number;
        if (digits > 15 || exponent > 22 || exponent < -22) {
          // Rare (more digits than a double holds): its text, if it is of a sane length.
          if (at - numberStart > MAX_NUMBER_BYTES) return 0;
          v = Number(String.fromCharCode(...body.subarray(numberStart, at)));
        } else {
          v = exponent >= 0 ? mantissa * POWERS[exponent] : mantissa / POWERS[-exponent];
          if (negative) v = -v;
        }
        if (!(v >= min[j] && v <= max[j])) return 0;
        x[offset + j] = v;
      }
      if (body[at] <= SPACE) at = skip(body, at);
      b = body[at];
      if (b === CLOSE) break;
      if (b !== COMMA) return 0;
    }
    if (members !== width) return 0;
    spans[2 * rows + 1] = ++at;
    rows++;
    if (body[at] <= SPACE) at = skip(body, at);
    const b = body[at];
    if (b === CLOSE_ARRAY) break;
    if (b !== COMMA) return 0;
  }
  at = skip(body, at + 1);
  if (body[at] !== CLOSE) return 0;
  return skip(body, at + 1) === end ? rows : 0;
}
