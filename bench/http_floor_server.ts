/**
 * The floor under `bench/serve_batch_latency.ts`'s batch latency: a server that reads a
 * POST body whole and answers at once with a batch answer of the real one's shape and
 * size (1000 predictions), so that what HTTP, loopback and the client cost alone is
 * measured beside the real servers, under the same noise.
 *
 * Usage: `deno run --allow-net bench/http_floor_server.ts`; it logs the prediction
 * server's `listening` line (JSON, on stderr) with its port.
 *
 * @module
 */
const answer = JSON.stringify({
  predictions: Array.from({ length: 1000 }, (_, i) => 0.1 + i / 7919),
  count: 1000,
  modelName: "communities-crime",
  modelVersion: "000000000000",
  requestId: "00000000-0000-7000-8000-000000000000",
});

Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.error(JSON.stringify({ msg: "listening", port })),
}, async (request) => {
  await request.arrayBuffer();
  return new Response(answer, { headers: { "content-type": "application/json" } });
});
