/**
 * A free TCP port on the loopback interface, for servers and containers started by the
 * tools and the tests.
 *
 * @module
 */

/**
 * A port nothing listens on right now (the OS picks it; it is free again once returned).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const port = freePort();
 * assert.ok(port > 0 && port < 65536);
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}
