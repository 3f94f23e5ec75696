"""Python side of bench/gbm_peers.ts: fits LightGBM, XGBoost and scikit-learn's
HistGradientBoostingRegressor on the fold matrices that script writes, one thread each.

Reads the folds once, then answers one line per request on stdin (a model name) with
one JSON line on stdout: the pooled out-of-fold RMSE and the wall and CPU seconds spent
fitting and predicting (data loading excluded). Run by gbm_peers.ts; see its doc for the venv.
"""

import json
import os
import sys
import time

import numpy as np

# One thread everywhere, set before the libraries start their thread pools.
os.environ["OMP_NUM_THREADS"] = "1"

import lightgbm as lgb  # noqa: E402
import xgboost as xgb  # noqa: E402
from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402


def load(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    cols = manifest["cols"]

    def read(name, width):
        data = np.fromfile(os.path.join(folder, name), dtype="<f8")
        return data.reshape(-1, width) if width else data

    folds = [
        {
            "x_train": read(f"{fold}_x_train.f64", cols),
            "y_train": read(f"{fold}_y_train.f64", 0),
            "x_test": read(f"{fold}_x_test.f64", cols),
            "y_test": read(f"{fold}_y_test.f64", 0),
        }
        for fold in manifest["folds"]
    ]
    return manifest["params"], folds


def lightgbm_fit_predict(p, fold):
    params = {
        "objective": "regression",
        "learning_rate": p["learningRate"],
        # Leaf-wise growth capped at a full depth-d tree is the same family of trees.
        "num_leaves": 2 ** p["maxDepth"],
        "max_depth": p["maxDepth"],
        "min_data_in_leaf": p["minSamplesLeaf"],
        "min_sum_hessian_in_leaf": 0,
        "lambda_l2": p["lambda"],
        "bagging_fraction": p["subsample"],
        "bagging_freq": 1 if p["subsample"] < 1 else 0,
        "feature_fraction": p["colsampleByTree"],
        "max_bin": p["maxBins"] - 1,
        "num_threads": 1,
        # Measured fastest here for 1,800 rows by 122 features (col-wise: 3-5% slower).
        "force_row_wise": True,
        "seed": 0,
        "verbose": -1,
    }
    data = lgb.Dataset(fold["x_train"], fold["y_train"], params={"max_bin": params["max_bin"]})
    booster = lgb.train(params, data, num_boost_round=p["nEstimators"])
    return booster.predict(fold["x_test"], num_threads=1)


def xgboost_fit_predict(p, fold):
    params = {
        "objective": "reg:squarederror",
        "tree_method": "hist",
        "eta": p["learningRate"],
        "max_depth": p["maxDepth"],
        # Squared error has unit hessians: the hessian sum of a child is its row count.
        "min_child_weight": p["minSamplesLeaf"],
        "lambda": p["lambda"],
        "subsample": p["subsample"],
        "colsample_bytree": p["colsampleByTree"],
        "max_bin": p["maxBins"],
        "nthread": 1,
        "seed": 0,
    }
    data = xgb.QuantileDMatrix(fold["x_train"], fold["y_train"], max_bin=p["maxBins"], nthread=1)
    booster = xgb.train(params, data, num_boost_round=p["nEstimators"])
    return booster.inplace_predict(fold["x_test"])


def sklearn_fit_predict(p, fold):
    if p["subsample"] < 1 or p["colsampleByTree"] < 1:
        return None  # no per-tree row or feature sampling in HistGradientBoosting
    model = HistGradientBoostingRegressor(
        learning_rate=p["learningRate"],
        max_iter=p["nEstimators"],
        max_depth=p["maxDepth"],
        max_leaf_nodes=2 ** p["maxDepth"],
        min_samples_leaf=p["minSamplesLeaf"],
        l2_regularization=p["lambda"],
        max_bins=min(255, p["maxBins"] - 1),
        early_stopping=False,
        random_state=0,
    )
    return model.fit(fold["x_train"], fold["y_train"]).predict(fold["x_test"])


MODELS = {
    "lightgbm": lightgbm_fit_predict,
    "xgboost": xgboost_fit_predict,
    "sklearn": sklearn_fit_predict,
}


def main():
    params, folds = load(sys.argv[1])
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        seconds = 0.0
        cpu = 0.0
        squared = 0.0
        rows = 0
        skipped = False
        for fold in folds:
            started, cpu_started = time.perf_counter(), time.process_time()
            y_hat = MODELS[name](params, fold)
            seconds += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
            if y_hat is None:
                skipped = True
                break
            squared += float(np.sum((fold["y_test"] - y_hat) ** 2))
            rows += len(y_hat)
        result = {"name": name, "seconds": seconds, "cpu": cpu, "rmse": None if skipped else (squared / rows) ** 0.5}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
