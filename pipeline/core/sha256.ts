/**
 * SHA-256 as lowercase hex: the one digest the project uses, for data files, bundle
 * checksums, parameters and downloads.
 *
 * @module
 */

/**
 * Hex SHA-256 digest of `data` (a string is hashed as its UTF-8 bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   await sha256Hex("abc"),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * assert.equal(await sha256Hex(new TextEncoder().encode("abc")), await sha256Hex("abc"));
 * ```
 */
export async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
