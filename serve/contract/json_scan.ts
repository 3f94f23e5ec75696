/**
 * One pass over a request body's bytes before `JSON.parse` sees them: it checks the JSON
 * grammar (with the `NaN`, `Infinity` and `-Infinity` literals that Python's `json.dumps`
 * writes), finds those literals outside strings and, given the shape the body is checked
 * against, cuts what validation never reads, so that parsing costs what a valid body of
 * that shape could cost rather than whatever a client chose to send.
 *
 * Why a hand-written state machine: the regular expression it replaces backtracked over
 * escaped quotes, so a body of them cost the square of its length (256 KB held an instance
 * for 21 s); and `JSON.parse` alone builds whatever it is given (700,000 keys in one
 * object: 300 ms and 100 MB before validation starts). This loop reads each byte once,
 * allocates nothing per token and knows which parts of the body the schema reads. No
 * npm package does that: streaming JSON parsers (`clarinet`, `@streamparser/json`,
 * `jsonc-parser`) hand every token to a callback, several times slower than this loop,
 * none reads NaN/Infinity, none can be told which subtrees to drop, and each would be one
 * more dependency in the server image.
 *
 * What is cut, and why the answer stays the same: the schemas read a row's values only to
 * tell a number (or null) from anything else, so a container where a value belongs is
 * replaced by an empty one of the same kind ("got an array" either way), and a long
 * string by its first characters (an answer shows 37 at most). Keys, numbers and the
 * objects and arrays the schema walks into (the body, the rows array, each row) are kept.
 *
 * What cannot be made cheap is refused, as soon as it is certain: an object the schema
 * walks into with more than `maxFields` members, which no valid body has (at most
 * `maxFields - 100` of them can be features, so over 100 are unknown or repeated), and a
 * batch whose rows array is longer than `maxRows`. The rest of such a body is not read,
 * so one that is also malformed further on gets that answer rather than "malformed".
 *
 * Positions in messages are byte offsets in the body (less a byte-order mark).
 *
 * @module
 */

/** What a body is checked against, and the limits of what is parsed. */
export interface ScanShape {
  /** `row`: one feature object; `batch`: `{ "rows": [row, ...] }`. */
  readonly kind: "row" | "batch";
  /** Most members an object the schema walks into (the body, a row) may have. */
  readonly maxFields: number;
  /** Most elements of a batch's `rows` array. */
  readonly maxRows: number;
}

/** The outcome of a scan. */
export type ScanResult =
  | {
    readonly kind: "json";
    /** The bytes to parse: the body itself, or the body with unread parts cut. */
    readonly bytes: Uint8Array;
    /**
     * Set when the body had NaN/Infinity literals where the schema reads values: they are
     * in `bytes` as strings of this prefix (NUL characters, more than any string of the
     * body starts with) and the literal, for {@linkcode restoreNonFinite}.
     */
    readonly mark?: string;
  }
  | { readonly kind: "empty" }
  | { readonly kind: "malformed"; readonly message: string }
  | { readonly kind: "too_many_rows"; readonly rows: number }
  | {
    readonly kind: "too_many_fields";
    /** Where the object is: `[]` for the body, `["rows", i]` for a row of a batch. */
    readonly path: readonly (string | number)[];
  };

// Byte values.
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const UPPER_I = 0x49;
const UPPER_N = 0x4e;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

// What may come next.
const S_VALUE = 0; // a value
const S_VALUE_OR_CLOSE = 1; // a value or `]`, just after `[`
const S_KEY_OR_CLOSE = 2; // a key or `}`, just after `{`
const S_KEY = 3; // a key, after a comma in an object
const S_COLON = 4; // the `:` after a key
const S_AFTER = 5; // `,` or the container's close; at the top, only the end

// What the value about to be read is to the schema.
const P_TOP = 0; // the body itself
const P_VALUE = 1; // a member's value in an object the schema walks into
const P_ROWS = 2; // the value of a batch body's "rows" member
const P_ROW = 3; // an element of the rows array
const P_ANY = 4; // no shape given: everything is kept

// What an open container is to the schema (no cut container is ever open here: those
// are read by skipContainer).
const R_ROW = 0; // a row: members counted, values read as primitives
const R_BATCH = 1; // a batch body: members counted, "rows" walked into
const R_ROWS = 2; // the rows array: elements counted, objects walked into
const R_ANY = 3; // no shape: kept whole

// Edits, applied in order.
const E_EMPTY_ARRAY = 0;
const E_EMPTY_OBJECT = 1;
const E_CUT_STRING = 2;
const E_LITERAL = 3;

/** Strings where values belong longer than this many bytes are cut... */
const LONG_STRING = 256;
/** ...to at least this many bytes: 40 characters even if each is a six-byte escape. */
const KEPT_STRING = 240;

const encoder = new TextEncoder();
const EMPTY_ARRAY_BYTES = encoder.encode("[]");
const EMPTY_OBJECT_BYTES = encoder.encode("{}");
const NUL_ESCAPE = encoder.encode("\\u0000");

/** Thrown inside the scan; becomes a `malformed` result. */
class Malformed extends Error {}

// Stacks of the open containers, shared by all scans (a scan is synchronous) and grown
// on demand: kind (1 object, 0 array), role and member count per level.
let kinds = new Uint8Array(256);
let roles = new Uint8Array(256);
let counts = new Int32Array(256);
// The stack of kinds of skipContainer.
let skipStack = new Uint8Array(256);

function grow(): void {
  const size = kinds.length * 2;
  const k = new Uint8Array(size);
  k.set(kinds);
  kinds = k;
  const r = new Uint8Array(size);
  r.set(roles);
  roles = r;
  const c = new Int32Array(size);
  c.set(counts);
  counts = c;
}

/**
 * Scans `bytes` (a request body, byte-order mark removed) in one pass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { restoreNonFinite, scanJson } from "./json_scan.ts";
 *
 * const scan = scanJson(new TextEncoder().encode('{"a": NaN}'));
 * assert.equal(scan.kind, "json");
 * if (scan.kind === "json") {
 *   const value = restoreNonFinite(JSON.parse(new TextDecoder().decode(scan.bytes)), scan.mark);
 *   assert.deepEqual(value, { a: NaN });
 * }
 * ```
 */
export function scanJson(bytes: Uint8Array, shape?: ScanShape): ScanResult {
  try {
    return scan(bytes, shape);
  } catch (error) {
    if (error instanceof Malformed) return { kind: "malformed", message: error.message };
    throw error;
  } finally {
    // A deeply nested body grew the stacks: let the memory go.
    if (kinds.length > STACK_KEPT) {
      kinds = new Uint8Array(256);
      roles = new Uint8Array(256);
      counts = new Int32Array(256);
    }
    if (skipStack.length > STACK_KEPT) skipStack = new Uint8Array(256);
  }
}

/** Levels of nesting whose stacks are kept between scans. */
const STACK_KEPT = 4096;

function scan(b: Uint8Array, shape: ScanShape | undefined): ScanResult {
  const n = b.length;
  const maxFields = shape?.maxFields ?? 0;
  const maxRows = shape?.maxRows ?? 0;
  let i = 0;
  let depth = 0;
  let state = S_VALUE;
  let position = shape ? P_TOP : P_ANY;
  let keyIsRows = false;
  let maxLeadingNuls = 0;
  let literals = 0;
  // Edits as (start, end, kind) triples; a literal's kind is E_LITERAL + its index.
  const edits: number[] = [];
  for (;;) {
    let c = 0;
    while (i < n) {
      c = b[i];
      if (c > SPACE || (c !== SPACE && c !== LF && c !== CR && c !== TAB)) break;
      i++;
    }
    if (i >= n) break;
    switch (state) {
      case S_AFTER: {
        if (depth === 0) throw unexpected(b, i, "after the end of the JSON value");
        const isObject = kinds[depth - 1] === 1;
        if (c === COMMA) {
          i++;
          if (isObject) state = S_KEY;
          else {
            position = elementPosition(roles[depth - 1]);
            state = S_VALUE;
          }
          continue;
        }
        if (c !== (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
          throw unexpected(
            b,
            i,
            isObject ? "where ',' or '}' belongs" : "where ',' or ']' belongs",
          );
        }
        i++;
        depth--;
        continue;
      }
      case S_COLON:
        if (c !== COLON) throw unexpected(b, i, "where ':' belongs after a field name");
        i++;
        position = memberPosition(roles[depth - 1], keyIsRows);
        state = S_VALUE;
        continue;
      case S_KEY_OR_CLOSE:
        if (c === CLOSE_BRACE) {
          i++;
          depth--;
          state = S_AFTER;
          continue;
        }
      // falls through: a key
      case S_KEY: {
        if (c !== QUOTE) throw unexpected(b, i, "where a field name in double quotes belongs");
        const start = i;
        i = skipString(b, i);
        const nuls = leadingNuls(b, start);
        if (nuls > maxLeadingNuls) maxLeadingNuls = nuls;
        const level = depth - 1;
        const role = roles[level];
        if (role === R_ROW || role === R_BATCH) {
          if (++counts[level] > maxFields) {
            const path = depth === 1 ? [] : ["rows", counts[level - 1] - 1];
            return { kind: "too_many_fields", path };
          }
          if (role === R_BATCH) keyIsRows = isRowsKey(b, start, i);
        }
        state = S_COLON;
        continue;
      }
      case S_VALUE_OR_CLOSE:
        if (c === CLOSE_BRACKET) {
          i++;
          depth--;
          state = S_AFTER;
          continue;
        }
      // falls through: a value
      default:
        break;
    }
    // A value, at `position`.
    const start = i;
    if (position === P_ROW && ++counts[depth - 1] > maxRows) {
      return { kind: "too_many_rows", rows: countRows(b, i, counts[depth - 1]) };
    }
    state = S_AFTER;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const object = c === OPEN_BRACE;
      let role: number;
      if (position === P_ANY) role = R_ANY;
      else if (object && position === P_TOP) role = shape!.kind === "row" ? R_ROW : R_BATCH;
      else if (object && position === P_ROW) role = R_ROW;
      else if (!object && position === P_ROWS) role = R_ROWS;
      else {
        // The schema reads nothing inside: check it and cut it.
        i = skipContainer(b, i);
        edits.push(start, i, object ? E_EMPTY_OBJECT : E_EMPTY_ARRAY);
        continue;
      }
      if (depth === kinds.length) grow();
      kinds[depth] = object ? 1 : 0;
      roles[depth] = role;
      counts[depth] = 0;
      depth++;
      i++;
      if (object) state = S_KEY_OR_CLOSE;
      else {
        state = S_VALUE_OR_CLOSE;
        position = elementPosition(role);
      }
      continue;
    }
    if (c === QUOTE) {
      i = skipString(b, i);
      const nuls = leadingNuls(b, start);
      if (nuls > maxLeadingNuls) maxLeadingNuls = nuls;
      if (i - start > LONG_STRING && position !== P_ANY) {
        edits.push(keptStringEnd(b, start), i - 1, E_CUT_STRING);
      }
      continue;
    }
    const literal = literalAt(b, i, c);
    if (literal >= 0) {
      i += LITERAL_WORDS[literal].length;
      if (literal >= FIRST_NON_FINITE) {
        literals++;
        edits.push(start, i, E_LITERAL + literal);
      }
      continue;
    }
    i = skipNumber(b, i, c);
  }
  // Still waiting for the first value: there was nothing but whitespace.
  if (state === S_VALUE && depth === 0) return { kind: "empty" };
  if (state !== S_AFTER || depth !== 0) {
    throw new Malformed(`the body ends before its JSON value does (${where(b, n)})`);
  }
  if (edits.length === 0) return { kind: "json", bytes: b };
  return applyEdits(b, edits, maxLeadingNuls + 1, literals > 0);
}

function memberPosition(role: number, keyIsRows: boolean): number {
  if (role === R_ROW) return P_VALUE;
  if (role === R_BATCH) return keyIsRows ? P_ROWS : P_VALUE;
  return P_ANY;
}

function elementPosition(role: number): number {
  return role === R_ROWS ? P_ROW : P_ANY;
}

/** Whether the key from `start` to `end` (quotes included) is "rows", however escaped. */
function isRowsKey(b: Uint8Array, start: number, end: number): boolean {
  if (end - start === 6) {
    return b[start + 1] === 0x72 && b[start + 2] === 0x6f && b[start + 3] === 0x77 &&
      b[start + 4] === 0x73;
  }
  // Escapes make it longer; only then is it worth decoding.
  return end - start <= 26 && b.subarray(start, end).includes(BACKSLASH) &&
    JSON.parse(new TextDecoder().decode(b.subarray(start, end))) === "rows";
}

/** The length of a rows array found too long, counted on without parsing it. */
function countRows(b: Uint8Array, i: number, counted: number): number {
  // The element at `i` is the one counted last; each later one follows a comma at this
  // level (commas in strings and nested containers are skipped with them).
  let rows = counted;
  for (const n = b.length; i < n; i++) {
    const c = b[i];
    if (c === COMMA) rows++;
    else if (c === CLOSE_BRACKET) break;
    else if (c === QUOTE) i = skipString(b, i) - 1;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) i = skipContainer(b, i) - 1;
  }
  return rows;
}

// Words a value can be; the non-finite ones come last.
const LITERAL_WORDS = ["true", "false", "null", "NaN", "Infinity", "-Infinity", "-NaN"];
const FIRST_NON_FINITE = 3;
const LITERAL_BYTES = LITERAL_WORDS.map((w) => encoder.encode(w));

/** Which word of LITERAL_WORDS starts at `i` (first byte `c`), or -1 for a number. */
function literalAt(b: Uint8Array, i: number, c: number): number {
  let k: number;
  if (c === LOWER_T) k = 0;
  else if (c === LOWER_F) k = 1;
  else if (c === LOWER_N) k = 2;
  else if (c === UPPER_N) k = 3;
  else if (c === UPPER_I) k = 4;
  else if (c === MINUS) {
    const next = b[i + 1];
    if (next === UPPER_I) k = 5;
    else if (next === UPPER_N) k = 6;
    else return -1;
  } else if (c >= ZERO && c <= NINE) return -1;
  else throw unexpected(b, i, "where a value belongs");
  const word = LITERAL_BYTES[k];
  for (let j = 0; j < word.length; j++) {
    if (b[i + j] !== word[j]) throw unexpected(b, i + j, "in a value");
  }
  return k;
}

/** A number by JSON's grammar, -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?; returns its end. */
function skipNumber(b: Uint8Array, i: number, c: number): number {
  if (c === MINUS) c = b[++i];
  if (c === ZERO) c = b[++i];
  else if (c > ZERO && c <= NINE) {
    do c = b[++i]; while (c >= ZERO && c <= NINE);
  } else throw unexpected(b, i, "in a number");
  if (c === DOT) {
    c = b[++i];
    if (!(c >= ZERO && c <= NINE)) throw unexpected(b, i, "in a number");
    do c = b[++i]; while (c >= ZERO && c <= NINE);
  }
  if (c === LOWER_E || c === UPPER_E) {
    c = b[++i];
    if (c === PLUS || c === MINUS) c = b[++i];
    if (!(c >= ZERO && c <= NINE)) throw unexpected(b, i, "in a number");
    do c = b[++i]; while (c >= ZERO && c <= NINE);
  }
  return i;
}

/** A string from its opening quote; returns the index after its closing quote. */
function skipString(b: Uint8Array, start: number): number {
  const n = b.length;
  let i = start + 1;
  for (;;) {
    if (i >= n) throw new Malformed(`a string never ends: it starts at ${where(b, start)}`);
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i = skipEscape(b, i);
    else if (c < SPACE) throw unexpected(b, i, "in a string (control characters must be escaped)");
    else i++;
  }
}

/** The escape at `i` (a backslash); returns the index after it. */
function skipEscape(b: Uint8Array, i: number): number {
  const e = b[i + 1];
  if (e === LOWER_U) {
    for (let k = i + 2; k < i + 6; k++) {
      const h = b[k];
      const letter = h | 0x20; // in lower case (and digits unchanged, but so are 0x10-0x19)
      if (!((h >= ZERO && h <= NINE) || (letter >= 0x61 && letter <= 0x66))) {
        throw new Malformed(`a \\u escape needs four hex digits (${where(b, i)})`);
      }
    }
    return i + 6;
  }
  if (
    e === QUOTE || e === BACKSLASH || e === SLASH || e === LOWER_B || e === LOWER_F ||
    e === LOWER_N || e === LOWER_R || e === LOWER_T
  ) return i + 2;
  if (i + 1 >= b.length) throw new Malformed(`the body ends inside a string (${where(b, i)})`);
  throw unexpected(b, i + 1, "after a backslash in a string");
}

/** How many `\u0000` escapes the string at `start` begins with. */
function leadingNuls(b: Uint8Array, start: number): number {
  let nuls = 0;
  for (let i = start + 1; b[i] === BACKSLASH && b[i + 1] === LOWER_U; i += 6) {
    if (b[i + 2] !== ZERO || b[i + 3] !== ZERO || b[i + 4] !== ZERO || b[i + 5] !== ZERO) break;
    nuls++;
  }
  return nuls;
}

/** Where a long string is cut: a character boundary at least KEPT_STRING bytes in. */
function keptStringEnd(b: Uint8Array, start: number): number {
  let i = start + 1;
  while (i - start - 1 < KEPT_STRING) i = b[i] === BACKSLASH ? skipEscape(b, i) : i + 1;
  // Not inside a UTF-8 sequence: continuation bytes are 10xxxxxx.
  while ((b[i] & 0xc0) === 0x80) i++;
  return i;
}

/**
 * Checks the container at `start` (an opening bracket) by the grammar alone and returns
 * the index after its close. A stack of kinds, no roles: nothing inside is kept.
 */
function skipContainer(b: Uint8Array, start: number): number {
  const n = b.length;
  let stack = skipStack;
  let depth = 0;
  let i = start;
  let state = S_VALUE;
  for (;;) {
    let c = 0;
    while (i < n) {
      c = b[i];
      if (c > SPACE || (c !== SPACE && c !== LF && c !== CR && c !== TAB)) break;
      i++;
    }
    if (i >= n) throw new Malformed(`the body ends before its JSON value does (${where(b, n)})`);
    if (state === S_AFTER) {
      const isObject = stack[depth - 1] === 1;
      if (c === COMMA) {
        i++;
        state = isObject ? S_KEY : S_VALUE;
      } else if (c === (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        i++;
        if (--depth === 0) return i;
      } else {
        throw unexpected(b, i, isObject ? "where ',' or '}' belongs" : "where ',' or ']' belongs");
      }
      continue;
    }
    if (state === S_COLON) {
      if (c !== COLON) throw unexpected(b, i, "where ':' belongs after a field name");
      i++;
      state = S_VALUE;
      continue;
    }
    if (state === S_KEY_OR_CLOSE || state === S_KEY) {
      if (c === QUOTE) {
        i = skipString(b, i);
        state = S_COLON;
      } else if (c === CLOSE_BRACE && state === S_KEY_OR_CLOSE) {
        i++;
        if (--depth === 0) return i;
        state = S_AFTER;
      } else throw unexpected(b, i, "where a field name in double quotes belongs");
      continue;
    }
    if (c === CLOSE_BRACKET && state === S_VALUE_OR_CLOSE) {
      i++;
      if (--depth === 0) return i;
      state = S_AFTER;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === stack.length) {
        const bigger = new Uint8Array(stack.length * 2);
        bigger.set(stack);
        skipStack = stack = bigger;
      }
      stack[depth++] = c === OPEN_BRACE ? 1 : 0;
      i++;
      state = c === OPEN_BRACE ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
      continue;
    }
    state = S_AFTER;
    if (c === QUOTE) i = skipString(b, i);
    else {
      const literal = literalAt(b, i, c);
      i = literal >= 0 ? i + LITERAL_WORDS[literal].length : skipNumber(b, i, c);
    }
  }
}

function applyEdits(
  b: Uint8Array,
  edits: readonly number[],
  nuls: number,
  hasLiterals: boolean,
): ScanResult {
  const mark = new Uint8Array(nuls * NUL_ESCAPE.length);
  for (let k = 0; k < nuls; k++) mark.set(NUL_ESCAPE, k * NUL_ESCAPE.length);
  // By edit kind: what replaces the edited bytes.
  const replacements = [EMPTY_ARRAY_BYTES, EMPTY_OBJECT_BYTES, EMPTY_BYTES];
  for (const word of LITERAL_BYTES) {
    const marked = new Uint8Array(mark.length + word.length + 2);
    marked[0] = QUOTE;
    marked.set(mark, 1);
    marked.set(word, 1 + mark.length);
    marked[marked.length - 1] = QUOTE;
    replacements.push(marked);
  }
  let size = b.length;
  for (let k = 0; k < edits.length; k += 3) {
    size += replacements[edits[k + 2]].length - (edits[k + 1] - edits[k]);
  }
  const out = new Uint8Array(size);
  let from = 0;
  let to = 0;
  for (let k = 0; k < edits.length; k += 3) {
    out.set(b.subarray(from, edits[k]), to);
    to += edits[k] - from;
    const piece = replacements[edits[k + 2]];
    out.set(piece, to);
    to += piece.length;
    from = edits[k + 1];
  }
  out.set(b.subarray(from), to);
  return { kind: "json", bytes: out, mark: hasLiterals ? "\u0000".repeat(nuls) : undefined };
}

const EMPTY_BYTES = new Uint8Array(0);

/**
 * Turns the marked strings of a scan back into the numbers they stand for, in place
 * (iteratively: a body parsed without a shape can be deep).
 */
export function restoreNonFinite(value: unknown, mark: string | undefined): unknown {
  if (mark === undefined) return value;
  const restore = (v: unknown) =>
    typeof v === "string" && v.startsWith(mark) ? Number(v.slice(mark.length)) : v;
  const top = restore(value);
  const stack: unknown[] = [top];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let k = 0; k < node.length; k++) {
        const v = node[k];
        if (typeof v === "object" && v !== null) stack.push(v);
        else if (typeof v === "string") node[k] = restore(v);
      }
    } else if (typeof node === "object" && node !== null) {
      const record = node as Record<string, unknown>;
      for (const key in record) {
        const v = record[key];
        if (typeof v === "object" && v !== null) stack.push(v);
        else if (typeof v === "string" && v.startsWith(mark)) {
          // Not an assignment: an own "__proto__" key must stay a plain key.
          Object.defineProperty(record, key, {
            value: restore(v),
            writable: true,
            enumerable: true,
            configurable: true,
          });
        }
      }
    }
  }
  return top;
}

function unexpected(b: Uint8Array, i: number, context: string): Malformed {
  if (i >= b.length) {
    return new Malformed(`the body ends before its JSON value does (${where(b, b.length)})`);
  }
  const c = b[i];
  const shown = c > SPACE && c < 0x7f
    ? `'${String.fromCharCode(c)}'`
    : `byte 0x${c.toString(16).toUpperCase().padStart(2, "0")}`;
  return new Malformed(`unexpected ${shown} ${context} (${where(b, i)})`);
}

/** "byte N, line L, column C" of offset `i` (line and column from 1, in bytes). */
function where(b: Uint8Array, i: number): string {
  let line = 1;
  let lineStart = 0;
  for (let at = b.indexOf(LF); at >= 0 && at < i; at = b.indexOf(LF, at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return `byte ${i}, line ${line}, column ${i - lineStart + 1}`;
}
