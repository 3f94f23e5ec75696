/**
 * Hyperparameters of the gradient-boosted trees regressor. The schema is the single
 * source of truth for their names, ranges and defaults.
 *
 * @module
 */
import { z } from "zod";

/**
 * Validates gradient-boosting hyperparameters and fills in defaults.
 *
 * Defaults were chosen by 10-fold cross-validation on the crime data: many shallow
 * trees, each on a small random subset of the strongly correlated features.
 * Early stopping is active only when both `earlyStoppingRounds` and
 * `validationFraction` are positive; then `validationFraction` of the training rows
 * are held out and the model keeps its best iteration on them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GbmParamsSchema } from "./gbm_params.ts";
 *
 * const params = GbmParamsSchema.parse({ nEstimators: 200, maxDepth: 3 });
 * assert.equal(params.learningRate, 0.02); // a default filled in
 * assert.throws(() => GbmParamsSchema.parse({ maxDepth: 0 })); // out of range
 * assert.throws(() => GbmParamsSchema.parse({ nTrees: 200 })); // an unknown key
 * ```
 */
export const GbmParamsSchema = z.strictObject({
  /** Number of boosting rounds (trees). */
  nEstimators: z.number().int().min(1).max(100_000).default(800),
  /** Shrinkage applied to every tree's leaf values. */
  learningRate: z.number().gt(0).max(1).default(0.02),
  /** Maximum depth of each tree; a depth-1 tree is a stump. */
  maxDepth: z.number().int().min(1).max(16).default(4),
  /** Minimum number of training rows in every leaf. */
  minSamplesLeaf: z.number().int().min(1).default(20),
  /** L2 penalty on leaf values, in units of rows. */
  lambda: z.number().min(0).default(1),
  /** Fraction of the training rows drawn, without replacement, for each tree. */
  subsample: z.number().gt(0).max(1).default(0.7),
  /** Fraction of the features drawn for each tree. */
  colsampleByTree: z.number().gt(0).max(1).default(0.1),
  /** Maximum number of value bins per feature (missing values get their own bin). */
  maxBins: z.number().int().min(2).max(65_535).default(256),
  /** Stop after this many rounds without improvement on the validation rows; 0 disables. */
  earlyStoppingRounds: z.number().int().min(0).default(0),
  /** Fraction of the training rows held out for early stopping; 0 disables. */
  validationFraction: z.number().min(0).lt(1).default(0.1),
});

/** Validated gradient-boosting hyperparameters, with defaults filled in. */
export type GbmParams = z.infer<typeof GbmParamsSchema>;
