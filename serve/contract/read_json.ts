/**
 * Parses request bodies as JSON. `NaN`, `Infinity` and `-Infinity` are not JSON, yet
 * common serialisers (Python's `json.dumps`) write them; they are read as the numbers they
 * stand for so that validation can name the offending field instead of rejecting the
 * whole body as malformed.
 *
 * Every body is scanned once first (`json_scan.ts`), in time linear in its size: the scan
 * finds malformed JSON and the literals and, given the shape the body is checked against,
 * cuts what validation never reads, so `JSON.parse` only builds what a valid body could.
 *
 * @module
 */
import { restoreNonFinite, scanJson, type ScanShape } from "./json_scan.ts";

export type { ScanShape } from "./json_scan.ts";

/** A parsed body, or why it was not parsed. */
export type JsonResult =
  | { readonly ok: true; readonly value: unknown }
  | {
    readonly ok: false;
    /** Not UTF-8, empty, or not JSON: `message` says which and where. */
    readonly reason: "malformed";
    readonly message: string;
  }
  | {
    readonly ok: false;
    /** A batch whose rows array is longer than the shape's `maxRows`. */
    readonly reason: "too_many_rows";
    readonly rows: number;
  }
  | {
    readonly ok: false;
    /** An object the schema walks into with more than the shape's `maxFields` members. */
    readonly reason: "too_many_fields";
    /** `[]` for the body, `["rows", i]` for a row of a batch. */
    readonly path: readonly (string | number)[];
  };

const encoder = new TextEncoder();
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });
// Ten times slower than the lenient decoder on ASCII in Deno: only for bodies that fail.
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// RFC 8259 §8.1: JSON text is UTF-8. Checked on the whole body, cut parts included.
const notUtf8: JsonResult = {
  ok: false,
  reason: "malformed",
  message: "the request body is not valid UTF-8",
};

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Malformed for `message`, unless the body is not even UTF-8, which is said first. */
function malformed(bytes: Uint8Array, message: string): JsonResult {
  return isUtf8(bytes) ? { ok: false, reason: "malformed", message } : notUtf8;
}

/**
 * Parses a body (its bytes, or text), reading bare `NaN`/`Infinity` literals as
 * non-finite numbers. With a `shape`, what its schema does not read is left out of the
 * value (see `json_scan.ts`) and oversized rows and batches are refused unparsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJsonBody } from "./read_json.ts";
 *
 * assert.deepEqual(parseJsonBody('{"a": NaN}'), { ok: true, value: { a: NaN } });
 * const broken = parseJsonBody("{");
 * assert.equal(broken.ok, false);
 * assert.equal(!broken.ok && broken.reason, "malformed"); // with a message saying where
 * ```
 */
export function parseJsonBody(body: Uint8Array | string, shape?: ScanShape): JsonResult {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  // Scanned first: binary garbage fails at its first byte, before any decoding.
  const scan = scanJson(bytes, shape);
  switch (scan.kind) {
    case "empty":
      return malformed(bytes, "the request body is empty");
    case "malformed":
      return malformed(bytes, scan.message);
    case "too_many_rows":
      return { ok: false, reason: "too_many_rows", rows: scan.rows };
    case "too_many_fields":
      return { ok: false, reason: "too_many_fields", path: scan.path };
  }
  // A malformed sequence decodes to U+FFFD, so only a body with one needs the strict look.
  const text = lenient.decode(bytes);
  if (text.includes("\uFFFD") && !isUtf8(bytes)) return notUtf8;
  let value: unknown;
  try {
    value = JSON.parse(scan.bytes === bytes ? text : lenient.decode(scan.bytes));
  } catch (error) {
    // The scan accepts exactly what JSON.parse accepts (a test holds it to that), so this
    // is a bug; the parser's own message is the best there is.
    return { ok: false, reason: "malformed", message: (error as Error).message };
  }
  return { ok: true, value: restoreNonFinite(value, scan.mark) };
}
