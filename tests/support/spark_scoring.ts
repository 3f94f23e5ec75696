/**
 * Scoring a table with the registered model on local Spark (`bench/spark_score.py`,
 * through `mlflow.pyfunc.spark_udf`), from a fresh tracking server to the figures, with
 * the answers checked twice: every row against the model's predictor fed directly (in
 * Python), and the first rows against the project's predictor in this process.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { createPredictor } from "../../pipeline/bundle/bundle_predictor.ts";
import { openBundle } from "../../pipeline/bundle/bundle_io.ts";
import { clipPredictions } from "../../pipeline/bundle/prediction_range.ts";
import { matrix } from "../../pipeline/core/matrix.ts";
import { loadModel } from "../../pipeline/models/load_model.ts";
import { startTestServer } from "./mlflow_server.ts";
import { registerPyfuncModel } from "./pyfunc_model.ts";

/** The figures `spark_score.py` prints, and the in-process check of its sample. */
export interface SparkScore {
  readonly rows: number;
  readonly partitions: number;
  /** The UDF scoring every row, predictions written to parquet. */
  readonly scoreSeconds: number;
  readonly rowsPerSecond: number;
  /** The same rows through the model's predictor process alone. */
  readonly directSeconds: number;
  /** Rows whose Spark prediction differs from the direct one (bit for bit). */
  readonly mismatches: number;
  readonly missingValues: number;
  /** Sample rows checked against `createPredictor` here, and how many differ. */
  readonly sampleRows: number;
  readonly sampleMismatches: number;
}

/** Options of {@linkcode sparkScore}. */
export interface SparkScoreOptions {
  readonly bundlePath: string;
  readonly rows: number;
  readonly partitions?: number;
}

/**
 * Registers the bundle on a throwaway server, scores `rows` generated rows with Spark,
 * and returns the figures; throws with the script's stderr if it fails.
 *
 * @example
 * ```ts ignore
 * const score = await sparkScore({ bundlePath: "examples/model_bundle.json", rows: 20_000 });
 * ```
 */
export async function sparkScore(options: SparkScoreOptions): Promise<SparkScore> {
  const bundle = await openBundle(await Deno.readTextFile(options.bundlePath), options.bundlePath);
  const server = await startTestServer();
  const scratch = await Deno.makeTempDir({ prefix: "spark_score_" });
  try {
    const name = "crime-spark";
    await registerPyfuncModel(server.client, {
      name,
      bundle,
      bundlePath: options.bundlePath,
      alias: "champion",
    });
    const samplePath = join(scratch, "sample.json");
    const output = await new Deno.Command(resolve(".venv/bin/python"), {
      args: [
        "bench/spark_score.py",
        "--model-uri",
        `models:/${name}@champion`,
        "--rows",
        String(options.rows),
        "--partitions",
        String(options.partitions ?? 2),
        "--sample",
        samplePath,
      ],
      env: {
        MLFLOW_TRACKING_URI: server.uri,
        CRIME_DENO: Deno.execPath(),
        // Spark's Python workers are the virtualenv's Python.
        PYSPARK_PYTHON: resolve(".venv/bin/python"),
        NO_COLOR: "1",
      },
      stdin: "null",
    }).output();
    if (!output.success) {
      const stderr = new TextDecoder().decode(output.stderr);
      throw new Error(`spark_score.py failed:\n${stderr.slice(-4000)}`);
    }
    const stdout = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!;
    const figures = JSON.parse(stdout);
    const sample = JSON.parse(await Deno.readTextFile(samplePath)) as {
      columns: string[];
      data: (number | null)[][];
      predictions: number[];
    };
    const names = bundle.features.map((f) => f.name);
    if (sample.columns.join() !== names.join()) throw new Error("sample columns differ");
    const x = Float64Array.from(sample.data.flat(), (v) => v ?? NaN);
    const expected = clipPredictions(
      createPredictor(bundle, loadModel).predict(matrix(sample.data.length, names.length, x)),
      "expected",
    );
    const sampleMismatches = sample.predictions.filter((p, i) => p !== expected[i]).length;
    return { ...figures, sampleRows: sample.data.length, sampleMismatches };
  } finally {
    await Deno.remove(scratch, { recursive: true });
    await server.stop();
  }
}
