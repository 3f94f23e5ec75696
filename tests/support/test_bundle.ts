/**
 * Real model bundles for serving, bundle and registry tests: a ridge model fitted on
 * synthetic rows of the full 122-feature contract, with gaps in some training columns so
 * that those features are nullable and imputed. Run as a script, it writes one bundle to
 * the given path.
 *
 * @module
 */
import { dirname } from "node:path";
import { sealBundle } from "../../pipeline/bundle/bundle_io.ts";
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import { featureNames, parseCatalogue } from "../../pipeline/data/catalogue.ts";
import { fitPreprocessor, transform } from "../../pipeline/features/preprocessor.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import { ridgeEstimator } from "../../pipeline/models/ridge/ridge.ts";
import { buildBundle } from "../../pipeline/training/build_bundle.ts";
import { calibrateIntervals, quantileCuts } from "../../pipeline/intervals/calibrate_intervals.ts";
import { linearTarget, uniformMatrix } from "./linear_data.ts";

const catalogue = parseCatalogue(
  await Deno.readTextFile(new URL("../../data/raw/communities.names", import.meta.url)),
);

/** The serving contract: the catalogue's 122 feature names, in file order. */
export const CONTRACT: readonly string[] = featureNames(catalogue);

/** Options of {@linkcode testBundle}. */
export interface TestBundleOptions {
  /** Varies the training rows, hence the coefficients and the checksum. */
  readonly seed?: number;
  /** Added to every training target, to make two bundles' predictions tell apart. */
  readonly shift?: number;
  readonly name?: string;
  /**
   * How many leading contract features the model uses: {@linkcode TEST_INPUTS} unless
   * given, and at least {@linkcode TEST_GAPPY}. Fewer keep predictions on uniform random
   * rows well inside [0, 1], as the registry's holdout prediction gate requires; with
   * all 20, a few overshoot its default upper bound of 1.1.
   */
  readonly inputs?: number;
  /** The cross-validation metrics that registry gates and model cards read. */
  readonly metrics?: Record<string, number>;
  /** The training data's hash, which registry gates compare between versions. */
  readonly dataHash?: string;
  /**
   * Whether the bundle carries prediction intervals (true unless false): normalised,
   * per quartile of `racepctblack`, calibrated on 300 fresh rows of the same distribution.
   */
  readonly intervals?: boolean;
  /**
   * Whether the bundle carries state offsets (false unless true): {@linkcode TEST_OFFSETS},
   * with `state` (nullable, FIPS codes 1-56) first in the contract, as training writes it.
   */
  readonly stateOffsets?: boolean;
}

/** The test bundle's state offsets: California +0.1, Texas -0.05, with shrinkage 10. */
export const TEST_OFFSETS = {
  feature: "state",
  levels: [6, 48],
  offsets: [0.1, -0.05],
  shrinkage: 10,
};

/** The level of the test bundle's intervals. */
export const TEST_INTERVAL_LEVEL = 0.9;

/** How many contract features the test model uses, and how many of those had gaps. */
export const TEST_INPUTS = 20;
/** Used features with missing training values: nullable, imputed, with indicators. */
export const TEST_GAPPY = 3;

/**
 * A sealed bundle: ridge on the first {@linkcode TEST_INPUTS} (or `inputs`) contract
 * features, the first {@linkcode TEST_GAPPY} of which had missing values in training.
 *
 * @example
 * ```ts
 * const bundle = await testBundle({ seed: 2 });
 * ```
 */
export async function testBundle(options: TestBundleOptions = {}): Promise<ModelBundle> {
  const seed = options.seed ?? 1;
  const inputs = CONTRACT.slice(0, options.inputs ?? TEST_INPUTS);
  const x = uniformMatrix(300, inputs.length, seed);
  const weights = inputs.map((_, j) => (j % 4 === 0 ? 0.3 : 0.05) / (1 + j / 10));
  const y = linearTarget(x, weights, 0.05 + (options.shift ?? 0), 0.02, seed + 1)
    .map((v) => Math.min(1, Math.max(0, v)));
  const rng = seededRandom(seed + 2);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < TEST_GAPPY; j++) {
      if (rng.next() < 0.1) x.data[i * x.cols + j] = NaN;
    }
  }
  const preprocessor = fitPreprocessor({
    inputFeatures: inputs,
    indicators: inputs.slice(0, TEST_GAPPY),
    interactions: [],
  }, x);
  const model = ridgeEstimator.fit(transform(preprocessor, x), y, { alpha: 0.5 });
  const columns = new Map(inputs.map((name, j) => [
    name,
    Float64Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j]),
  ]));
  const intervals = options.intervals === false ? undefined : (() => {
    // Split conformal on fresh rows: the test model has no out-of-fold residuals.
    const fresh = uniformMatrix(300, inputs.length, seed + 10);
    const actual = linearTarget(fresh, weights, 0.05 + (options.shift ?? 0), 0.02, seed + 11)
      .map((v) => Math.min(1, Math.max(0, v)));
    const group = inputs.indexOf("racepctblack");
    const groupValues = Float64Array.from(
      { length: fresh.rows },
      (_, i) => fresh.data[i * fresh.cols + group],
    );
    return calibrateIntervals(
      { actual, predicted: model.predict(transform(preprocessor, fresh)), groupValues },
      {
        method: "normalised",
        level: TEST_INTERVAL_LEVEL,
        calibration: "split-synthetic",
        grouping: { feature: "racepctblack", cuts: quantileCuts(groupValues, 4) },
        range: [0, 1],
      },
    );
  })();
  return await sealBundle(buildBundle({ preprocessor, model, params: { alpha: 0.5 } }, {
    intervals,
    name: options.name ?? "communities-crime",
    family: "ridge",
    features: catalogue.filter((c) =>
      c.role === "feature" || (options.stateOffsets && c.name === TEST_OFFSETS.feature)
    ),
    trainingColumns: columns,
    trainingPredictions: model.predict(transform(preprocessor, x)),
    ...(options.stateOffsets
      ? {
        offsets: {
          section: TEST_OFFSETS,
          codes: Float64Array.from({ length: x.rows }, (_, i) => [6, 48, 36][i % 3]),
        },
      }
      : {}),
    metrics: options.metrics ?? { cv_rmse: 0.02, cv_r2: 0.9 },
    provenance: {
      trainedAt: "2024-01-01T00:00:00.000Z",
      trainingRows: x.rows,
      gitCommit: "0123456",
      dataHash: options.dataHash ?? "a".repeat(64),
      paramsHash: "b".repeat(64),
    },
  }));
}

/**
 * A valid request row for `bundle`: uniform values on each feature's range (hundredths
 * of [0, 1]; whole numbers of a wider range, as a state's FIPS code), and null for every
 * `nullEvery`-th nullable feature (none when 0).
 */
export function randomRow(
  bundle: ModelBundle,
  seed: number,
  nullEvery = 0,
): Record<string, number | null> {
  const rng = seededRandom(seed);
  let nullable = 0;
  return Object.fromEntries(bundle.features.map((f) => {
    const u = rng.next();
    const value = f.max - f.min > 1
      ? Math.round(f.min + u * (f.max - f.min))
      : f.min + Math.round(u * 100) / 100 * (f.max - f.min);
    if (f.nullable && nullEvery > 0 && nullable++ % nullEvery === 0) return [f.name, null];
    return [f.name, value];
  }));
}

/** Writes `bundle` as JSON to `path`, creating its directory. */
export async function writeBundle(path: string, bundle: ModelBundle): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(bundle));
}

if (import.meta.main) {
  const path = Deno.args[0];
  if (!path) {
    console.error("usage: test_bundle.ts <output.json>");
    Deno.exit(2);
  }
  await writeBundle(path, await testBundle());
  console.error(`wrote a test bundle to ${path}`);
}
