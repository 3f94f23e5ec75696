/**
 * Batches whose bytes arrive slowly, in small pieces cut anywhere (inside a key, a
 * number, between rows), over real HTTP on loopback: the server reads them as they
 * arrive (serve/http/arriving_body.ts), and the answer, the logged rows and the errors
 * are those of the same body sent at once.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../../../pipeline/core/random.ts";
import { harness } from "../../support/serve_harness.ts";
import { randomRow, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();
const encoder = new TextEncoder();

/** Status and body of a POST whose body is written in `pieces`, a pause after each. */
async function sendInPieces(
  port: number,
  path: string,
  pieces: readonly Uint8Array[],
  declared = pieces.reduce((n, p) => n + p.length, 0),
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
      `content-length: ${declared}\r\nconnection: close\r\n\r\n`;
    const writeAll = async (bytes: Uint8Array) => {
      for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
    };
    await writeAll(encoder.encode(head));
    for (const piece of pieces) {
      await writeAll(piece);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // A body shorter than declared ends when the client says it has nothing more.
    if (declared > pieces.reduce((n, p) => n + p.length, 0)) await conn.closeWrite();
    const answer = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    const [status, ...rest] = answer.split("\r\n\r\n");
    return { status: Number(status.split(" ")[1]), body: rest.join("\r\n\r\n") };
  } finally {
    try {
      conn.close();
    } catch {
      // Closed by reading to the end.
    }
  }
}

/** `bytes` cut at random places into pieces of 1 to 3000 bytes. */
function cut(bytes: Uint8Array, seed: number): Uint8Array[] {
  const rng = seededRandom(seed);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const next = Math.min(bytes.length, at + 1 + rng.int(rng.next() < 0.3 ? 10 : 3000));
    pieces.push(bytes.subarray(at, next));
    at = next;
  }
  return pieces;
}

Deno.test("a batch that arrives in pieces is answered and logged as one sent at once", async (t) => {
  const { app, predictions } = await harness(bundle);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  const { port } = server.addr;
  const rows = Array.from({ length: 120 }, (_, i) => randomRow(bundle, i, 3));
  const text = JSON.stringify({ rows }, null, 1); // line breaks too, for the log's spans
  const atOnce = await fetch(`http://127.0.0.1:${port}/predict/batch`, {
    method: "POST",
    body: text,
    headers: { "content-type": "application/json" },
  });
  const expected = (await atOnce.json()).predictions;
  const loggedAtOnce = predictions.at(-1)!;
  try {
    await t.step("valid rows, cut anywhere", async () => {
      for (const seed of [1, 2, 3]) {
        const answer = await sendInPieces(port, "/predict/batch", cut(encoder.encode(text), seed));
        assert.equal(answer.status, 200, answer.body);
        assert.deepEqual(JSON.parse(answer.body).predictions, expected);
        const logged = predictions.at(-1)!;
        assert.deepEqual(logged.inputSpans, loggedAtOnce.inputSpans);
        assert.equal(logged.inputLineBreaks, true);
      }
    });
    await t.step("with a byte-order mark", async () => {
      const marked = encoder.encode(`\ufeff${text}`); // EF BB BF, then the batch
      const answer = await sendInPieces(port, "/predict/batch", cut(marked, 4));
      assert.equal(answer.status, 200, answer.body);
      assert.deepEqual(JSON.parse(answer.body).predictions, expected);
      assert.deepEqual(predictions.at(-1)!.inputSpans, loggedAtOnce.inputSpans);
    });
    await t.step("two batches arriving at the same time keep their own rows", async () => {
      const reversed = JSON.stringify({ rows: [...rows].reverse() });
      const [a, b] = await Promise.all([
        sendInPieces(port, "/predict/batch", cut(encoder.encode(text), 5)),
        sendInPieces(port, "/predict/batch", cut(encoder.encode(reversed), 6)),
      ]);
      assert.deepEqual(JSON.parse(a.body).predictions, expected);
      assert.deepEqual(JSON.parse(b.body).predictions, [...expected].reverse());
    });
    await t.step("an invalid row is named, whatever the pieces", async () => {
      const bad = text.replace(/"population": [^,]+,/, '"population": "many",');
      assert.notEqual(bad, text);
      const answer = await sendInPieces(port, "/predict/batch", cut(encoder.encode(bad), 7));
      assert.equal(answer.status, 422, answer.body);
      assert.match(answer.body, /rows\[0\]\.population/);
    });
    await t.step("a body that ends before its declared length is a 400", async () => {
      const bytes = encoder.encode(text);
      const answer = await sendInPieces(port, "/predict/batch", cut(bytes, 8), bytes.length + 10);
      assert.equal(answer.status, 400, answer.body);
      assert.match(answer.body, /cannot read the body/);
    });
  } finally {
    await server.shutdown();
  }
});
