/**
 * The bundle's optional `groupOffsets` section: a random intercept per level of one
 * nominal contract feature (the US state), added to the model's prediction. It is the
 * second stage of a mixed model: the model explains what the features explain, and each
 * state's offset is the mean of its communities' out-of-fold residuals shrunk toward
 * zero (`pipeline/training/fit_group_offsets.ts`), which captures what is common to a
 * state's communities and absent from the features (state law, how its police record
 * and report crime). A row whose level is missing or unseen in training gets no offset.
 *
 * @module
 */
import { z } from "zod";

/** The `groupOffsets` section of a bundle. */
export const GroupOffsetsSchema = z.strictObject({
  /** The contract feature whose value is the row's level (a numeric code). */
  feature: z.string(),
  /** The levels seen in training, ascending. */
  levels: z.array(z.number()),
  /** Each level's offset: its residuals' sum over (its rows + `shrinkage`). */
  offsets: z.array(z.number()),
  /**
   * The residual variance over the variance of the levels' true offsets (estimated from
   * the same residuals): how many rows of a level weigh as much as the prior of no
   * offset. Null when the levels' offsets showed no variance, and every offset is 0.
   */
  shrinkage: z.number().min(0).nullable(),
}).refine((s) => s.levels.length === s.offsets.length, "one offset per level");

/** A bundle's group-offset section. */
export type GroupOffsets = z.infer<typeof GroupOffsetsSchema>;

const lookups = new WeakMap<GroupOffsets, ReadonlyMap<number, number>>();

/**
 * The offset of a row whose level is `value`: 0 when it is missing (NaN) or was not seen
 * in training.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { offsetOf } from "./group_offsets.ts";
 *
 * const section = { feature: "state", levels: [1, 6], offsets: [0.05, -0.02], shrinkage: 9.7 };
 * assert.deepEqual([1, 6, 2, NaN].map((v) => offsetOf(section, v)), [0.05, -0.02, 0, 0]);
 * ```
 */
export function offsetOf(section: GroupOffsets, value: number): number {
  let lookup = lookups.get(section);
  if (!lookup) {
    lookup = new Map(section.levels.map((level, k) => [level, section.offsets[k]]));
    lookups.set(section, lookup);
  }
  return lookup.get(value) ?? 0;
}
