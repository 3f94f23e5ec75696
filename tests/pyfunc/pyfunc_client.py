"""MLflow's side of the pyfunc tests: loads or evaluates a registered model with the MLflow
library, as a user of the model would, and prints the answers as JSON (floats in their
shortest round-trip form, so the TypeScript side compares them bit for bit).

    pyfunc_client.py predict <model-uri> <rows.json>
    pyfunc_client.py evaluate <model-uri> <rows.json> <target> <experiment>

``rows.json`` is ``{"columns": [...], "data": [[...], ...]}`` with null for a missing value.
"""

import json
import sys

import mlflow
import pandas as pd


def frame(path: str) -> pd.DataFrame:
    with open(path, encoding="utf-8") as f:
        split = json.load(f)
    return pd.DataFrame(split["data"], columns=split["columns"], dtype="float64")


def predict(uri: str, rows: str) -> None:
    model = mlflow.pyfunc.load_model(uri)
    predictions = model.predict(frame(rows))
    schema = model.metadata.get_input_schema()
    print(
        json.dumps(
            {
                "predictions": [float(p) for p in predictions],
                "inputs": [{"name": c.name, "required": c.required} for c in schema.inputs],
                "outputs": [c.name for c in model.metadata.get_output_schema().inputs],
                "modelId": model.metadata.model_id,
            }
        )
    )


def evaluate(uri: str, rows: str, target: str, experiment: str) -> None:
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        result = mlflow.models.evaluate(
            uri,
            data=frame(rows),
            targets=target,
            model_type="regressor",
            evaluators=["default"],
            # SHAP explanations are no part of the check and need packages MLflow lacks.
            evaluator_config={"default": {"log_model_explainability": False}},
        )
    logged = mlflow.MlflowClient().get_run(run.info.run_id).data.metrics
    print(
        json.dumps(
            {
                "runId": run.info.run_id,
                "returned": result.metrics["root_mean_squared_error"],
                "logged": logged["root_mean_squared_error"],
            }
        )
    )


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"predict": predict, "evaluate": evaluate}[command](*args)
