/**
 * The zod schema of the `register` section of `config/params.yaml`: the registered
 * model's name, the promotion experiment, the promotion gates and the promotion lock.
 *
 * @module
 */
import { z } from "zod";

const positive = z.number().positive();

/** Thresholds a challenger must meet to become champion. */
export const GateThresholdsSchema = z.strictObject({
  /** Largest pooled cross-validated RMSE accepted. */
  max_cv_rmse: positive.default(0.16),
  /** Smallest pooled cross-validated R² accepted. */
  min_cv_r2: z.number().max(1).default(0.5),
  /** Largest RMSE of any single CV fold accepted. */
  max_fold_rmse: positive.default(0.2),
  /**
   * Largest gap between the racial-composition quartiles' out-of-fold RMSE accepted
   * (the bundle's `racial_quartile_rmse_gap`); null, the default, gates nothing.
   */
  max_group_gap: positive.nullable().default(null),
  /** How much lower than the champion's the challenger's CV RMSE must be. */
  min_improvement: z.number().min(0).default(0.001),
  /**
   * Range raw predictions on the held-out fold must stay in. The target is normalised to
   * [0, 1]; linear models overshoot a little at the extremes, hence the default margin.
   */
  prediction_range: z.tuple([z.number(), z.number()]).default([-0.1, 1.1])
    .refine(
      ([low, high]) => low < high,
      "prediction_range: the lower bound must be below the upper",
    ),
});

/** Parameters of the `register` stage and of the promotion command. */
export const RegisterParamsSchema = z.strictObject({
  /** Name of the registered model in the MLflow model registry. */
  model_name: z.string().min(1).default("communities-crime"),
  /** MLflow experiment that promotion runs are logged to. */
  experiment: z.string().min(1).default("communities-crime"),
  gates: GateThresholdsSchema.default(GateThresholdsSchema.parse({})),
  /**
   * Lease of the promotion lock, in seconds: a running promotion renews it every third
   * of this, so the lock of a killed one lapses within it.
   */
  lock_ttl_s: z.number().int().min(3).default(30),
});

/** Parsed `register` parameters. */
export type RegisterParams = z.infer<typeof RegisterParamsSchema>;
/** Parsed promotion gate thresholds. */
export type GateThresholds = z.infer<typeof GateThresholdsSchema>;
