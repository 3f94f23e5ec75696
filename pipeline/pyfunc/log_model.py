"""Logs a model bundle as an MLflow 3 logged model of the ``python_function`` flavour.

Run by the register stage (``pipeline/registry/logged_model.ts``) with the project's
virtualenv; the tracking server comes from ``MLFLOW_TRACKING_URI``. The model's artifacts
are the bundle and the packed Deno predictor; its code is ``crime_model_code.py`` (models
"from code", nothing pickled) with ``crime_pyfunc.py`` in its code paths; its
signature names the bundle's features as doubles, each required unless its training rows
had missing values. The model is linked to the training run, gets the bundle's metrics,
and is printed as one JSON line on stdout: ``{"modelId", "modelUri", "artifactLocation"}``.

    .venv/bin/python pipeline/pyfunc/log_model.py --bundle models/model_bundle.json \
        --predictor predictor.js --deno-version 2.9.6 --run-id <id> --experiment-id <id> \
        --name communities-crime [--metrics metrics.json]
"""

from __future__ import annotations

import argparse
import json
import os

import mlflow
import numpy as np
import pandas as pd
from mlflow.entities import LoggedModelOutput
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, Schema

HERE = os.path.dirname(os.path.abspath(__file__))


def signature(bundle: dict) -> ModelSignature:
    """The bundle's features as named doubles (required unless nullable) and one output."""
    inputs = Schema(
        [ColSpec("double", f["name"], required=not f["nullable"]) for f in bundle["features"]]
    )
    return ModelSignature(inputs=inputs, outputs=Schema([ColSpec("double", bundle["target"])]))


def input_example(bundle: dict) -> pd.DataFrame:
    """Two rows at the training means on the data's 0.01 grid; the second misses every nullable feature."""
    stats = bundle["reference"]["features"]
    means = {f["name"]: round(stats[f["name"]]["mean"], 2) if f["name"] in stats else 0.5
             for f in bundle["features"]}
    gappy = {f["name"]: (np.nan if f["nullable"] else means[f["name"]]) for f in bundle["features"]}
    return pd.DataFrame([means, gappy])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--predictor", required=True)
    parser.add_argument("--deno-version", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--experiment-id", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--metrics", help="a JSON file of extra metrics to link to the model")
    args = parser.parse_args()

    with open(args.bundle, encoding="utf-8") as f:
        bundle = json.load(f)
    metrics = dict(bundle["metrics"])
    if args.metrics:
        with open(args.metrics, encoding="utf-8") as f:
            metrics.update(json.load(f))

    provenance = bundle["provenance"]
    model = mlflow.initialize_logged_model(
        name=args.name,
        source_run_id=args.run_id,
        experiment_id=args.experiment_id,
        model_type="regressor",
        params={"family": bundle["family"], "features": str(len(bundle["features"]))},
        tags={
            "bundle_checksum": bundle["checksum"],
            "git_commit": provenance["gitCommit"],
            "data_hash": provenance["dataHash"],
            "predictor": f"deno {args.deno_version}",
        },
    )
    info = mlflow.pyfunc.log_model(
        name=args.name,
        model_id=model.model_id,
        python_model=os.path.join(HERE, "crime_model_code.py"),
        artifacts={"bundle": args.bundle, "predictor": args.predictor},
        code_paths=[os.path.join(HERE, "crime_pyfunc.py")],
        model_config={"deno_version": args.deno_version},
        signature=signature(bundle),
        input_example=input_example(bundle),
        # Declared rather than inferred: inference would load the model in a subprocess.
        pip_requirements=[
            f"mlflow=={mlflow.__version__}",
            f"numpy=={np.__version__}",
            f"pandas=={pd.__version__}",
        ],
    )
    mlflow.log_metrics(metrics, run_id=args.run_id, model_id=model.model_id)
    mlflow.MlflowClient().log_outputs(args.run_id, [LoggedModelOutput(model.model_id, step=0)])
    logged = mlflow.get_logged_model(model.model_id)
    print(
        json.dumps(
            {
                "modelId": model.model_id,
                "modelUri": info.model_uri,
                "artifactLocation": logged.artifact_location,
            }
        )
    )


if __name__ == "__main__":
    main()
