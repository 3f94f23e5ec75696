"""scikit-learn's RandomForestRegressor on fold matrices written by random_forest_peers.ts.

    random_forest_peers.py <dir> --n-estimators 300 --max-features 0.33 \
        --min-samples-leaf 1 --bootstrap 1 --seed 0

<dir>/folds.json lists the folds; each fold's matrices are little-endian float64 files
(x_train, y_train, x_test, row-major). Timed: fitting every fold and predicting its test
rows, one thread (n_jobs=1). Prints one JSON line: the pooled out-of-fold RMSE and the
wall and CPU seconds.
"""

import argparse
import json
import os
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--n-estimators", type=int, required=True)
    parser.add_argument("--max-features", type=float, required=True)
    parser.add_argument("--min-samples-leaf", type=int, required=True)
    parser.add_argument("--bootstrap", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args()

    manifest = json.load(open(os.path.join(args.dir, "folds.json")))
    y = np.asarray(manifest["y"], dtype=np.float64)
    cols = manifest["cols"]
    read = lambda name: np.fromfile(os.path.join(args.dir, name), dtype="<f8")
    folds = [
        (
            np.asarray(f["test"], dtype=np.int64),
            read(f["xTrain"]).reshape(-1, cols),
            read(f["yTrain"]),
            read(f["xTest"]).reshape(-1, cols),
        )
        for f in manifest["folds"]
    ]
    oof = np.empty_like(y)
    started = time.perf_counter()
    cpu_started = time.process_time()
    for test, x_train, y_train, x_test in folds:
        forest = RandomForestRegressor(
            n_estimators=args.n_estimators,
            max_features=args.max_features,
            min_samples_leaf=args.min_samples_leaf,
            bootstrap=bool(args.bootstrap),
            n_jobs=1,
            random_state=args.seed,
        )
        forest.fit(x_train, y_train)
        oof[test] = forest.predict(x_test)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rmse = float(np.sqrt(np.mean((oof - y) ** 2)))
    print(json.dumps({"rmse": rmse, "seconds": seconds, "cpuSeconds": cpu_seconds}))


if __name__ == "__main__":
    main()
