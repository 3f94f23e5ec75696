/**
 * A bundle made ready to serve: its predictor, the fast row check, the request schemas,
 * and a reference row. Building one runs a test prediction on the reference row, so a
 * bundle that cannot predict is rejected before it replaces the model being served.
 *
 * @module
 */
import { matrix } from "../../pipeline/core/matrix.ts";
import { createPredictor } from "../../pipeline/bundle/bundle_predictor.ts";
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import { clipPredictions } from "../../pipeline/bundle/prediction_range.ts";
import { type Bounds, predictionBounds } from "../../pipeline/bundle/prediction_intervals.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { type InputSchemas, inputSchemas } from "../contract/input_schemas.ts";
import type { FetchedBundle, ModelIdentity } from "./model_source.ts";
import { compileRowPacker, type RowPacker } from "../contract/row_packer.ts";
import { type BatchReader, compileBatchReader } from "../contract/batch_reader.ts";
import {
  DEFAULT_DRIFT_SETTINGS,
  DriftMonitor,
  type DriftSettings,
} from "../monitoring/drift_monitor.ts";

/** A feature row as sent in a request body. */
export type FeatureRow = Record<string, number | null>;

/** A loaded model, ready to answer requests. */
export interface ServedModel {
  readonly identity: ModelIdentity;
  readonly bundle: ModelBundle;
  /** Number of features in a row (the bundle's contract). */
  readonly featureCount: number;
  readonly schemas: InputSchemas;
  readonly packRow: RowPacker;
  /** Reads a plain valid batch body from its bytes into packed rows (else `undefined`). */
  readonly readBatch: BatchReader;
  /**
   * A valid row of typical values: the training median of every feature the model uses,
   * null for nullable features it ignores.
   */
  readonly referenceRow: FeatureRow;
  /** ISO time the model was built. */
  readonly loadedAt: string;
  /** Drift and data quality of the rows this model predicted (a new model starts afresh). */
  readonly monitor: DriftMonitor;
  /** Predicts `rows` packed rows of `x`, each clipped to the target's range, [0, 1]. */
  predict(x: Float64Array, rows: number): Float64Array;
  /**
   * Checks one request row and predicts it, or returns `undefined` if the row breaks the
   * feature schema.
   */
  predictRow(row: unknown): Float64Array | undefined;
  /**
   * The prediction interval of each prediction `y` of the packed rows `x` (grouped by the
   * row's own value of the bundle's grouping feature), or undefined when the bundle has
   * no intervals.
   */
  bounds(x: Float64Array, rows: number, y: Float64Array): Bounds | undefined;
}

/** Options of {@linkcode createServedModel}. */
export interface ServedModelOptions {
  readonly maxBatchRows: number;
  readonly drift?: DriftSettings;
  readonly now?: () => Date;
}

/**
 * Builds a served model and checks it with a test prediction; throws with the reason
 * if the bundle's model cannot be loaded or does not predict a finite value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileSource } from "./model_source_file.ts";
 * import { createServedModel } from "./served_model.ts";
 *
 * const fetched = await fileSource("examples/model_bundle.json").fetch();
 * const model = fetched && createServedModel(fetched, { maxBatchRows: 1000 });
 * assert.equal(model?.featureCount, fetched?.bundle.features.length);
 * ```
 */
export function createServedModel(
  fetched: FetchedBundle,
  options: ServedModelOptions,
): ServedModel {
  const { bundle, identity } = fetched;
  const label = `model ${identity.name} version ${identity.version}`;
  let predictor;
  try {
    predictor = createPredictor(bundle, loadModel);
  } catch (error) {
    throw new Error(`${label}: cannot load the model: ${(error as Error).message}`);
  }
  const featureCount = bundle.features.length;
  const packRow = compileRowPacker(bundle.features);
  const referenceRow = buildReferenceRow(bundle);
  // The packed request row, reused: packing and predicting are synchronous and keep
  // nothing, and each fresh typed array is a backing store for the GC to sweep.
  const requestRow = new Float64Array(featureCount);
  const grouping = bundle.intervals?.grouping?.feature;
  const groupColumn = grouping === undefined
    ? -1
    : bundle.features.findIndex((f) => f.name === grouping);
  if (grouping !== undefined && groupColumn < 0) {
    throw new Error(
      `${label}: the intervals' grouping feature "${grouping}" is not in the contract`,
    );
  }
  const monitor = new DriftMonitor(bundle, options.drift ?? DEFAULT_DRIFT_SETTINGS);
  const model: ServedModel = {
    identity,
    bundle,
    featureCount,
    schemas: inputSchemas(bundle.features, options.maxBatchRows),
    packRow,
    readBatch: compileBatchReader(bundle.features, options.maxBatchRows),
    referenceRow,
    loadedAt: (options.now ?? (() => new Date()))().toISOString(),
    monitor,
    predict(x: Float64Array, rows: number): Float64Array {
      const y = clipPredictions(predictor.predict(matrix(rows, featureCount, x)), label);
      monitor.observe(x, rows, y);
      return y;
    },
    predictRow(row: unknown): Float64Array | undefined {
      return packRow(row, requestRow, 0) ? model.predict(requestRow, 1) : undefined;
    },
    bounds(x: Float64Array, rows: number, y: Float64Array): Bounds | undefined {
      const intervals = bundle.intervals;
      if (!intervals) return undefined;
      if (groupColumn < 0) return predictionBounds(intervals, y);
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) values[i] = x[i * featureCount + groupColumn];
      return predictionBounds(intervals, y, values);
    },
  };
  const packed = new Float64Array(featureCount);
  if (!packRow(referenceRow, packed, 0)) {
    throw new Error(`${label}: the reference row does not satisfy the bundle's feature schema`);
  }
  let check: number;
  try {
    check = predictor.predict(matrix(1, featureCount, packed))[0];
  } catch (error) {
    throw new Error(`${label}: the test prediction failed: ${(error as Error).message}`);
  }
  if (!Number.isFinite(check)) {
    throw new Error(`${label}: the test prediction on the reference row is ${check}`);
  }
  return model;
}

function buildReferenceRow(bundle: ModelBundle): FeatureRow {
  const fill = new Map(bundle.preprocessor.inputFeatures.map((name, j) => [
    name,
    bundle.preprocessor.fill[j],
  ]));
  return Object.fromEntries(bundle.features.map((f) => {
    const median = fill.get(f.name);
    if (median !== undefined) return [f.name, Math.min(f.max, Math.max(f.min, median))];
    return [f.name, f.nullable ? null : (f.min + f.max) / 2];
  }));
}
