import assert from "node:assert/strict";
import { parseJsonBody } from "../../serve/read_json.ts";

Deno.test("valid JSON parses as usual", () => {
  assert.deepEqual(parseJsonBody('{"a": [1, null, "NaN"]}'), {
    ok: true,
    value: { a: [1, null, "NaN"] },
  });
});

Deno.test("bare NaN and Infinity literals become non-finite numbers", () => {
  const result = parseJsonBody('{"a": NaN, "b": [Infinity, -Infinity], "c": "Infinity"}');
  assert.ok(result.ok);
  const value = result.value as { a: number; b: number[]; c: string };
  assert.ok(Number.isNaN(value.a));
  assert.deepEqual(value.b, [Infinity, -Infinity]);
  assert.equal(value.c, "Infinity");
});

Deno.test("literals inside strings, even with escaped quotes, are left alone", () => {
  const result = parseJsonBody('{"a\\" NaN": "x \\" NaN", "b": NaN}');
  assert.ok(result.ok);
  const value = result.value as Record<string, unknown>;
  assert.equal(value['a" NaN'], 'x " NaN');
  assert.ok(Number.isNaN(value.b));
});

Deno.test("malformed JSON reports the parser's message", () => {
  for (const text of ["{", '{"a": NaN', "[1,]", "{'a': 1}"]) {
    const result = parseJsonBody(text);
    assert.equal(result.ok, false, text);
    assert.ok(!result.ok && result.message.length > 0);
  }
  assert.deepEqual(parseJsonBody("  "), { ok: false, message: "the request body is empty" });
});
