import assert from "node:assert/strict";
import { seededRandom } from "../../../pipeline/core/random.ts";
import { compileBatchReader } from "../../../serve/contract/batch_reader.ts";
import { parseJsonBody } from "../../../serve/contract/read_json.ts";
import { compileRowPacker } from "../../../serve/contract/row_packer.ts";
import { rowSpans } from "../../../serve/contract/row_spans.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();
const features = bundle.features;
const width = features.length;
const MAX_ROWS = 50;
const read = compileBatchReader(features, MAX_ROWS);
const pack = compileRowPacker(features);
const encoder = new TextEncoder();

/** What the general path makes of `text`: packed rows and spans, or undefined if refused. */
function general(text: string): { x: Float64Array; spans?: Int32Array } | undefined {
  const bytes = encoder.encode(text);
  const parsed = parseJsonBody(bytes, { kind: "batch", maxFields: width + 100, maxRows: MAX_ROWS });
  if (!parsed.ok) return undefined;
  const body = parsed.value as { rows?: unknown };
  if (typeof body !== "object" || body === null || Object.keys(body).length !== 1) return undefined;
  const rows = body.rows;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > MAX_ROWS) return undefined;
  const x = new Float64Array(rows.length * width);
  if (!rows.every((row, i) => pack(row, x, i * width))) return undefined;
  return { x, spans: rowSpans(bytes, rows.length) };
}

/** Whatever the reader accepts, the general path accepts, with the same values. */
function agrees(text: string): boolean {
  const fast = read(encoder.encode(text));
  const slow = general(text);
  if (fast === undefined) return false;
  assert.ok(slow, `the reader accepted what the general path refuses: ${text.slice(0, 200)}`);
  assert.equal(fast.x.length, slow.x.length);
  fast.x.forEach((v, i) => assert.ok(Object.is(v, slow.x[i]), `value ${i}: ${v} vs ${slow.x[i]}`));
  if (slow.spans) assert.deepEqual(fast.spans, slow.spans);
  return true;
}

const ws = (rng: ReturnType<typeof seededRandom>) => [" ", "\n", "\r\n", "\t", ""][rng.int(5)];

/** A number's text in one of the ways JSON allows. */
function numberText(value: number, rng: ReturnType<typeof seededRandom>): string {
  switch (rng.int(5)) {
    case 0:
      return value.toExponential(rng.int(15));
    case 1:
      return value.toFixed(rng.int(20)); // beyond 15 digits: read from the text
    case 2:
      return (value * 1000).toString() + "E-3";
    case 3:
      return value.toPrecision(17);
    default:
      return JSON.stringify(value);
  }
}

Deno.test("valid batches read as the general path reads them, however formatted", () => {
  const rng = seededRandom(7);
  for (let trial = 0; trial < 200; trial++) {
    const rows = Array.from({ length: 1 + rng.int(5) }, (_, i) => {
      const row = Object.entries(randomRow(bundle, 100 * trial + i, rng.int(4)));
      if (rng.next() < 0.5) row.reverse(); // keys in another order than the contract's
      const members = row.map(([name, v]) =>
        `${ws(rng)}"${name}"${ws(rng)}:${ws(rng)}${v === null ? "null" : numberText(v, rng)}`
      );
      return `{${members.join(`,`)}${ws(rng)}}`;
    });
    const text = `${ws(rng)}{${ws(rng)}"rows"${ws(rng)}:${ws(rng)}[${rows.join(`,${ws(rng)}`)}]}` +
      ws(rng);
    assert.ok(agrees(text), `declined a valid batch: ${text.slice(0, 300)}`);
  }
});

Deno.test("numbers are the doubles JSON.parse reads", () => {
  const [first] = features.filter((f) => f.min <= 0 && f.max >= 1);
  const one = compileBatchReader([{ ...first, min: -Infinity, max: Infinity }], 1);
  const rng = seededRandom(3);
  const texts = [
    "0",
    "-0",
    "1",
    "0.1",
    "0.30000000000000004",
    "1e22",
    "1e23",
    "123456789012345",
    "1234567890123456",
    "9007199254740993",
    "5e-324",
    "1e-22",
    "1e-23",
    "0.000001234",
    "-2.5E+3",
  ];
  for (let i = 0; i < 5000; i++) {
    const digits = 1 + rng.int(17);
    const mantissa = String(rng.int(10 ** Math.min(digits, 15))).padStart(digits, "0");
    const point = rng.int(digits + 1);
    const whole = mantissa.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
    texts.push(`${whole}.${mantissa.slice(point) || "0"}e${rng.int(60) - 30}`);
  }
  for (const text of texts) {
    const batch = one(encoder.encode(`{"rows":[{"${first.name}":${text}}]}`));
    assert.ok(batch, text);
    assert.ok(Object.is(batch.x[0], JSON.parse(text)), `${text}: ${batch.x[0]}`);
  }
});

Deno.test("anything but a plain valid batch is left to the general path", () => {
  const row = randomRow(bundle, 1);
  const valid = JSON.stringify({ rows: [row] });
  const [name] = Object.keys(row);
  const nonNullable = features.find((f) => !f.nullable)!.name;
  const cases = [
    valid.replace(`"${name}":${row[name]}`, `"${name}":NaN`),
    valid.replace(`"${name}":${row[name]}`, `"${name}":"0.5"`),
    valid.replace(`"${name}":${row[name]}`, `"${name}":2`), // out of range
    valid.replace(`"${name}":${row[name]}`, `"${name}":01`),
    valid.replace(`"${name}":${row[name]}`, `"${name}":1.`),
    valid.replace(`"${name}":${row[name]}`, `"${name}":-`),
    valid.replace(`"${name}":${row[name]}`, `"${name}":1e999`),
    valid.replace(`"${name}":${row[name]}`, `"${name}":nul`),
    valid.replace(`"${nonNullable}":${row[nonNullable]}`, `"${nonNullable}":null`),
    valid.replace(`"${name}"`, `"\\u0061${name.slice(1)}"`), // an escape
    valid.replace(`"${name}":${row[name]},`, ""), // a missing feature
    valid.replace(`"${name}":${row[name]},`, `"${name}":${row[name]},"${name}":${row[name]},`),
    valid.replace(`"${name}"`, `"unknown"`),
    valid.replace(`"${name}"`, `"${name}é"`),
    valid.replace("}]}", `,"extra":1}]}`),
    valid.replace("]}", `],"more":1}`),
    valid.replace('"rows"', '"rows "'),
    valid + "x",
    valid.slice(0, -1),
    '{"rows":[]}',
    `{"rows":[${Array(MAX_ROWS + 1).fill(JSON.stringify(row)).join(",")}]}`,
    `{"rows":[${JSON.stringify(row)},]}`,
    `[${JSON.stringify(row)}]`,
    `{"rows":[{}]}`,
    "",
  ];
  assert.ok(agrees(valid));
  for (const text of cases) {
    assert.equal(read(encoder.encode(text)), undefined, text.slice(0, 200));
  }
});

Deno.test("a read leaves nothing behind for the next: repeats are per row", () => {
  const rows = [randomRow(bundle, 1), randomRow(bundle, 2)];
  assert.ok(agrees(JSON.stringify({ rows })));
  assert.ok(agrees(JSON.stringify({ rows: rows.slice(1) })));
});
