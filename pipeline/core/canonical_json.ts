/**
 * Canonical JSON (object keys sorted, no spaces), so a checksum of it does not depend
 * on key order or formatting.
 *
 * @module
 */

/** Serialises a JSON value with object keys sorted recursively. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
  );
}
