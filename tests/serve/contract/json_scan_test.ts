import assert from "node:assert/strict";
import { seededRandom } from "../../../pipeline/core/random.ts";
import { restoreNonFinite, scanJson, type ScanShape } from "../../../serve/contract/json_scan.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);
const ROW: ScanShape = { kind: "row", maxFields: 5, maxRows: 3 };
const BATCH: ScanShape = { kind: "batch", maxFields: 5, maxRows: 3 };

/** What `text` scans and parses to, the way read_json.ts does it. */
function read(text: string, shape?: ScanShape): unknown {
  const scan = scanJson(bytes(text), shape);
  if (scan.kind !== "json") return scan;
  return restoreNonFinite(JSON.parse(decoder.decode(scan.bytes)), scan.mark);
}

function isMalformed(text: string): boolean {
  return scanJson(bytes(text)).kind === "malformed";
}

/** Whether the scan passes `text` on to be parsed (an empty body is not). */
function accepts(text: string): boolean {
  return scanJson(bytes(text)).kind === "json";
}

/** Random JSON values with odd strings, numbers and nesting. */
function randomValue(rng: ReturnType<typeof seededRandom>, depth: number): unknown {
  const strings = ["", "a", 'q"uote', "back\\slash", "\u0000nul", "NaN", "ünï", "😀", "\n\t"];
  const numbers = [0, -0, 1, -1.5, 1e-7, 123456789012, 2.5e300, 0.1];
  switch (rng.int(depth > 3 ? 4 : 6)) {
    case 0:
      return strings[rng.int(strings.length)];
    case 1:
      return numbers[rng.int(numbers.length)];
    case 2:
      return [true, false, null][rng.int(3)];
    case 3:
      return rng.next() * 2 - 1;
    case 4:
      return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from(
          { length: rng.int(4) },
          (_, i) => [strings[rng.int(strings.length)] + i, randomValue(rng, depth + 1)],
        ),
      );
  }
}

Deno.test("the scan accepts exactly what JSON.parse accepts, and parses to the same value", () => {
  const rng = seededRandom(7);
  const pieces = [
    ...['"', "\\", "\\u", "\\u00", "{", "}", "[", "]", ",", ":", "-", "0", "1e", ".", " "],
    ...["\u0001", "\u0010", "x", "t", "n"],
  ];
  let accepted = 0;
  for (let n = 0; n < 3000; n++) {
    let text = JSON.stringify(randomValue(rng, 0), null, rng.int(2) === 0 ? undefined : 1);
    // Break every other text at a random place.
    if (n % 2 === 1 && text.length > 0) {
      const at = rng.int(text.length);
      const cut = rng.int(3);
      text = text.slice(0, at) + pieces[rng.int(pieces.length)] + text.slice(at + cut);
    }
    // A cut through a surrogate pair has no UTF-8 form: bodies are bytes.
    if (!text.isWellFormed()) continue;
    let expected: unknown;
    let parses = true;
    try {
      expected = JSON.parse(text);
    } catch {
      parses = false;
    }
    // A break may spell a literal the scan reads on purpose; leave those to other tests.
    if (!parses && /NaN|Infinity/.test(text)) continue;
    assert.equal(accepts(text), parses, text);
    if (parses) {
      accepted++;
      assert.deepEqual(read(text), expected, text);
    }
  }
  assert.ok(accepted > 1500, `only ${accepted} valid texts`);
});

Deno.test("hand-picked texts: JSON's grammar, to the letter", () => {
  const valid = [
    "0",
    "-0",
    "1.5e+10",
    "1E-2",
    '"\\u00e9\\/\\b\\f\\n\\r\\t"',
    " [ ] ",
    "{}",
    '{"a":{"b":[[],{}]}}',
    "\t\r\n null \n",
    '"\ud800"',
  ];
  const invalid = [
    "01",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "0x10",
    "[1,]",
    "[,1]",
    '{"a":1,}',
    '{"a" 1}',
    "{a:1}",
    "{'a':1}",
    '"\\x"',
    '"\\u12g4"',
    '"\\u00\u0010\u0011"',
    '"a\nb"',
    "tru",
    "nulls",
    "[1] 2",
    "[}",
    "{]",
    '"abc',
    "\u00a01",
  ];
  for (const text of valid) assert.equal(isMalformed(text), false, text);
  for (const text of invalid) {
    assert.throws(() => JSON.parse(text), SyntaxError, text);
    assert.equal(isMalformed(text), true, text);
  }
  assert.deepEqual(scanJson(bytes("")), { kind: "empty" });
  assert.deepEqual(scanJson(bytes(" \r\n\t")), { kind: "empty" });
});

Deno.test("NaN and Infinity literals become numbers; the same words in strings stay words", () => {
  const value = read(
    '{"NaN": NaN, "Infinity": [Infinity, -Infinity, -NaN], "s": "NaN \\" Infinity", "t": "-Infinity"}',
  ) as Record<string, unknown>;
  assert.ok(Number.isNaN(value.NaN));
  assert.deepEqual(value.Infinity, [Infinity, -Infinity, NaN]);
  assert.equal(value.s, 'NaN " Infinity');
  assert.equal(value.t, "-Infinity");
  // Escaped quotes do not end a string, so the literal after it is inside it.
  assert.deepEqual(read('["a\\" NaN \\\\", NaN]'), ['a" NaN \\', NaN]);
  // A string of the same spelling as the mark the scan uses stays a string.
  const marked = read('{"a": "\\u0000NaN", "b": "\\u0000\\u0000Infinity", "c": NaN}') as Record<
    string,
    unknown
  >;
  assert.equal(marked.a, "\u0000NaN");
  assert.equal(marked.b, "\u0000\u0000Infinity");
  assert.ok(Number.isNaN(marked.c));
  // An own "__proto__" key keeps its value as a plain property.
  const proto = read('{"__proto__": NaN}') as Record<string, unknown>;
  assert.ok(Object.hasOwn(proto, "__proto__"));
  assert.ok(Number.isNaN(Object.getOwnPropertyDescriptor(proto, "__proto__")!.value));
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
});

Deno.test("literals are words of their own: near misses are malformed", () => {
  for (const text of ["NaNa", "nan", "Infinit", "-Inf", "[NaN Infinity]", "NaN1", "--Infinity"]) {
    assert.equal(isMalformed(text), true, text);
  }
});

Deno.test("unterminated strings and other errors say what and where", () => {
  const cases: [string, RegExp][] = [
    ['{"a": "abc', /string never ends: it starts at byte 6, line 1, column 7/],
    ['{"a":"\\', /ends inside a string/],
    ['{\n  "a": 1,\n  }', /unexpected '\}' where a field name .* \(byte 14, line 3, column 3\)/],
    ["[1 2]", /unexpected '2' where ',' or '\]' belongs/],
    ['"a\u0001"', /byte 0x01 in a string/],
    ['"\\q"', /unexpected 'q' after a backslash/],
    ["[1,", /ends before its JSON value does/],
    ["{} x", /after the end of the JSON value/],
  ];
  for (const [text, message] of cases) {
    const scan = scanJson(bytes(text));
    assert.equal(scan.kind, "malformed", text);
    assert.match((scan as { message: string }).message, message, text);
  }
});

Deno.test("deep nesting is read without recursion", () => {
  const deep = `${"[".repeat(200_000)}NaN${"]".repeat(200_000)}`;
  let value = read(deep);
  for (let d = 0; d < 200_000; d++) value = (value as unknown[])[0];
  assert.ok(Number.isNaN(value));
  assert.equal(isMalformed(`${"[".repeat(200_000)}${"]".repeat(199_999)}`), true);
  // With a shape, what the schema does not read is cut: nothing deep is built.
  assert.deepEqual(read(deep, ROW), []);
  assert.deepEqual(read(`{"rows":${deep}}`, BATCH), { rows: [[]] });
});

Deno.test("with a shape, what the schema reads is kept and the rest is cut", () => {
  const long = "y".repeat(1000);
  const row = read(
    `{"a": 0.5, "b": [1, [NaN]], "c": {"d": {}}, "e": "${long}", "f": NaN}`,
    ROW,
  ) as Record<string, unknown>;
  assert.equal(row.a, 0.5);
  assert.deepEqual(row.b, []);
  assert.deepEqual(row.c, {});
  assert.equal((row.e as string).length >= 40 && (row.e as string).length < 300, true);
  assert.ok((row.e as string).startsWith("y".repeat(40)));
  assert.ok(Number.isNaN(row.f));
  const batch = read(
    `{"rows": [{"a": [1]}, [{}], "${long}", 3, NaN], "x": {"y": 1}}`,
    { ...BATCH, maxRows: 10 },
  ) as { rows: unknown[]; x: unknown };
  assert.deepEqual(batch.rows.slice(0, 2), [{ a: [] }, []]);
  assert.ok((batch.rows[2] as string).startsWith("y".repeat(40)));
  assert.equal(batch.rows[3], 3);
  assert.ok(Number.isNaN(batch.rows[4]));
  assert.deepEqual(batch.x, {});
  // "rows" is found however its key is escaped; a rows object is cut like any value.
  assert.deepEqual(read('{"\\u0072ows": [{"a": 1}]}', BATCH), { rows: [{ a: 1 }] });
  assert.deepEqual(read('{"rows": {"a": [1]}}', BATCH), { rows: {} });
  // A cut string keeps whole characters: escapes and multi-byte UTF-8 are not split.
  for (const unit of ["\\u00e9", "é", "😀", "\\n", "a"]) {
    const s = read(`{"a": "${unit.repeat(300)}"}`, ROW) as { a: string };
    const one = JSON.parse(`"${unit}"`);
    assert.ok(s.a.length >= 40 && s.a === one.repeat(s.a.length / one.length), unit);
  }
  // Cut parts are still checked: malformed JSON anywhere is malformed.
  assert.equal(scanJson(bytes('{"a": [1, [2,]]}'), ROW).kind, "malformed");
  assert.equal(scanJson(bytes('{"rows": [], "x": {"y" 1}}'), BATCH).kind, "malformed");
});

Deno.test("an object the schema reads with too many members is refused at once", () => {
  assert.deepEqual(scanJson(bytes('{"a":1,"b":2,"c":3,"d":4,"e":5}'), ROW).kind, "json");
  assert.deepEqual(scanJson(bytes('{"a":1,"b":2,"c":3,"d":4,"e":5,"a":6}'), ROW), {
    kind: "too_many_fields",
    path: [],
  });
  const six = '{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}';
  assert.deepEqual(scanJson(bytes(`{"rows":[{}, ${six}]}`), BATCH), {
    kind: "too_many_fields",
    path: ["rows", 1],
  });
  assert.deepEqual(scanJson(bytes(`{"rows":[], "a":1,"b":2,"c":3,"d":4,"e":5}`), BATCH), {
    kind: "too_many_fields",
    path: [],
  });
  // Only objects the schema reads count: a value's members are not limited.
  assert.equal(scanJson(bytes(`{"x": ${six}}`), ROW).kind, "json");
  // The rest of the body is not read: the answer is known.
  assert.equal(scanJson(bytes(`${six.slice(0, -1)},`), ROW).kind, "too_many_fields");
});

Deno.test("a rows array over the limit is refused with its length", () => {
  assert.equal(scanJson(bytes('{"rows":[1,2,3]}'), BATCH).kind, "json");
  assert.deepEqual(scanJson(bytes('{"rows":[1, [2, 3], "a,b", {"c": [4, 5]}, 6]}'), BATCH), {
    kind: "too_many_rows",
    rows: 5,
  });
  // For a row body, an array is just a value: cut, not counted.
  assert.equal(scanJson(bytes("[1,2,3,4,5]"), ROW).kind, "json");
});

Deno.test("bodies of escaped quotes are scanned in linear time", () => {
  const time = (text: string) => {
    const b = bytes(text);
    const started = performance.now();
    const scan = scanJson(b, ROW);
    const ms = performance.now() - started;
    assert.equal(scan.kind, "malformed");
    return ms;
  };
  for (const unit of ['\\"', '"\\\\\\"', '\\\\\\"']) {
    time(`{"a":"${unit.repeat(1000)}`); // warm up
    const small = time(`{"a":"${unit.repeat(256 * 1024)}`);
    const large = time(`{"a":"${unit.repeat(2 * 1024 * 1024)}`);
    // 8 times the size: about 8 times the time, far from the 64 of a quadratic scan.
    assert.ok(large < 250, `${unit}: ${large.toFixed(1)} ms for ${unit.length * 2} MiB`);
    assert.ok(large < Math.max(10, 25 * small), `${unit}: ${small} ms, then ${large} ms`);
  }
});
