import assert from "node:assert/strict";
import { csvRecords, MAX_RECORD_CHARS } from "../../../serve/contract/csv_records.ts";

async function parse(chunks: string[]) {
  const out = [];
  for await (const record of csvRecords(chunks)) out.push(record);
  return out;
}

/** Every way of cutting `text` in two, so each record meets a chunk boundary somewhere. */
function splits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

Deno.test("quoted fields, doubled quotes, CRLF and line breaks inside quotes, cut anywhere", async () => {
  const text = 'a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",3\n4,5';
  for (const chunks of splits(text)) {
    assert.deepEqual(await parse(chunks), [
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 3, fields: ["two\nlines", "3"] },
      { line: 5, fields: ["4", "5"] },
    ], JSON.stringify(chunks));
  }
});

Deno.test("a malformed record is reported with its line, and reading goes on", async () => {
  const text = 'a,b\n1,x"y\n"q"z,2\n3,4\n';
  for (const chunks of splits(text)) {
    const out = await parse(chunks);
    assert.equal(out.length, 4);
    assert.deepEqual(out[1], { line: 2, error: "field 2: a quote inside an unquoted field" });
    assert.deepEqual(out[2], { line: 3, error: "field 1: text after its closing quote" });
    assert.deepEqual(out[3], { line: 4, fields: ["3", "4"] });
  }
});

Deno.test("an unclosed quote at the end of the file is reported, the lines after it still read", async () => {
  const out = await parse(['a,b\n"open,1\n2,3\n']);
  assert.deepEqual(out[1], {
    line: 2,
    error: "a quoted field is not closed before the end of the file",
  });
  assert.deepEqual(out[2], { line: 3, fields: ["2", "3"] });
});

Deno.test("a record longer than the limit is refused, not buffered without end", async () => {
  const long = `"${"x".repeat(MAX_RECORD_CHARS + 10)}`;
  const chunks = [
    "a\n",
    long.slice(0, MAX_RECORD_CHARS / 2),
    long.slice(MAX_RECORD_CHARS / 2),
    "\n7\n",
  ];
  const out = await parse(chunks);
  assert.match((out[1] as { error: string }).error, /longer than/);
  assert.deepEqual(out.at(-1), { line: 3, fields: ["7"] });
});

Deno.test("blank lines are no records", async () => {
  assert.deepEqual(await parse(["a\n\n1\n\n"]), [
    { line: 1, fields: ["a"] },
    { line: 3, fields: ["1"] },
  ]);
});
