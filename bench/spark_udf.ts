/**
 * Scoring a table with the registered model on local Spark through
 * `mlflow.pyfunc.spark_udf`: a fresh tracking server, the bundle logged and registered as
 * the register stage does it, then `bench/spark_score.py` scores generated rows (10% nulls
 * in each nullable feature) and prints the throughput; every answer is compared with the
 * model's predictor fed directly, and the first 1000 with the project's predictor here.
 *
 * Usage: `deno run -A bench/spark_udf.ts [--rows 1000000] [--partitions 2]
 * [--bundle examples/model_bundle.json]` (needs Java 17 and the virtualenv's pyspark).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { sparkScore } from "../tests/support/spark_scoring.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rows: { type: "string", default: "1000000" },
    partitions: { type: "string", default: "2" },
    bundle: { type: "string", default: "examples/model_bundle.json" },
  },
  strict: true,
});
const score = await sparkScore({
  bundlePath: values.bundle!,
  rows: Number(values.rows),
  partitions: Number(values.partitions),
});
console.log(`bundle ${values.bundle}, ${score.rows} rows, local[${score.partitions}] Spark`);
console.log(
  `spark_udf: ${score.scoreSeconds.toFixed(1)} s, ${Math.round(score.rowsPerSecond)} rows/s ` +
    `(scoring and writing the predictions)`,
);
console.log(
  `the model's predictor fed directly: ${score.directSeconds.toFixed(1)} s, ` +
    `${Math.round(score.rows / score.directSeconds)} rows/s`,
);
console.log(
  `answers differing from the direct predictor: ${score.mismatches} of ${score.rows}; ` +
    `from createPredictor (first ${score.sampleRows}): ${score.sampleMismatches}; ` +
    `missing values scored: ${score.missingValues}`,
);
if (score.mismatches > 0 || score.sampleMismatches > 0) Deno.exit(1);
