/**
 * The connection guard in front of a real `Deno.serve` on a Unix socket, spoken to over
 * real TCP sockets byte by byte: what it relays unchanged (keep-alive, chunked and large
 * bodies, `Expect: 100-continue`, a slow handler) and what it cuts (too many connections,
 * slow headers, a slow body, idle connections), with the reason it reports.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ConnectionGuard,
  findHeaderEnd,
  type GuardCloseReason,
  type GuardLimits,
} from "../../../serve/instances/connection_guard.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Harness {
  readonly port: number;
  readonly guard: ConnectionGuard;
  readonly closed: GuardCloseReason[];
  [Symbol.asyncDispose](): Promise<void>;
}

/** Echoes the body's length; `/slow` answers after 300 ms. */
async function harness(limits: Partial<GuardLimits>): Promise<Harness> {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "http.sock");
  const server = Deno.serve({ path, onListen: () => {} }, async (request) => {
    if (new URL(request.url).pathname === "/slow") {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    // The guard cuts a slow body off: the read fails, and the answer goes nowhere.
    const body = await request.arrayBuffer().catch(() => new ArrayBuffer(0));
    return new Response(String(body.byteLength));
  });
  const closed: GuardCloseReason[] = [];
  const guard = new ConnectionGuard({
    hostname: "127.0.0.1",
    port: 0,
    upstreamPath: path,
    limits: {
      maxConnections: 0,
      headerTimeoutMs: 0,
      requestTimeoutMs: 0,
      idleTimeoutMs: 0,
      ...limits,
    },
    onClose: (reason) => closed.push(reason),
  });
  return {
    port: guard.addr.port,
    guard,
    closed,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await guard.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A raw client connection that reads until a full response, EOF or a deadline. */
class Client {
  readonly conn: Deno.Conn;
  #pending = "";
  constructor(conn: Deno.Conn) {
    this.conn = conn;
  }
  static async open(port: number): Promise<Client> {
    return new Client(await Deno.connect({ hostname: "127.0.0.1", port }));
  }
  async send(text: string | Uint8Array): Promise<void> {
    const bytes = typeof text === "string" ? encoder.encode(text) : text;
    for (let at = 0; at < bytes.length;) at += await this.conn.write(bytes.subarray(at));
  }
  /** The next response (status line, headers, body by content-length), or "EOF". */
  async response(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const buffer = new Uint8Array(65536);
    for (;;) {
      const full = completeResponse(this.#pending);
      if (full) {
        this.#pending = this.#pending.slice(full.length);
        return full;
      }
      const left = deadline - Date.now();
      if (left <= 0) return "TIMEOUT";
      const n = await Promise.race([
        this.conn.read(buffer).catch(() => null),
        new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), left)),
      ]);
      if (n === "timeout") return "TIMEOUT";
      if (n === null) return this.#pending === "" ? "EOF" : `PARTIAL ${this.#pending}`;
      this.#pending += decoder.decode(buffer.subarray(0, n));
    }
  }
  close(): void {
    try {
      this.conn.close();
    } catch {
      // Closed by the server already.
    }
  }
}

function completeResponse(text: string): string | undefined {
  const headEnd = text.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const length = /content-length: (\d+)/i.exec(text.slice(0, headEnd));
  const end = headEnd + 4 + Number(length?.[1] ?? 0);
  return text.length >= end ? text.slice(0, end) : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GET = "GET / HTTP/1.1\r\nhost: a\r\n\r\n";

Deno.test("findHeaderEnd finds the blank line wherever the reads split it", () => {
  const request = "POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 2\r\n\r\n{}";
  const bytes = encoder.encode(request);
  const end = request.indexOf("\r\n\r\n") + 4;
  for (let split = 0; split <= bytes.length; split++) {
    const first = findHeaderEnd(bytes.subarray(0, split), 0);
    const found = first.end >= 0
      ? first.end
      : split + findHeaderEnd(bytes.subarray(split), first.state).end;
    assert.equal(found, end, `split at ${split}`);
  }
  assert.equal(findHeaderEnd(encoder.encode("GET / HTTP/1.1\nhost: a\n\nrest"), 0).end, 24);
  assert.equal(findHeaderEnd(encoder.encode("GET / HTTP/1.1\r\nhost: a\r\n"), 0).end, -1);
  assert.equal(findHeaderEnd(encoder.encode("a\rb\r\nc\r\r\n"), 0).end, -1);
});

Deno.test("the guard relays keep-alive, chunked, large and 100-continue requests unchanged", async () => {
  await using h = await harness({
    maxConnections: 4,
    headerTimeoutMs: 1000,
    requestTimeoutMs: 2000,
    idleTimeoutMs: 1000,
  });
  const client = await Client.open(h.port);
  try {
    await client.send(GET);
    assert.match(await client.response(), /^HTTP\/1.1 200 [^]*\r\n\r\n0$/);
    await client.send(
      "POST / HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    );
    assert.match(await client.response(), /\r\n\r\n5$/);
    const big = new Uint8Array(1 << 20).fill(120);
    await client.send(`POST / HTTP/1.1\r\nhost: a\r\ncontent-length: ${big.length}\r\n\r\n`);
    await client.send(big);
    assert.match(await client.response(), /\r\n\r\n1048576$/);
    // curl's way with a large body: headers, wait for 100 Continue, then the body. The
    // body's bytes must not be taken for the headers of a new request.
    await client.send(
      "POST / HTTP/1.1\r\nhost: a\r\nexpect: 100-continue\r\ncontent-length: 4\r\n\r\n",
    );
    assert.match(await client.response(), /^HTTP\/1.1 100 Continue/);
    await sleep(1500); // past the header timeout: the request is still open
    await client.send("wxyz");
    assert.match(await client.response(), /^HTTP\/1.1 200 [^]*\r\n\r\n4$/);
    // A handler that takes 300 ms is not an idle connection.
    await client.send("GET /slow HTTP/1.1\r\nhost: a\r\n\r\n");
    assert.match(await client.response(), /^HTTP\/1.1 200/);
    assert.deepEqual(h.closed, []);
  } finally {
    client.close();
  }
});

Deno.test("an idle connection is closed after the idle timeout, before or between requests", async () => {
  await using h = await harness({ idleTimeoutMs: 400 });
  const silent = await Client.open(h.port);
  const served = await Client.open(h.port);
  try {
    await served.send(GET);
    assert.match(await served.response(), /^HTTP\/1.1 200/);
    const started = Date.now();
    assert.equal(await silent.response(3000), "EOF");
    assert.equal(await served.response(3000), "EOF");
    const waited = Date.now() - started;
    assert.ok(waited >= 300 && waited < 2000, `closed after ${waited} ms`);
    assert.deepEqual(h.closed, ["idle_timeout", "idle_timeout"]);
    assert.equal(h.guard.open, 0);
  } finally {
    silent.close();
    served.close();
  }
});

Deno.test("headers trickled past the header timeout get 408 and the connection is closed", async () => {
  await using h = await harness({ headerTimeoutMs: 500, idleTimeoutMs: 5000 });
  const client = await Client.open(h.port);
  try {
    const started = Date.now();
    const trickle = (async () => {
      for (const byte of "GET / HTTP/1.1\r\nhost: a\r\nx-slow: 1") {
        await client.send(byte).catch(() => {});
        await sleep(50);
      }
    })();
    const answer = await client.response(4000);
    assert.match(answer, /^HTTP\/1.1 408 Request Timeout\r\n/);
    assert.match(answer, /"error":"request_timeout".*0\.5 s to send its headers/);
    assert.equal(await client.response(2000), "EOF");
    assert.ok(Date.now() - started < 2500);
    await trickle;
    assert.deepEqual(h.closed, ["header_timeout"]);
  } finally {
    client.close();
  }
});

Deno.test("a body slower than the request timeout gets 408, nothing from the server after it", async () => {
  await using h = await harness({ headerTimeoutMs: 5000, requestTimeoutMs: 600 });
  const client = await Client.open(h.port);
  try {
    await client.send("POST / HTTP/1.1\r\nhost: a\r\ncontent-length: 100\r\n\r\n{");
    const answer = await client.response(4000);
    assert.match(answer, /^HTTP\/1.1 408 [^]*0\.6 s to send the whole request/);
    assert.equal(await client.response(2000), "EOF");
    assert.deepEqual(h.closed, ["request_timeout"]);
  } finally {
    client.close();
  }
});

Deno.test("connections over the cap are answered 503 with Retry-After; a freed slot serves again", async () => {
  await using h = await harness({ maxConnections: 3 });
  const held = await Promise.all([1, 2, 3].map(() => Client.open(h.port)));
  // The guard counts a connection once it accepts it: wait for all three.
  for (let i = 0; i < 100 && h.guard.open < 3; i++) await sleep(10);
  const extra = await Client.open(h.port);
  try {
    const refused = await extra.response();
    assert.match(refused, /^HTTP\/1.1 503 Service Unavailable\r\n/);
    assert.match(refused, /\r\nretry-after: 1\r\n/);
    assert.match(refused, /"error":"over_capacity".*3 connections open/);
    assert.equal(await extra.response(), "EOF");
    assert.deepEqual(h.closed, ["over_capacity"]);
    held[0].close();
    for (let i = 0; i < 100 && h.guard.open > 2; i++) await sleep(10);
    const next = await Client.open(h.port);
    await next.send(GET);
    assert.match(await next.response(), /^HTTP\/1.1 200/);
    next.close();
  } finally {
    extra.close();
    for (const client of held) client.close();
  }
});
