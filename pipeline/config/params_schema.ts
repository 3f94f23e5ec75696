/**
 * The zod schema of `config/params.yaml`: the single source of truth for every
 * pipeline parameter. Each stage reads only its own section.
 *
 * @module
 */
import { z } from "zod";
import { MonitorParamsSchema } from "./monitor_params_schema.ts";
import { RegisterParamsSchema } from "./register_params_schema.ts";
import { ParameterGridSchema, SearchSchema } from "./search_space_schema.ts";

const unitInterval = z.number().min(0).max(1);
const foldId = z.number().int().min(1).max(10);

/** Parameters of the `validate` stage. */
export const ValidateParamsSchema = z.strictObject({
  /** Allowed absolute difference between a column's observed and expected missing rate. */
  missing_rate_tolerance: unitInterval.default(0.02),
  /** Missing rate expected for columns not listed in `expected_missing`. */
  default_expected_missing: unitInterval.default(0),
  /** Expected missing rate per column (the LEMAS block is ~84% missing). */
  expected_missing: z.record(z.string(), unitInterval).default({}),
  /** Largest number of exact duplicate rows tolerated. */
  max_duplicate_rows: z.number().int().min(0).default(0),
});

/** Parameters of the `preprocess` stage. */
export const PreprocessParamsSchema = z.strictObject({
  /** drop: drop mostly-missing columns; impute: fill with training-fold medians; indicators: impute and add 0/1 missing flags. */
  missing_strategy: z.enum(["drop", "impute", "indicators"]).default("impute"),
  /** Columns missing in more than this share of rows count as mostly missing. */
  mostly_missing_threshold: unitInterval.default(0.5),
  /** Robust z-score above which a value is reported as an outlier. */
  outlier_z: z.number().positive().default(6),
});

/** Parameters of the `features` stage. */
export const FeaturesParamsSchema = z.strictObject({
  /** Feature groups to keep (see pipeline/data/feature_groups.ts). */
  groups: z.array(z.string()).min(1),
  /** Drop one feature of each pair whose absolute Pearson correlation exceeds this. */
  correlation_threshold: z.number().gt(0).max(1).default(0.98),
  /** Pairs of features whose product is added as an interaction feature. */
  interactions: z.array(z.tuple([z.string(), z.string()])).default([]),
});

/** Parameters of the `split` stage. */
export const SplitParamsSchema = z.strictObject({
  /** The data set's own folds used for cross-validation. */
  cv_folds: z.array(foldId).min(2).default([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  /** The fold held out for the final estimate of the selected model. */
  holdout_fold: foldId.default(10),
});

const paramValue = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]);

/**
 * One model family to cross-validate, with fixed params and optionally tuned by inner
 * cross-validation inside each training set: over a `grid`, or by a sequential `search`
 * (TPE or random, with pruning), not both.
 */
export const CandidateSchema = z.strictObject({
  /** Model family (see pipeline/models/families.ts). */
  family: z.string(),
  /** Fixed hyperparameters, validated by the family's own schema. */
  params: z.record(z.string(), paramValue).default({}),
  /** Values to try, every combination. */
  grid: ParameterGridSchema.optional(),
  /** A sequential search over ranges (config/search_space_schema.ts). */
  search: SearchSchema.optional(),
  /** Wall-clock budget of one inner search, in seconds. */
  tuning_budget_s: z.number().positive().default(60),
  /**
   * Fits averaged, with seeds `seed`, `seed + 1`, ... (`models/ensemble/seed_bag.ts`):
   * lowers a randomised family's seed variance; 1 or absent: a single fit.
   */
  seeds: z.number().int().min(1).max(16).optional(),
}).refine((c) => !(c.grid && c.search), {
  message: "give either grid or search, not both",
  path: ["search"],
});

/** Conformal prediction intervals, calibrated on the out-of-fold residuals. */
export const IntervalParamsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Nominal coverage of an interval. */
  level: z.number().gt(0).lt(1).default(0.9),
  /** absolute: a constant half-width; normalised: scaled by a spread fitted on |residual| vs prediction. */
  method: z.enum(["absolute", "normalised"]).default("normalised"),
  /** Contract feature whose quantile band is the Mondrian group; null: one quantile for all rows. */
  group_by: z.string().nullable().default("racepctblack"),
  /** Number of quantile bands of `group_by`. */
  bands: z.number().int().min(2).max(10).default(4),
});

/** The second candidate: the selected configuration without the sensitive features. */
export const FairnessParamsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Feature groups (pipeline/data/feature_groups.ts) left out. */
  sensitive_groups: z.array(z.string()).default(["race_ethnicity"]),
  /** Further features left out as proxies of the sensitive ones. */
  proxies: z.array(z.string()).default([]),
  /** Bootstrap resamples of each confidence interval. */
  bootstrap_resamples: z.number().int().min(100).max(10000).default(1000),
  /** Groups with fewer rows are left out of the largest gap. */
  min_group_rows: z.number().int().min(1).default(20),
});

/**
 * Blend of the `top_k` candidates best on the development folds, scored on the same
 * folds with weights learned without the fold being predicted.
 */
export const EnsembleParamsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  top_k: z.number().int().min(2).default(3),
  /** nnls: non-negative weights fitted on the members' out-of-fold predictions; average: equal weights. */
  method: z.enum(["nnls", "average"]).default("nnls"),
  /** For nnls: pull toward equal weights (`models/ensemble/stacking_weights.ts`); 0: plain NNLS. */
  ridge: z.number().min(0).default(0),
});

/** Parsed ensemble parameters. */
export type EnsembleParams = z.infer<typeof EnsembleParamsSchema>;

/**
 * A random intercept per state on top of the selected model (`bundle/group_offsets.ts`),
 * learned from its out-of-fold residuals; null: none. The state's FIPS code becomes a
 * (nullable) input of the serving contract. Only `state` is offered: the data set's
 * county and community codes are numbered within their state and mostly missing.
 */
export const GroupOffsetParamsSchema = z.strictObject({
  feature: z.literal("state"),
});

/** Parsed group-offset parameters. */
export type GroupOffsetParams = z.infer<typeof GroupOffsetParamsSchema>;

/** Parameters of the `train` stage. */
export const TrainParamsSchema = z.strictObject({
  seed: z.number().int().min(0).default(42),
  /** The families to compare by cross-validation on the development folds; the best pooled RMSE is selected. */
  candidates: z.array(CandidateSchema).min(1),
  ensemble: EnsembleParamsSchema.default(EnsembleParamsSchema.parse({})),
  /** Name of the MLflow experiment the runs are logged to. */
  experiment: z.string().min(1).default("communities-crime"),
  /** Workers the cross-validations run on side by side (`training/cv_pool.ts`); 0: this thread. */
  workers: z.number().int().min(0).max(16).default(2),
  intervals: IntervalParamsSchema.default(IntervalParamsSchema.parse({})),
  fairness: FairnessParamsSchema.default(FairnessParamsSchema.parse({})),
  group_offsets: GroupOffsetParamsSchema.nullable().default(null),
});

/** Parameters of the `evaluate` stage. */
export const EvaluateParamsSchema = z.strictObject({
  /** Repetitions of each column shuffle in permutation importance. */
  permutation_repeats: z.number().int().min(1).max(50).default(5),
  /** Seed of the column shuffles, so that the importances are reproducible. */
  permutation_seed: z.number().int().default(42),
  /** Number of features shown in the importance plot. */
  top_features: z.number().int().min(1).default(20),
  /**
   * Groups (states) of fewer out-of-fold rows are left out of the error plots and the
   * worst-state figure: their RMSE is mostly noise.
   */
  min_group_rows: z.number().int().min(1).default(10),
});

/** All pipeline parameters, by stage. */
export const ParamsSchema = z.strictObject({
  validate: ValidateParamsSchema,
  preprocess: PreprocessParamsSchema,
  features: FeaturesParamsSchema,
  split: SplitParamsSchema,
  train: TrainParamsSchema,
  evaluate: EvaluateParamsSchema,
  register: RegisterParamsSchema.default(RegisterParamsSchema.parse({})),
  monitor: MonitorParamsSchema.default(MonitorParamsSchema.parse({})),
});

/** Parsed pipeline parameters. */
export type Params = z.infer<typeof ParamsSchema>;
/** Parsed `validate` parameters. */
export type ValidateParams = z.infer<typeof ValidateParamsSchema>;
/** Parsed `preprocess` parameters. */
export type PreprocessParams = z.infer<typeof PreprocessParamsSchema>;
/** Parsed `features` parameters. */
export type FeaturesParams = z.infer<typeof FeaturesParamsSchema>;
/** Parsed `split` parameters. */
export type SplitParams = z.infer<typeof SplitParamsSchema>;
/** Parsed `train` parameters. */
export type TrainParams = z.infer<typeof TrainParamsSchema>;
/** Parsed interval parameters. */
export type IntervalParams = z.infer<typeof IntervalParamsSchema>;
/** Parsed fairness-candidate parameters. */
export type FairnessParams = z.infer<typeof FairnessParamsSchema>;
/** One parsed training candidate. */
export type Candidate = z.infer<typeof CandidateSchema>;
/** Parsed `evaluate` parameters. */
export type EvaluateParams = z.infer<typeof EvaluateParamsSchema>;
