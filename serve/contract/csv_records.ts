/**
 * Splits a CSV text stream into records (RFC 4180: comma-separated, `"` quotes, `""`
 * inside quotes, LF or CRLF line ends), chunk by chunk: memory holds one chunk and the
 * record being read, never the file. A record that cannot be parsed is yielded as an
 * error with its line number, and reading resumes on the next line.
 *
 * @module
 */

/** A parsed record and the line it starts on (the header is line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A record that is not valid CSV. */
export interface CsvError {
  readonly line: number;
  readonly error: string;
}

/** Longest record read before it is reported as malformed (an unclosed quote, say). */
export const MAX_RECORD_CHARS = 1 << 20;

type Step =
  | {
    readonly kind: "record";
    readonly fields: string[];
    readonly next: number;
    readonly lines: number;
  }
  | {
    readonly kind: "error";
    readonly error: string;
    readonly next: number;
    readonly lines: number;
  }
  | { readonly kind: "incomplete" };

/**
 * The records of `chunks` (the text of a CSV file, in any pieces).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvRecords } from "./csv_records.ts";
 *
 * const text = 'a,b\n1,"x, y"\n2,"bad"z\n3,4\n';
 * const out = [];
 * for await (const record of csvRecords([text.slice(0, 9), text.slice(9)])) out.push(record);
 * assert.deepEqual(out[1], { line: 2, fields: ["1", "x, y"] });
 * assert.equal(out[2].line, 3);
 * assert.ok("error" in out[2]);
 * assert.deepEqual(out[3], { line: 4, fields: ["3", "4"] });
 * ```
 */
export async function* csvRecords(
  chunks: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<CsvRecord | CsvError> {
  let text = "";
  let pos = 0;
  let line = 1;
  // After a record too long to keep: the rest of its first line is dropped as it comes.
  let skipping = false;
  const drain = function* (final: boolean): Generator<CsvRecord | CsvError> {
    while (pos < text.length) {
      if (skipping) {
        const end = text.indexOf("\n", pos);
        if (end < 0) {
          pos = text.length;
          return;
        }
        pos = end + 1;
        line++;
        skipping = false;
        continue;
      }
      const step = nextRecord(text, pos, final);
      if (step.kind === "incomplete") {
        if (text.length - pos <= MAX_RECORD_CHARS) return;
        // Too long to be a record: report it and resume after its first line.
        yield {
          line,
          error: `a record longer than ${MAX_RECORD_CHARS} characters (an unclosed quote?)`,
        };
        skipping = true;
        continue;
      }
      if (step.kind === "record") {
        // A blank line is no record (a final newline, or a gap).
        if (!(step.fields.length === 1 && step.fields[0] === "")) {
          yield { line, fields: step.fields };
        }
      } else yield { line, error: step.error };
      pos = step.next;
      line += step.lines;
    }
  };
  for await (const chunk of chunks) {
    text = pos < text.length ? text.slice(pos) + chunk : chunk;
    pos = 0;
    yield* drain(false);
  }
  yield* drain(true);
}

/** The record starting at `start`; `incomplete` if more text is needed to finish it. */
function nextRecord(text: string, start: number, final: boolean): Step {
  const end = text.indexOf("\n", start);
  if (end < 0 && !final) return { kind: "incomplete" };
  const lineEnd = end < 0 ? text.length : end;
  const next = end < 0 ? text.length : end + 1;
  // The common case: no quotes, so a plain split of the line. The quote is looked for in
  // the line only: searching the rest of the text from every line would make a body of
  // many short lines quadratic.
  const stop = lineEnd > start && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
  const lineText = text.slice(start, stop);
  if (!lineText.includes('"')) {
    return { kind: "record", fields: lineText.split(","), next, lines: 1 };
  }
  return quotedRecord(text, start, final);
}

/** A record with quotes, which may span lines. */
function quotedRecord(text: string, start: number, final: boolean): Step {
  const fields: string[] = [];
  let i = start;
  let lines = 1;
  const skipLine = (error: string, at: number): Step => {
    const end = text.indexOf("\n", at);
    if (end < 0 && !final) return { kind: "incomplete" };
    return { kind: "error", error, next: end < 0 ? text.length : end + 1, lines };
  };
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      const open = i;
      let value = "";
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) {
          if (!final) return { kind: "incomplete" };
          // Resume on the record's second line: the rest may be good records.
          const end = text.indexOf("\n", start);
          return {
            kind: "error",
            error: "a quoted field is not closed before the end of the file",
            next: end < 0 ? text.length : end + 1,
            lines: 1,
          };
        }
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === 34) {
          value += '"';
          from = close + 2;
          continue;
        }
        for (let k = text.indexOf("\n", open); k >= 0 && k < close; k = text.indexOf("\n", k + 1)) {
          lines++;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i >= text.length && !final) return { kind: "incomplete" };
      const c = text.charCodeAt(i);
      if (i >= text.length || c === 10) return { kind: "record", fields, next: i + 1, lines };
      if (c === 13 && text.charCodeAt(i + 1) === 10) {
        return { kind: "record", fields, next: i + 2, lines };
      }
      if (c !== 44) {
        return skipLine(`field ${fields.length}: text after its closing quote`, i);
      }
      i++;
      continue;
    }
    const comma = text.indexOf(",", i);
    const newline = text.indexOf("\n", i);
    if (newline < 0 && !final) return { kind: "incomplete" };
    const lineEnd = newline < 0 ? text.length : newline;
    const stop = comma >= 0 && comma < lineEnd ? comma : lineEnd;
    let value = text.slice(i, stop);
    if (stop === lineEnd && value.endsWith("\r")) value = value.slice(0, -1);
    if (value.includes('"')) {
      return skipLine(`field ${fields.length + 1}: a quote inside an unquoted field`, i);
    }
    fields.push(value);
    if (stop === lineEnd) return { kind: "record", fields, next: lineEnd + 1, lines };
    i = stop + 1;
  }
}

/**
 * Whether a first record names columns: a header has at least one field that is neither
 * empty nor a number (a file without a header starts with a row of values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { namesColumns } from "./csv_records.ts";
 *
 * assert.equal(namesColumns(["population", "medIncome"]), true);
 * assert.equal(namesColumns(["0.19", "0.33", ""]), false);
 * ```
 */
export function namesColumns(fields: readonly string[]): boolean {
  return fields.some((name) => name.trim() !== "" && Number.isNaN(Number(name)));
}
