/**
 * Request bodies built to be expensive for the prediction server, and the tools to send
 * them to a server process and watch it: a raw HTTP/1.1 client (so that a body is known
 * to be fully sent, and bytes go out exactly as built), a `/health` probe, and the
 * process's resident memory from /proc. Shared by tests/serve/hostile_body_test.ts and
 * bench/hostile_inputs.ts.
 *
 * @module
 */
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import { randomRow } from "./test_bundle.ts";

/** One hostile request and the answer the server should give it. */
export interface HostileBody {
  readonly name: string;
  readonly path: "/predict" | "/predict/batch" | "/feedback";
  /** Default `application/json`. */
  readonly contentType?: string;
  readonly body: Uint8Array;
  /** Send the headers with this content-length and no body (a declared oversize). */
  readonly declaredLength?: number;
  /** Send the body in chunks, without a content-length. */
  readonly chunked?: boolean;
  readonly status: number;
  /** The `error` code of the answer, for a 4xx. */
  readonly error?: string;
  /** Further checks of the parsed answer. */
  readonly check?: (answer: Answer) => void;
}

/** A parsed error or prediction answer (the fields the checks read). */
export interface Answer {
  readonly error?: string;
  readonly message?: string;
  readonly issues?: readonly { path: string; rule: string; message: string }[];
  readonly issueCount?: number;
  readonly limit?: number;
  readonly prediction?: number;
}

const encoder = new TextEncoder();
const MiB = 1 << 20;

function text(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Joins `count` copies of `item` with `separator`, without one huge intermediate array. */
function repeated(item: string, count: number, separator = ","): string {
  return `${item}${separator}`.repeat(count - 1) + item;
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

/**
 * The hostile bodies, for a model built by `testBundle()` (its 122 contract features)
 * served with the default limits (8 MiB bodies, 1000-row batches).
 */
export function hostileBodies(bundle: ModelBundle): HostileBody[] {
  const features = bundle.features.map((f) => f.name);
  const f = features.length;
  const row = randomRow(bundle, 1);
  const rowJson = JSON.stringify(row);
  const first = features[0];
  const unknownKeys = (count: number, prefix = "k") =>
    Array.from({ length: count }, (_, i) => `"${prefix}${i.toString(36)}":0`).join(",");
  const issue = (answer: Answer, k = 0) => answer.issues?.[k];
  return [
    {
      name: "256 KB of escaped quotes in an unterminated string",
      path: "/predict",
      body: text(`{"a":"${'\\"'.repeat(128 * 1024)}`),
      status: 400,
      error: "malformed_json",
    },
    {
      name: "4 MB of escaped quotes in an unterminated string",
      path: "/predict/batch",
      body: text(`{"rows":[{"a":"${'\\"'.repeat(2 * MiB)}`),
      status: 400,
      error: "malformed_json",
    },
    {
      name: '256 KB of "\\\\\\" repeated',
      path: "/predict",
      body: text('"\\\\\\"'.repeat(256 * 1024 / 5)),
      status: 400,
      error: "malformed_json",
    },
    {
      name: "a NaN next to a 256 KB string of escaped quotes",
      path: "/predict",
      body: text(`{"${first}":NaN,"note":"${'\\"'.repeat(128 * 1024)}"}`),
      status: 422,
      error: "invalid_input",
      check: (a) => {
        expect(issue(a)?.path === `$.${first}` && issue(a)?.rule === "finite", "finite first");
        // NaN, the other features missing, and "note".
        expect(a.issueCount === f + 1, `issueCount ${a.issueCount}`);
      },
    },
    {
      name: "700k unknown keys (7 MB)",
      path: "/predict",
      body: text(`{${unknownKeys(700_000)}}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.path === "$" && issue(a)?.rule === "invalid", "at $"),
    },
    {
      name: "1000 rows of 700 unknown keys",
      path: "/predict/batch",
      body: text(`{"rows":[${repeated(`{${unknownKeys(700)}}`, 1000)}]}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.path === "$.rows[0]", `${issue(a)?.path}`),
    },
    {
      name: "1000 empty rows",
      path: "/predict/batch",
      body: text(`{"rows":[${repeated("{}", 1000)}]}`),
      status: 422,
      error: "invalid_input",
      check: (a) => {
        expect(a.issues?.length === 100, `${a.issues?.length} listed`);
        expect(a.issueCount === 1000 * f, `issueCount ${a.issueCount}`);
        expect(issue(a)?.path === `$.rows[0].${first}` && issue(a)?.rule === "required", "first");
      },
    },
    {
      name: "1000 rows of 222 unknown keys (the most that are checked)",
      path: "/predict/batch",
      body: text(`{"rows":[${repeated(`{${unknownKeys(f + 100)}}`, 1000)}]}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(a.issueCount === 1000 * (2 * f + 100), `issueCount ${a.issueCount}`),
    },
    {
      name: "arrays nested 100k deep",
      path: "/predict",
      body: text(`${"[".repeat(100_000)}${"]".repeat(100_000)}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.path === "$" && issue(a)?.rule === "type", "$ type"),
    },
    {
      name: "a row of arrays nested 100k deep around a NaN",
      path: "/predict/batch",
      body: text(`{"rows":${"[".repeat(100_000)}NaN${"]".repeat(100_000)}}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.path === "$.rows[0]" && issue(a)?.rule === "type", "type"),
    },
    {
      name: "objects nested 100k deep",
      path: "/predict",
      body: text(`${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(a.issueCount === f + 1, `issueCount ${a.issueCount}`),
    },
    {
      name: "2.7M empty arrays under an unknown key",
      path: "/predict",
      body: text(`{"x":[${repeated("[]", 2_700_000)}]}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(a.issueCount === f + 1, `issueCount ${a.issueCount}`),
    },
    {
      name: "2M NaN literals in an array",
      path: "/predict",
      body: text(`[${repeated("NaN", 2_000_000)}]`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.rule === "type", "$ type"),
    },
    {
      name: "a rows array of 4M numbers",
      path: "/predict/batch",
      body: text(`{"rows":[${repeated("0", 4_000_000)}]}`),
      status: 413,
      error: "batch_too_large",
      check: (a) => expect(/4000000 rows/.test(a.message ?? ""), `${a.message}`),
    },
    {
      name: "a number with 100k digits (overflows to Infinity)",
      path: "/predict",
      body: text(rowJson.replace(`"${first}":${row[first]}`, `"${first}":1${"0".repeat(100_000)}`)),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.rule === "finite", `${issue(a)?.rule}`),
    },
    {
      name: "a valid row with a 100k-digit value",
      path: "/predict",
      body: text(
        rowJson.replace(`"${first}":${row[first]}`, `"${first}":0.${"3".repeat(100_000)}`),
      ),
      status: 200,
    },
    {
      name: "a valid row with one key repeated (the last one counts)",
      path: "/predict",
      body: text(`{"${first}":7,${rowJson.slice(1)}`),
      status: 200,
    },
    {
      name: "one key repeated to 6 MB",
      path: "/predict",
      body: text(
        `{${repeated(`"${first}":0.5`, Math.floor(6 * MiB / (first.length + 7)))},${
          rowJson.slice(1)
        }`,
      ),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.rule === "invalid", `${issue(a)?.rule}`),
    },
    {
      name: "an 8 MB string value",
      path: "/predict",
      body: text(`{"${first}":"${"x".repeat(8 * MiB - 100)}"}`),
      status: 422,
      error: "invalid_input",
      check: (a) => expect(issue(a)?.rule === "type", `${issue(a)?.rule}`),
    },
    {
      name: "malformed UTF-8 in a key",
      path: "/predict",
      body: new Uint8Array([...text(`{"${first}`), 0xc3, 0x28, ...text(`":0.5}`)]),
      status: 400,
      error: "malformed_json",
    },
    {
      name: "8 MB of malformed UTF-8",
      path: "/predict",
      body: new Uint8Array(8 * MiB - 1024).fill(0xff),
      status: 400,
      error: "malformed_json",
    },
    {
      name: "a form-encoded body",
      path: "/predict",
      contentType: "application/x-www-form-urlencoded",
      body: text(`${first}=0.5&b=1`),
      status: 400,
      error: "malformed_json",
    },
    {
      // The server reads every body as JSON, whatever its declared type (as before).
      name: "a valid row sent as text/plain",
      path: "/predict",
      contentType: "text/plain",
      body: text(rowJson),
      status: 200,
    },
    {
      name: "a declared 9 MiB body",
      path: "/predict/batch",
      body: new Uint8Array(0),
      declaredLength: 9 * MiB,
      status: 413,
      error: "payload_too_large",
    },
    {
      name: "a chunked 9 MiB body",
      path: "/predict/batch",
      body: new Uint8Array(9 * MiB).fill(0x20),
      chunked: true,
      status: 413,
      error: "payload_too_large",
    },
    {
      name: "feedback: 700k unknown keys (8 MB)",
      path: "/feedback",
      body: text(JSON.stringify({
        actuals: [{
          requestId: "a",
          actual: 0.1,
          ...Object.fromEntries(Array.from({ length: 700_000 }, (_, i) => [`k${i}`, 1])),
        }],
      })),
      status: 413,
      error: "payload_too_large",
    },
    {
      name: "feedback: 1000 values for predictions never made",
      path: "/feedback",
      body: text(JSON.stringify({
        actuals: Array.from({ length: 1000 }, (_, i) => ({ requestId: `never-${i}`, actual: 0.5 })),
      })),
      status: 404,
      error: "unknown_prediction",
      check: (a) => expect(a.issues?.length === 100 && a.issueCount === 1000, "100 of 1000 listed"),
    },
  ];
}

/** A valid `/predict` body, for baselines. */
export function normalRowBody(bundle: ModelBundle): Uint8Array {
  return text(JSON.stringify(randomRow(bundle, 2)));
}

/** An answer read off the wire. */
export interface RawResponse {
  readonly status: number;
  readonly body: string;
  /** From the last byte of the request written to the first byte of the answer. */
  readonly ms: number;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/**
 * Sends `hostile` to 127.0.0.1:`port` on a new connection, as raw HTTP/1.1, and calls
 * `sent` once the whole request is written (or the server stopped reading it). Rejects
 * after `timeoutMs` without an answer.
 */
export async function sendRaw(
  port: number,
  hostile: HostileBody,
  timeoutMs: number,
  sent: () => void = () => {},
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  }, timeoutMs);
  try {
    const length = hostile.declaredLength ?? hostile.body.length;
    const framing = hostile.chunked ? "transfer-encoding: chunked" : `content-length: ${length}`;
    const head = `POST ${hostile.path} HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
      `content-type: ${hostile.contentType ?? "application/json"}\r\n${framing}\r\n` +
      "connection: close\r\n\r\n";
    try {
      await writeAll(conn, text(head));
      if (hostile.chunked) {
        const chunk = 256 * 1024;
        for (let at = 0; at < hostile.body.length; at += chunk) {
          const part = hostile.body.subarray(at, at + chunk);
          await writeAll(conn, text(`${part.length.toString(16)}\r\n`));
          await writeAll(conn, part);
          await writeAll(conn, text("\r\n"));
        }
        await writeAll(conn, text("0\r\n\r\n"));
      } else if (hostile.declaredLength === undefined) {
        await writeAll(conn, hostile.body);
      }
    } catch {
      // The server answered and stopped reading (a 413 before the end): read its answer.
    }
    const written = performance.now();
    sent();
    const chunks: Uint8Array[] = [];
    let firstByte = NaN;
    const buffer = new Uint8Array(64 * 1024);
    // Until the answer is whole: a server that answered before reading the whole body
    // (a 413) may keep the connection open.
    while (!complete(chunks)) {
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch (error) {
        if (chunks.length > 0) break; // reset after the answer
        throw error;
      }
      if (n === null) break;
      if (Number.isNaN(firstByte)) firstByte = performance.now();
      chunks.push(buffer.slice(0, n));
    }
    if (chunks.length === 0) throw new Error(`no answer within ${timeoutMs} ms`);
    return { ...parseResponse(chunks), ms: firstByte - written };
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // Closed by the timer.
    }
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

/** Whether `chunks` hold a whole answer with a content-length (or a final chunk). */
function complete(chunks: readonly Uint8Array[]): boolean {
  if (chunks.length === 0) return false;
  const raw = new TextDecoder().decode(concat(chunks));
  const split = raw.indexOf("\r\n\r\n");
  if (split < 0) return false;
  const length = /^content-length:\s*(\d+)/im.exec(raw.slice(0, split))?.[1];
  if (length !== undefined) {
    return new TextEncoder().encode(raw.slice(split + 4)).length >= Number(length);
  }
  return raw.endsWith("0\r\n\r\n");
}

function parseResponse(chunks: readonly Uint8Array[]): { status: number; body: string } {
  const raw = new TextDecoder().decode(concat(chunks));
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split);
  let body = raw.slice(split + 4);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  if (/^transfer-encoding:\s*chunked/im.test(head)) {
    let out = "";
    for (let i = 0;;) {
      const eol = body.indexOf("\r\n", i);
      const size = parseInt(body.slice(i, eol), 16);
      if (!(size > 0)) break;
      out += body.slice(eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    body = out;
  }
  return { status, body };
}

/** When {@linkcode probeHealth} asks. */
export interface ProbeTiming {
  readonly count: number;
  /** The first probe's delay: long enough for the server to have read a body sent. */
  readonly firstMs: number;
  readonly spacingMs: number;
  readonly timeoutMs: number;
}

/**
 * Asks `/health` `count` times, the first after `firstMs`, then every `spacingMs`, each on
 * its own; resolves with each answer's latency (Infinity for none within `timeoutMs`).
 */
export function probeHealth(
  url: string,
  timing: ProbeTiming = { count: 4, firstMs: 20, spacingMs: 15, timeoutMs: 2000 },
): Promise<number[]> {
  return Promise.all(Array.from({ length: timing.count }, async (_, k) => {
    await new Promise((resolve) => setTimeout(resolve, timing.firstMs + k * timing.spacingMs));
    const started = performance.now();
    try {
      const response = await fetch(`${url}/health`, {
        signal: AbortSignal.timeout(timing.timeoutMs),
      });
      await response.body?.cancel();
      return response.status === 200 ? performance.now() - started : Infinity;
    } catch {
      return Infinity;
    }
  }));
}
