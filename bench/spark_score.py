"""Scores a generated table with the registered model through ``mlflow.pyfunc.spark_udf`` on
local Spark, times it, and checks every answer against the model's own predictor fed
directly (the packed TypeScript predictor in Deno, without Spark, Arrow or pandas between).

    spark_score.py --model-uri models:/communities-crime@champion --rows 1000000 \
        --sample sample.json [--partitions 2] [--seed 1]

The table: ``--rows`` rows of every signature input, uniform on the data's 0.01 grid in
[0, 1], with 10% nulls in each optional (nullable) input; written to parquet before the
timed part. Timed: the UDF scoring every row, its predictions written to parquet. Prints
one JSON line of figures; ``--sample`` receives the first rows and their Spark predictions,
for an independent check in TypeScript.
"""

import argparse
import json
import os
import shutil
import tempfile
import time

# Local Spark needs Java 17; the project's machines have it here.
os.environ.setdefault("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")

import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

SAMPLE_ROWS = 1000


def generated(spark, inputs, rows: int, partitions: int, seed: int):
    columns = []
    for j, spec in enumerate(inputs):
        value = F.round(F.rand(seed * 1000 + j), 2)
        if not spec.required:
            value = F.when(F.rand(seed * 1000 + 500 + j) < 0.1, F.lit(None)).otherwise(value)
        columns.append(value.cast("double").alias(spec.name))
    return spark.range(rows, numPartitions=partitions).select("id", *columns)


def read_sorted(path: str):
    return pq.read_table(path).sort_by("id")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-uri", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", required=True)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="spark_score_")
    spark = (
        SparkSession.builder.master(f"local[{args.partitions}]")
        .appName("crime-spark-udf")
        .config("spark.driver.memory", "2g")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.local.dir", scratch)
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        model = mlflow.pyfunc.load_model(args.model_uri)
        inputs = model.metadata.get_input_schema().inputs
        names = [spec.name for spec in inputs]
        table_dir, scored_dir = os.path.join(scratch, "table"), os.path.join(scratch, "scored")
        generated(spark, inputs, args.rows, args.partitions, args.seed).write.parquet(table_dir)
        table = spark.read.parquet(table_dir)

        udf = mlflow.pyfunc.spark_udf(
            spark, args.model_uri, result_type="double", env_manager="local"
        )
        started = time.perf_counter()
        scored = table.select("id", udf(F.struct(*names)).alias("prediction"))
        scored.write.parquet(scored_dir)
        score_seconds = time.perf_counter() - started

        features = read_sorted(table_dir)
        predictions = read_sorted(scored_dir)
        assert features.column("id").equals(predictions.column("id")), "ids differ"
        x = np.column_stack(
            [features.column(name).to_numpy(zero_copy_only=False) for name in names]
        ).astype(np.float64)
        spark_y = predictions.column("prediction").to_numpy()
        started = time.perf_counter()
        # The model's predictor process, fed the matrix as it stands: no Spark, no pandas.
        direct_y = model.unwrap_python_model()._predictor.predict(x)
        direct_seconds = time.perf_counter() - started
        same = (spark_y == direct_y) | (np.isnan(spark_y) & np.isnan(direct_y))
        with open(args.sample, "w", encoding="utf-8") as f:
            sample = x[:SAMPLE_ROWS]
            json.dump(
                {
                    "columns": names,
                    "data": [[None if np.isnan(v) else float(v) for v in row] for row in sample],
                    "predictions": [float(v) for v in spark_y[:SAMPLE_ROWS]],
                },
                f,
            )
        print(
            json.dumps(
                {
                    "rows": args.rows,
                    "partitions": args.partitions,
                    "scoreSeconds": score_seconds,
                    "rowsPerSecond": args.rows / score_seconds,
                    "directSeconds": direct_seconds,
                    "mismatches": int((~same).sum()),
                    "missingValues": int(np.isnan(x).sum()),
                }
            )
        )
    finally:
        spark.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
