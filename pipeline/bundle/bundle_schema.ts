/**
 * The model bundle: everything needed to turn one community's raw features into a
 * prediction, as one JSON document (preprocessing fitted on training rows, the model,
 * the input schema, reference statistics for drift checks, metrics and a checksum).
 * Reading it needs no native addon, so the server and a compiled binary can load it.
 *
 * @module
 */
import { z } from "zod";
import { GroupOffsetsSchema } from "./group_offsets.ts";
import { BundleIntervalsSchema } from "./prediction_intervals.ts";

/** The identifier written in every bundle's `format` field. */
export const BUNDLE_FORMAT = "communities-crime-model-bundle";
/** The bundle layout version this code reads and writes. */
export const BUNDLE_FORMAT_VERSION = 1;

/** One raw input feature of the serving contract. */
export const FeatureSpecSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  group: z.string(),
  min: z.number(),
  max: z.number(),
  /** True when training rows had missing values here: then null is accepted and imputed. */
  nullable: z.boolean(),
});

/** A histogram with fixed bin edges, for drift checks (`reference_stats.ts`). */
export const HistogramSchema = z.strictObject({
  edges: z.array(z.number()).min(2),
  counts: z.array(z.number().int().min(0)),
}).refine((h) => h.counts.length === h.edges.length - 1, "one count per pair of edges");

/** Summary statistics of one variable on the training rows. */
export const ReferenceStatsSchema = z.strictObject({
  count: z.number().int().min(0),
  missingRate: z.number().min(0).max(1),
  mean: z.number(),
  std: z.number().min(0),
  min: z.number(),
  max: z.number(),
  histogram: HistogramSchema,
});

/**
 * What explanations need from the training rows, in model-input space (the columns of
 * `preprocessor.outputNames`): each input's training mean (linear models are centred on
 * it) and a fixed sample of preprocessed training rows (the neural network's
 * background). Bundles written before explanations have none and cannot be explained.
 */
export const ExplanationSectionSchema = z.strictObject({
  inputMean: z.array(z.number()),
  background: z.array(z.array(z.number())).min(1),
});

/** Where the bundle came from. */
export const ProvenanceSchema = z.strictObject({
  trainedAt: z.string(),
  trainingRows: z.number().int().positive(),
  gitCommit: z.string(),
  dataHash: z.string(),
  paramsHash: z.string(),
  mlflowRunId: z.string().optional(),
});

/** The bundle document. */
export const ModelBundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  name: z.string(),
  family: z.string(),
  target: z.string(),
  features: z.array(FeatureSpecSchema).min(1),
  preprocessor: z.strictObject({
    inputFeatures: z.array(z.string()),
    indicators: z.array(z.string()),
    interactions: z.array(z.tuple([z.string(), z.string()])),
    fill: z.array(z.number()),
    outputNames: z.array(z.string()),
  }),
  model: z.strictObject({
    family: z.string(),
    formatVersion: z.number().int(),
    state: z.unknown(),
  }),
  reference: z.strictObject({
    features: z.record(z.string(), ReferenceStatsSchema),
    prediction: ReferenceStatsSchema,
  }),
  metrics: z.record(z.string(), z.number()),
  explanation: ExplanationSectionSchema.optional(),
  provenance: ProvenanceSchema,
  /**
   * What prediction intervals need (`prediction_intervals.ts`). Optional: bundles from
   * before intervals, and any trained with them switched off, load and predict as before.
   */
  intervals: BundleIntervalsSchema.optional(),
  /**
   * A random intercept per level of one contract feature, added to the model's prediction
   * (`group_offsets.ts`). Optional: bundles without it predict by the model alone.
   */
  groupOffsets: GroupOffsetsSchema.optional(),
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A parsed model bundle. */
export type ModelBundle = z.infer<typeof ModelBundleSchema>;
/** One input feature of the serving contract. */
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;
/** Where a model's inputs came from: the commit and the hashes of the data and params. */
export type SourceProvenance = Pick<
  z.infer<typeof ProvenanceSchema>,
  "gitCommit" | "dataHash" | "paramsHash"
>;
/** The bundle's explanation data. */
export type ExplanationSection = z.infer<typeof ExplanationSectionSchema>;
/** A histogram of the reference statistics. */
export type Histogram = z.infer<typeof HistogramSchema>;
/** Reference statistics of one variable. */
export type ReferenceStats = z.infer<typeof ReferenceStatsSchema>;
