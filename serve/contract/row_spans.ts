/**
 * Where each row of a validated batch body (`{"rows": [{...}, ...]}`) lies in the body's
 * bytes, so the prediction log can copy the rows as sent instead of serialising them
 * again. Only for bodies that passed the row check: there every row is a flat object of
 * contract feature names (which hold no braces, and an escape never produces a raw one)
 * with number or null values, so a row runs from a `{` to the next `}`.
 *
 * @module
 */

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }

/**
 * Start and end (exclusive) byte offsets of the `rows` elements, as pairs, or `undefined`
 * if the body does not hold exactly `count` of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowSpans } from "./row_spans.ts";
 *
 * const spans = rowSpans(new TextEncoder().encode('{"rows":[{"a":1},{"a":2}]}'), 2);
 * assert.deepEqual(spans, Int32Array.of(9, 16, 17, 24));
 * ```
 */
export function rowSpans(body: Uint8Array, count: number): Int32Array | undefined {
  const spans = new Int32Array(2 * count);
  // The first brace opens the body's object; each later one opens a row.
  let at = body.indexOf(OPEN);
  for (let row = 0; row < count; row++) {
    const start = body.indexOf(OPEN, at + 1);
    if (start < 0) return undefined;
    const end = body.indexOf(CLOSE, start + 1);
    if (end < 0) return undefined;
    spans[2 * row] = start;
    spans[2 * row + 1] = end + 1;
    at = end;
  }
  // What is left must be the array's and the object's ends, and no further row.
  return body.indexOf(OPEN, at + 1) < 0 ? spans : undefined;
}
