import assert from "node:assert/strict";
import { parseJsonBody } from "../../../serve/contract/read_json.ts";

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

Deno.test("a string spelled like the literals' stand-in stays a string", () => {
  // The scan writes literals as strings of NUL characters and the word; a body's own
  // such string must not turn into a number.
  const result = parseJsonBody('{"a": "\\u0000NaN", "b": "\\u00000.5", "c": NaN}');
  assert.ok(result.ok);
  assert.deepEqual(Object.keys(result.value as object), ["a", "b", "c"]);
  const value = result.value as Record<string, unknown>;
  assert.equal(value.a, "\u0000NaN");
  assert.equal(value.b, "\u00000.5");
  assert.ok(Number.isNaN(value.c));
});

Deno.test("malformed JSON says what is wrong and where", () => {
  for (const text of ["{", '{"a": NaN', "[1,]", "{'a': 1}", '{"a": "unterminated']) {
    const result = parseJsonBody(text);
    assert.ok(!result.ok && result.reason === "malformed", text);
    assert.match(result.message, /byte \d+, line 1, column \d+/, text);
  }
  assert.deepEqual(parseJsonBody("  "), {
    ok: false,
    reason: "malformed",
    message: "the request body is empty",
  });
});

Deno.test("bytes that are not UTF-8 are malformed; a sent U+FFFD is not", () => {
  const bad = new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]); // {"\xc3(":1}
  assert.deepEqual(parseJsonBody(bad), {
    ok: false,
    reason: "malformed",
    message: "the request body is not valid UTF-8",
  });
  assert.deepEqual(parseJsonBody('{"\uFFFD": 1}'), { ok: true, value: { "\uFFFD": 1 } });
});

Deno.test("escaped quotes cost time in proportion to their number", () => {
  // The regular expression this replaced took 4.7 s on this body (and 21 s on twice it).
  for (const body of ['{"a":"' + '\\"'.repeat(64 * 1024), '"\\\\\\"'.repeat(64 * 1024)]) {
    const started = performance.now();
    const result = parseJsonBody(body);
    const ms = performance.now() - started;
    assert.ok(!result.ok && result.reason === "malformed");
    assert.ok(ms < 250, `${ms.toFixed(0)} ms for ${body.length} characters`);
  }
});

Deno.test("with a shape, oversized rows and batches are refused unparsed", () => {
  const shape = { kind: "batch", maxFields: 2, maxRows: 2 } as const;
  assert.deepEqual(parseJsonBody('{"rows": [{}, {}, {}]}', shape), {
    ok: false,
    reason: "too_many_rows",
    rows: 3,
  });
  assert.deepEqual(parseJsonBody('{"rows": [{"a": 1, "b": 2, "c": 3}]}', shape), {
    ok: false,
    reason: "too_many_fields",
    path: ["rows", 0],
  });
  assert.deepEqual(parseJsonBody('{"rows": [{"a": [1, 2, 3]}]}', shape), {
    ok: true,
    value: { rows: [{ a: [] }] },
  });
});
