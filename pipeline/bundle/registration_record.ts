/**
 * The record `register` writes beside the bundle it registered (`registered_version.json`):
 * the registered model's name and version, and the checksum of the bundle registered, so
 * that whoever serves that bundle file can tell it is the very bundle of that version.
 *
 * @module
 */
import { z } from "zod";

/** The file name of the record, in the bundle's folder. */
export const REGISTRATION_RECORD_FILE = "registered_version.json";

/** The registered version of a bundle. */
export const RegistrationRecordSchema = z.strictObject({
  name: z.string().min(1),
  version: z.string().min(1),
  /** The registered bundle's checksum; absent in records written before it was kept. */
  bundleChecksum: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

/** A parsed registration record. */
export type RegistrationRecord = z.infer<typeof RegistrationRecordSchema>;

/**
 * The registered name and version of the bundle with `checksum`, if `text` (a registration
 * record) names that bundle; `undefined` when it is another bundle's, or not a record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registrationOf } from "./registration_record.ts";
 *
 * const checksum = "a".repeat(64);
 * const record = JSON.stringify({ name: "communities-crime", version: "10", bundleChecksum: checksum });
 * assert.deepEqual(registrationOf(record, checksum), { name: "communities-crime", version: "10" });
 * assert.equal(registrationOf(record, "b".repeat(64)), undefined); // another bundle's record
 * ```
 */
export function registrationOf(
  text: string,
  checksum: string,
): { readonly name: string; readonly version: string } | undefined {
  let parsed;
  try {
    parsed = RegistrationRecordSchema.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!parsed.success || parsed.data.bundleChecksum !== checksum) return undefined;
  return { name: parsed.data.name, version: parsed.data.version };
}
