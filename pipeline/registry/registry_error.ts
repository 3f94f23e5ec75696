/**
 * The registry states that stop a registration, promotion or rollback and that the user
 * resolves: no registered model or challenger, a version not READY, a lock held or lost,
 * a champion moved by someone else. The message says what to do.
 *
 * @module
 */
import { UserError } from "../core/user_error.ts";

/**
 * A registry state that stops the operation; its message is shown as is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UserError } from "../core/user_error.ts";
 * import { RegistryError } from "./registry_error.ts";
 *
 * const error = new RegistryError('there is no registered model "x": run the register stage');
 * assert.ok(error instanceof UserError);
 * ```
 */
export class RegistryError extends UserError {
  override name = "RegistryError";
}
