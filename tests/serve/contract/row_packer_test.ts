import assert from "node:assert/strict";
import { seededRandom } from "../../../pipeline/core/random.ts";
import { inputSchemas } from "../../../serve/contract/input_schemas.ts";
import { compileRowPacker } from "../../../serve/contract/row_packer.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();
const pack = compileRowPacker(bundle.features);
const { row: schema } = inputSchemas(bundle.features, 1000);
const names = bundle.features.map((f) => f.name);

/** Values that break (or, for some features, satisfy) the contract. */
const ODD_VALUES: unknown[] = [
  null,
  undefined,
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  1,
  1.0000001,
  -1e-9,
  "0.5",
  "",
  true,
  false,
  {},
  [],
  [0.5],
  { valueOf: () => 0.5 },
  Number.MIN_VALUE,
  Number.MAX_VALUE,
];

function mutate(seed: number): unknown {
  const rng = seededRandom(seed);
  const row: Record<string, unknown> = randomRow(bundle, seed, rng.int(4));
  for (let k = rng.int(3); k >= 0; k--) {
    const name = names[rng.int(names.length)];
    switch (rng.int(4)) {
      case 0:
        row[name] = ODD_VALUES[rng.int(ODD_VALUES.length)];
        break;
      case 1:
        delete row[name];
        break;
      case 2:
        row[`${name}_extra`] = 0.5;
        break;
      default:
        row[name] = rng.next() * 3 - 1;
    }
  }
  return row;
}

Deno.test("the row packer accepts exactly what the zod row schema accepts", () => {
  let valid = 0;
  const samples: unknown[] = [null, undefined, [], "row", 3, {}, Object.create(null)];
  for (let seed = 0; seed < 3000; seed++) samples.push(mutate(seed));
  for (let seed = 0; seed < 200; seed++) samples.push(randomRow(bundle, seed, seed % 5));
  for (const sample of samples) {
    const out = new Float64Array(names.length);
    const packed = pack(sample, out, 0);
    const parsed = schema.safeParse(sample);
    assert.equal(packed, parsed.success, JSON.stringify(sample)?.slice(0, 200));
    if (packed) valid++;
  }
  // Both outcomes must be well represented for the comparison to mean anything.
  assert.ok(valid > 300 && valid < samples.length - 300, `${valid} of ${samples.length} valid`);
});

Deno.test("the row packer writes values in feature order, null as NaN", () => {
  const row = randomRow(bundle, 5, 2);
  const out = new Float64Array(names.length * 2).fill(-1);
  assert.ok(pack(row, out, names.length));
  assert.deepEqual(Array.from(out.subarray(0, names.length)), names.map(() => -1));
  names.forEach((name, j) => {
    const v = row[name];
    assert.ok(v === null ? Number.isNaN(out[names.length + j]) : out[names.length + j] === v);
  });
});

Deno.test("a duplicate key in the JSON text is read once, as JSON.parse does", () => {
  const row = randomRow(bundle, 9);
  const text = JSON.stringify(row).replace("{", `{"${names[0]}":5,`);
  const out = new Float64Array(names.length);
  assert.equal(pack(JSON.parse(text), out, 0), schema.safeParse(JSON.parse(text)).success);
});
