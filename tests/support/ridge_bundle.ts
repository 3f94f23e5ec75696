/**
 * Small real model bundles for registry tests: a ridge model fitted on synthetic rows
 * of the full 122-feature contract, sealed with chosen metrics and provenance.
 *
 * @module
 */
import { sealBundle } from "../../pipeline/bundle/bundle_io.ts";
import type { ModelBundle } from "../../pipeline/bundle/bundle_schema.ts";
import { featureNames, parseCatalogue } from "../../pipeline/data/catalogue.ts";
import { fitPreprocessor, transform } from "../../pipeline/features/preprocessor.ts";
import { ridgeEstimator } from "../../pipeline/models/ridge.ts";
import { buildBundle } from "../../pipeline/training/build_bundle.ts";
import { linearTarget, uniformMatrix } from "./linear_data.ts";

const catalogue = parseCatalogue(
  await Deno.readTextFile(new URL("../../data/raw/communities.names", import.meta.url)),
);

/** The serving contract: the catalogue's 122 feature names, in file order. */
export const CONTRACT: readonly string[] = featureNames(catalogue);

/** Options of {@linkcode ridgeBundle}. */
export interface RidgeBundleOptions {
  readonly metrics: Record<string, number>;
  readonly dataHash?: string;
  readonly seed?: number;
}

/** A sealed bundle whose ridge model uses the first five contract features. */
export async function ridgeBundle(options: RidgeBundleOptions): Promise<ModelBundle> {
  const inputs = CONTRACT.slice(0, 5);
  const x = uniformMatrix(200, inputs.length, options.seed ?? 1);
  const y = linearTarget(x, [0.2, 0.1, 0.1, 0.05, 0.05], 0.1, 0.01);
  const preprocessor = fitPreprocessor(
    { inputFeatures: inputs, indicators: [], interactions: [] },
    x,
  );
  const model = ridgeEstimator.fit(transform(preprocessor, x), y, { alpha: 1 });
  const columns = new Map(inputs.map((name, j) => [
    name,
    Float64Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j]),
  ]));
  return await sealBundle(buildBundle({ preprocessor, model, params: {} }, {
    name: "communities-crime",
    family: "ridge",
    features: catalogue.filter((c) => CONTRACT.includes(c.name)),
    trainingColumns: columns,
    trainingPredictions: model.predict(transform(preprocessor, x)),
    metrics: options.metrics,
    provenance: {
      trainedAt: "2024-01-01T00:00:00.000Z",
      trainingRows: x.rows,
      gitCommit: "0123456",
      dataHash: options.dataHash ?? "a".repeat(64),
      paramsHash: "b".repeat(64),
    },
  }));
}
