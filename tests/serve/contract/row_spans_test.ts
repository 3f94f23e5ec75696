import assert from "node:assert/strict";
import { rowSpans } from "../../../serve/contract/row_spans.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function rowsOf(text: string, count: number): string[] | undefined {
  const bytes = encode(text);
  const spans = rowSpans(bytes, count);
  if (!spans) return undefined;
  return Array.from(
    { length: count },
    (_, i) => decode(bytes.subarray(spans[2 * i], spans[2 * i + 1])),
  );
}

Deno.test("each row's bytes are found, whatever the whitespace and escapes", () => {
  const body = '\uFEFF {\r\n "\\u0072ows" : [ {"a":0.1,"b":null} ,\n{ "\\u0061" : 1e-3 }\t] }\n';
  const rows = rowsOf(body, 2)!;
  assert.deepEqual(rows, ['{"a":0.1,"b":null}', '{ "\\u0061" : 1e-3 }']);
  assert.deepEqual(rows.map((r) => JSON.parse(r)), [{ a: 0.1, b: null }, { a: 0.001 }]);
});

Deno.test("a body whose row count differs from the one expected gives no spans", () => {
  const body = '{"rows":[{"a":1},{"a":2},{"a":3}]}';
  assert.equal(rowsOf(body, 3)?.length, 3);
  assert.equal(rowsOf(body, 2), undefined);
  assert.equal(rowsOf(body, 4), undefined);
  assert.equal(rowsOf('{"rows":[]}', 0)?.length, 0);
});
