/**
 * `mlflow.pyfunc.spark_udf` on real local Spark (pyspark 4.3, Java 17) scores a table with
 * the registered model, and every answer is the project's predictor's: the bench's scorer
 * (`bench/spark_score.py`) at CI size.
 */
import assert from "node:assert/strict";
import { sparkScore } from "../support/spark_scoring.ts";

const JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java";
const noJava = await Deno.stat(JAVA).then(() => false, () => true);

Deno.test({
  name: `spark_udf scores a table as the project's predictor does${
    noJava ? ` (skipped: no Java 17 at ${JAVA})` : ""
  }`,
  ignore: noJava,
  async fn() {
    const score = await sparkScore({ bundlePath: "examples/model_bundle.json", rows: 20_000 });
    assert.equal(score.rows, 20_000);
    assert.ok(score.missingValues > 0, "the table has missing values to impute");
    assert.equal(score.mismatches, 0, "Spark's answers differ from the predictor fed directly");
    assert.equal(score.sampleRows, 1000);
    assert.equal(score.sampleMismatches, 0, "Spark's answers differ from createPredictor");
  },
});
