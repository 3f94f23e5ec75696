/**
 * Parses request bodies as JSON. `NaN`, `Infinity` and `-Infinity` are not JSON, yet
 * common serialisers (Python's `json.dumps`) write them; they are read as the numbers they
 * stand for so that validation can name the offending field instead of rejecting the
 * whole body as malformed.
 *
 * @module
 */

/** A parsed body, or why it could not be parsed. */
export type JsonResult = { readonly ok: true; readonly value: unknown } | {
  readonly ok: false;
  readonly message: string;
};

// Strings are matched first so that the words inside them are left alone.
const NON_FINITE = /("(?:[^"\\]|\\.)*")|(-?(?:NaN|Infinity))/g;
// A JSON escape for a NUL character: it cannot occur raw in valid JSON text, so a
// string starting with it can only come from the substitution below.
const MARK = "\u0000";

/**
 * Parses `text`, reading bare `NaN`/`Infinity` literals as non-finite numbers.
 *
 * @example
 * ```ts
 * parseJsonBody('{"a": NaN}'); // { ok: true, value: { a: NaN } }
 * parseJsonBody("{"); // { ok: false, message: "..." }
 * ```
 */
export function parseJsonBody(text: string): JsonResult {
  if (text.trim() === "") return { ok: false, message: "the request body is empty" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const marked = text.replace(NON_FINITE, (match, quoted) => quoted ?? `"\\u0000${match}"`);
    if (marked !== text) {
      try {
        const value = JSON.parse(
          marked,
          (_key, v) => typeof v === "string" && v.startsWith(MARK) ? Number(v.slice(1)) : v,
        );
        return { ok: true, value };
      } catch {
        // Malformed for another reason too: report the original parser's message.
      }
    }
    return { ok: false, message: (error as Error).message };
  }
}
