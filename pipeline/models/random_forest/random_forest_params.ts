/**
 * Hyperparameters of the random forest. The schema is the single source of truth for
 * their names, ranges and defaults; the names follow scikit-learn's
 * `RandomForestRegressor` where the meaning is the same.
 *
 * @module
 */
import { z } from "zod";

/**
 * Validates random forest hyperparameters and fills in defaults.
 *
 * `maxFeatures` is a share of the features, floored to a count (at least one) as
 * scikit-learn does with a float: each split draws that many features afresh.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RandomForestParamsSchema } from "./random_forest_params.ts";
 *
 * const params = RandomForestParamsSchema.parse({ nEstimators: 50 });
 * assert.equal(params.bootstrap, true); // a default filled in
 * assert.equal(params.maxDepth, undefined); // unbounded unless set
 * assert.throws(() => RandomForestParamsSchema.parse({ maxFeatures: 0 })); // out of range
 * assert.throws(() => RandomForestParamsSchema.parse({ trees: 50 })); // an unknown key
 * ```
 */
export const RandomForestParamsSchema = z.strictObject({
  /** Number of trees. */
  nEstimators: z.number().int().min(1).max(100_000).default(300),
  /** Share of the features drawn at every split, in (0, 1]. */
  maxFeatures: z.number().gt(0).max(1).default(0.33),
  /** Deepest split level; unbounded when absent. */
  maxDepth: z.number().int().min(1).optional(),
  /** Minimum number of distinct training rows in every leaf (bootstrap copies count once). */
  minSamplesLeaf: z.number().int().min(1).default(1),
  /** Draw each tree's rows with replacement (as many draws as rows); else every row once. */
  bootstrap: z.boolean().default(true),
  /** Maximum number of value bins per feature (missing values get their own bin). */
  maxBins: z.number().int().min(2).max(1000).default(256),
});

/** Random forest hyperparameters as accepted by `fit` (defaults not yet filled in). */
export type RandomForestParams = z.input<typeof RandomForestParamsSchema>;
