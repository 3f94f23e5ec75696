/**
 * Loads any serialised model by its family. Loaders are plain TypeScript with no native
 * addon and no training library, so the server and a compiled binary can use them.
 *
 * @module
 */
import { familyOf } from "./families.ts";
import type { Regressor, SerializedModel } from "./regressor.ts";

/**
 * Restores a fitted model from its serialised form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const model = loadModel({ family: "mean", formatVersion: 1, state: { value: 0.2 } });
 * assert.equal(model.family, "mean");
 * ```
 */
export function loadModel(model: SerializedModel): Regressor {
  return familyOf(model.family).load(model, loadModel);
}
