/**
 * The base class of the failures a user causes and can fix (a config typo, a missing or
 * malformed input file, a tracking server that is down). Entry points print their
 * message alone; any other error is a bug and is printed with its stack.
 *
 * @module
 */

/**
 * A failure the user can fix; its message names the problem and is shown as is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * class MissingInput extends UserError {
 *   override name = "MissingInput";
 * }
 * const error = new MissingInput("data/x.csv is missing: run dvc repro");
 * assert.ok(error instanceof UserError);
 * assert.ok(!(new TypeError("a bug") instanceof UserError));
 * ```
 */
export class UserError extends Error {
  override name = "UserError";
}
