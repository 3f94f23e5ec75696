/**
 * Assembles the model bundle from a fitted candidate: the serving contract (all
 * predictive features, and the group offsets' level feature when there are offsets), the
 * fitted preprocessor and model, reference statistics of the training inputs and
 * predictions, metrics and provenance.
 *
 * @module
 */
import type { UnsealedBundle } from "../bundle/bundle_io.ts";
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type FeatureSpec,
  type ModelBundle,
} from "../bundle/bundle_schema.ts";
import type { GroupOffsets } from "../bundle/group_offsets.ts";
import type { BundleIntervals } from "../bundle/prediction_intervals.ts";
import { referenceStats } from "../bundle/reference_stats.ts";
import { explanationSection } from "../bundle/bundle_explainer.ts";
import { matrix } from "../core/matrix.ts";
import type { ColumnInfo } from "../data/catalogue.ts";
import { TARGET } from "../data/catalogue.ts";
import { groupOf } from "../data/feature_groups.ts";
import { FIPS_RANGE } from "../data/us_states.ts";
import type { FittedCandidate } from "./cross_validate.ts";

/** What the bundle needs besides the fitted candidate. */
export interface BundleInputs {
  readonly name: string;
  readonly family: string;
  /** Catalogue entries of every predictive feature, in contract order. */
  readonly features: readonly ColumnInfo[];
  /** Training values per feature (NaN = missing); features absent here are unused. */
  readonly trainingColumns: ReadonlyMap<string, Float64Array>;
  /** In-sample predictions of the final model on its training rows. */
  readonly trainingPredictions: Float64Array;
  readonly metrics: Record<string, number>;
  readonly provenance: ModelBundle["provenance"];
  /** Calibrated prediction intervals, when training made them. */
  readonly intervals?: BundleIntervals;
  /** Group offsets, with the training rows' levels, when training made them. */
  readonly offsets?: { readonly section: GroupOffsets; readonly codes: Float64Array };
}

/** Builds the unsealed bundle (seal it with `sealBundle`). */
export function buildBundle(fitted: FittedCandidate, inputs: BundleInputs): UnsealedBundle {
  const offsets = inputs.offsets;
  const features: FeatureSpec[] = inputs.features.map((c) => {
    // The offsets' level: a state's FIPS code, null for a row whose state is not given.
    if (c.name === offsets?.section.feature) {
      return {
        name: c.name,
        description: c.description,
        group: "geography",
        ...FIPS_RANGE,
        nullable: true,
      };
    }
    const values = inputs.trainingColumns.get(c.name);
    return {
      name: c.name,
      description: c.description,
      group: groupOf(c.name) ?? "other",
      min: 0,
      max: 1,
      // Unused features (dropped in preprocessing) may be null; used ones only when the
      // training data had gaps there, since only then was an imputation value learned.
      nullable: values === undefined || values.some(Number.isNaN),
    };
  });
  // Every contract feature, used by the model or not: drift in any of them is news.
  const reference = Object.fromEntries(
    inputs.features.flatMap((c) => {
      if (c.name === offsets?.section.feature) {
        const { min, max } = FIPS_RANGE;
        return [[c.name, referenceStats(offsets.codes, min, max, max - min + 1)]];
      }
      const values = inputs.trainingColumns.get(c.name);
      return values ? [[c.name, referenceStats(values)]] : [];
    }),
  );
  // The training rows' model inputs, raw, for the explanation section.
  const columns = fitted.preprocessor.inputFeatures.map((name) => {
    const values = inputs.trainingColumns.get(name);
    if (!values) throw new RangeError(`no training values of model input "${name}"`);
    return values;
  });
  const rows = columns[0]?.length ?? 0;
  const raw = matrix(rows, columns.length);
  columns.forEach((values, j) => values.forEach((v, i) => raw.data[i * columns.length + j] = v));
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    name: inputs.name,
    family: inputs.family,
    target: TARGET,
    features,
    preprocessor: {
      inputFeatures: [...fitted.preprocessor.inputFeatures],
      indicators: [...fitted.preprocessor.indicators],
      interactions: fitted.preprocessor.interactions.map(([a, b]) => [a, b] as [string, string]),
      fill: [...fitted.preprocessor.fill],
      outputNames: [...fitted.preprocessor.outputNames],
    },
    model: fitted.model.serialize(),
    reference: { features: reference, prediction: referenceStats(inputs.trainingPredictions) },
    metrics: inputs.metrics,
    explanation: explanationSection(fitted.preprocessor, raw),
    provenance: inputs.provenance,
    ...(inputs.intervals ? { intervals: inputs.intervals } : {}),
    ...(offsets ? { groupOffsets: offsets.section } : {}),
  };
}
