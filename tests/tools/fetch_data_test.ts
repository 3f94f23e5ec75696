import assert from "node:assert/strict";
import { join } from "node:path";
import { fetchData, parseChecksums } from "../../tools/data/fetch_data.ts";

const data = await Deno.readFile("data/raw/communities.data");
const names = await Deno.readFile("data/raw/communities.names");

/** Serves the snapshot files on loopback, optionally corrupting one of them. */
function serveSnapshot(corrupt?: string) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const name = new URL(request.url).pathname.split("/").pop()!;
    const files: Record<string, Uint8Array<ArrayBuffer>> = {
      "communities.data": data,
      "communities.names": names,
    };
    const body = files[name];
    if (!body) return new Response("not found", { status: 404 });
    return new Response(name === corrupt ? body.slice(0, body.length - 10) : body);
  });
}

async function tempRawDir(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.copyFile("data/raw/SHA256SUMS", join(dir, "SHA256SUMS"));
  return dir;
}

Deno.test("checksum lines are parsed by file name", () => {
  const sums = parseChecksums(`${"a".repeat(64)}  communities.data\n${"b".repeat(64)} *x.names\n`);
  assert.equal(sums.get("communities.data"), "a".repeat(64));
  assert.equal(sums.get("x.names"), "b".repeat(64));
});

Deno.test("matching downloads are written", async () => {
  const server = serveSnapshot();
  const dir = await tempRawDir();
  try {
    const written = await fetchData(`http://127.0.0.1:${server.addr.port}/c/`, dir);
    assert.deepEqual(written.sort(), ["communities.data", "communities.names"]);
    assert.deepEqual(await Deno.readFile(join(dir, "communities.data")), data);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt download is refused and nothing is written", async () => {
  const server = serveSnapshot("communities.data");
  const dir = await tempRawDir();
  try {
    await assert.rejects(
      fetchData(`http://127.0.0.1:${server.addr.port}`, dir),
      /communities.data: checksum mismatch .* nothing was written/,
    );
    await assert.rejects(Deno.stat(join(dir, "communities.names")), Deno.errors.NotFound);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an HTTP error names the URL and status", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("gone", { status: 404 }),
  );
  const dir = await tempRawDir();
  try {
    await assert.rejects(
      fetchData(`http://127.0.0.1:${server.addr.port}/c`, dir),
      /http:\/\/127.0.0.1:\d+\/c\/communities\.\w+: HTTP 404/,
    );
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
