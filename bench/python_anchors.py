"""The Python anchors: what a good scikit-learn / XGBoost / LightGBM stack scores on the
same data under the same protocol as the pipeline, written to reports/python_anchors.json
for the evaluation report's comparison table.

Protocol (the pipeline's): hyper-parameters are chosen by inner cross-validation on the
development folds 1-9 only (one inner fold per built-in fold id); with them fixed, every
built-in fold is predicted by a fit on the other nine (pooled 10-fold out-of-fold RMSE)
and a fit on folds 1-9 is scored once on the held-out fold 10. Averages and the
non-negative stack combine their members' predictions under the same rule: stack weights
are learned on the members' inner out-of-fold predictions over folds 1-9.

Needs a throwaway virtualenv with the peers (kept out of the project's):

    python3 -m venv /tmp/peers
    /tmp/peers/bin/pip install -r bench/requirements-peers.txt
    /tmp/peers/bin/python bench/python_anchors.py [--out reports/python_anchors.json]

It uses two threads per fit and takes a few minutes on two cores.
"""

import argparse
import itertools
import json
import sys
import time
from importlib.metadata import version

import numpy as np
from scipy.optimize import nnls

from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import lightgbm
import xgboost

IDENTIFIERS = {"state", "county", "community", "communityname", "fold"}
TARGET = "ViolentCrimesPerPop"
HOLDOUT = 10
THREADS = 2


def load(raw_dir):
    """The 122 predictive features (NaN for '?'), the target, the fold and the state of every row."""
    names = []
    with open(f"{raw_dir}/communities.names") as f:
        for line in f:
            if line.startswith("@attribute"):
                names.append(line.split()[1])
    rows = []
    with open(f"{raw_dir}/communities.data") as f:
        for line in f:
            if line.strip():
                rows.append(line.rstrip("\n").split(","))
    index = {n: i for i, n in enumerate(names)}
    features = [n for n in names if n not in IDENTIFIERS and n != TARGET]

    def column(name):
        return np.array([np.nan if r[index[name]] == "?" else float(r[index[name]]) for r in rows])

    x = np.column_stack([column(n) for n in features])
    return x, column(TARGET), column("fold").astype(int), features, column("state")


def drop_mostly_missing(x_train, *others, threshold=0.5):
    """Drops columns missing in more than `threshold` of the training rows (as the pipeline)."""
    keep = np.isnan(x_train).mean(axis=0) <= threshold
    return (x_train[:, keep], *(o[:, keep] for o in others))


def ridge(alpha):
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), Ridge(alpha=alpha))


def forest(max_features, min_samples_leaf):
    return make_pipeline(
        SimpleImputer(strategy="median"),
        RandomForestRegressor(
            n_estimators=300,
            max_features=max_features,
            min_samples_leaf=min_samples_leaf,
            n_jobs=THREADS,
            random_state=42,
        ),
    )


def xgb(max_depth, learning_rate):
    return xgboost.XGBRegressor(
        n_estimators=800,
        max_depth=max_depth,
        learning_rate=learning_rate,
        subsample=0.7,
        colsample_bynode=0.3,
        min_child_weight=5,
        tree_method="hist",
        n_jobs=THREADS,
        random_state=42,
    )


def lgbm(num_leaves, learning_rate):
    return lightgbm.LGBMRegressor(
        n_estimators=800,
        num_leaves=num_leaves,
        learning_rate=learning_rate,
        subsample=0.7,
        subsample_freq=1,
        colsample_bytree=0.3,
        min_child_samples=20,
        n_jobs=THREADS,
        random_state=42,
        verbose=-1,
    )


def hgb(max_depth, learning_rate):
    return HistGradientBoostingRegressor(
        max_iter=800,
        max_depth=max_depth,
        learning_rate=learning_rate,
        min_samples_leaf=20,
        early_stopping=False,
        random_state=42,
    )


# Each family: a constructor and a small grid, searched by inner CV on folds 1-9.
FAMILIES = {
    "ridge": (ridge, {"alpha": [1, 3, 10, 30, 100]}),
    "random_forest": (forest, {"max_features": [0.33, 0.5], "min_samples_leaf": [1, 3, 5]}),
    "xgboost": (xgb, {"max_depth": [3, 4], "learning_rate": [0.01, 0.02]}),
    "lightgbm": (lgbm, {"num_leaves": [8, 16], "learning_rate": [0.01, 0.02]}),
    "hist_gradient_boosting": (hgb, {"max_depth": [3, 4], "learning_rate": [0.01, 0.02]}),
}


def out_of_fold(make, x, y, folds, ids):
    """Prediction of every row whose fold is in `ids`, each by a fit on the other ids' rows."""
    predicted = np.full(len(y), np.nan)
    for k in ids:
        train = np.isin(folds, ids) & (folds != k)
        test = folds == k
        x_train, x_test = drop_mostly_missing(x[train], x[test])
        predicted[test] = make().fit(x_train, y[train]).predict(x_test)
    return predicted


def state_offsets(codes, residuals):
    """A random intercept per state: each state's residual sum over (its rows + s2/t2), with
    the within-state variance s2 and the variance of the true intercepts t2 estimated by the
    one-way ANOVA method of moments (as pipeline/training/fit_group_offsets.ts does)."""
    levels = np.unique(codes)
    n = np.array([np.sum(codes == g) for g in levels])
    sums = np.array([residuals[codes == g].sum() for g in levels])
    rows, groups = len(residuals), len(levels)
    within = sum(((residuals[codes == g] - s / k) ** 2).sum() for g, s, k in zip(levels, sums, n))
    between = (sums ** 2 / n).sum() - residuals.sum() ** 2 / rows
    s2 = within / (rows - groups)
    t2 = (between - (groups - 1) * s2) / (rows - (n ** 2).sum() / rows)
    offsets = sums / (n + s2 / t2) if t2 > 0 else np.zeros(groups)
    return dict(zip(levels.tolist(), offsets.tolist()))


def with_offsets(predicted, codes, residual_rows, residuals, target_rows):
    """`predicted` on `target_rows` shifted by offsets fitted on `residual_rows`' residuals."""
    offsets = state_offsets(codes[residual_rows], residuals[residual_rows])
    shifted = predicted.copy()
    shifted[target_rows] += np.array([offsets.get(c, 0.0) for c in codes[target_rows]])
    return shifted


def rmse(actual, predicted):
    return float(np.sqrt(np.mean((actual - predicted) ** 2)))


def r2(actual, predicted):
    return float(1 - np.sum((actual - predicted) ** 2) / np.sum((actual - actual.mean()) ** 2))


def tune(name, x, y, folds, dev_ids):
    """The grid point with the lowest pooled inner-CV RMSE on the development folds."""
    build, grid = FAMILIES[name]
    best = None
    for values in itertools.product(*grid.values()):
        params = dict(zip(grid.keys(), values))
        inner = out_of_fold(lambda: build(**params), x, y, folds, dev_ids)
        dev = np.isin(folds, dev_ids)
        score = rmse(y[dev], inner[dev])
        if best is None or score < best[0]:
            best = (score, params, inner)
    return best


def scores(y, folds, oof, holdout_predicted):
    every = ~np.isnan(oof)
    return {
        "pooled_oof_rmse": rmse(y[every], oof[every]),
        "r2": r2(y[every], oof[every]),
        "holdout_rmse": rmse(y[folds == HOLDOUT], holdout_predicted),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", default="data/raw")
    parser.add_argument("--out", default="reports/python_anchors.json")
    args = parser.parse_args()
    x, y, folds, _, states = load(args.raw)
    all_ids = sorted(set(folds.tolist()))
    dev_ids = [k for k in all_ids if k != HOLDOUT]
    started = time.time()
    members = {}
    anchors = []
    for name in FAMILIES:
        t0 = time.time()
        dev_score, params, inner = tune(name, x, y, folds, dev_ids)
        build = FAMILIES[name][0]
        oof = out_of_fold(lambda: build(**params), x, y, folds, all_ids)
        # The held-out fold's prediction by a fit on folds 1-9 is the 10-fold OOF's fold 10.
        holdout_predicted = oof[folds == HOLDOUT]
        members[name] = {"inner": inner, "oof": oof, "holdout": holdout_predicted}
        entry = {"name": name, "params": params, "dev_cv_rmse": dev_score,
                 **scores(y, folds, oof, holdout_predicted)}
        anchors.append(entry)
        print(f"{name}: {json.dumps(entry)} in {time.time() - t0:.1f} s", file=sys.stderr)

    def combine(name, picked, weights):
        oof = sum(w * members[m]["oof"] for m, w in zip(picked, weights))
        holdout_predicted = sum(w * members[m]["holdout"] for m, w in zip(picked, weights))
        dev = np.isin(folds, dev_ids)
        inner = sum(w * members[m]["inner"] for m, w in zip(picked, weights))
        entry = {"name": name, "params": {"members": picked, "weights": list(weights)},
                 "dev_cv_rmse": rmse(y[dev], inner[dev]),
                 **scores(y, folds, oof, holdout_predicted)}
        anchors.append(entry)
        print(f"{name}: {json.dumps(entry)}", file=sys.stderr)

    combine("ridge + xgboost (average)", ["ridge", "xgboost"], [0.5, 0.5])
    # Non-negative least squares on the members' inner out-of-fold predictions (folds 1-9).
    dev = np.isin(folds, dev_ids)
    names = list(FAMILIES)
    stacked = np.column_stack([members[m]["inner"][dev] for m in names])
    weights, _ = nnls(stacked, y[dev])
    weights = weights / weights.sum()
    combine("non-negative stack", names, [float(w) for w in weights])

    # The stack with a random intercept per state, under the pipeline's protocol: each
    # fold's offsets from the other folds' out-of-fold residuals; the held-out fold's from
    # the development folds' inner out-of-fold residuals, which no fit on fold 10 made.
    picked = [float(w) for w in weights]
    oof = sum(w * members[m]["oof"] for m, w in zip(names, picked))
    inner = sum(w * members[m]["inner"] for m, w in zip(names, picked))
    holdout_rows = folds == HOLDOUT
    shifted_oof, shifted_inner = oof.copy(), inner.copy()
    for k in all_ids:
        test = folds == k
        shifted_oof = with_offsets(shifted_oof, states, ~test, y - oof, test)
        if k != HOLDOUT:
            shifted_inner = with_offsets(shifted_inner, states, dev & ~test, y - inner, test)
    holdout_shifted = with_offsets(oof, states, dev, y - inner, holdout_rows)[holdout_rows]
    entry = {"name": "non-negative stack + state offsets",
             "params": {"members": names, "weights": picked, "offsets": "state"},
             "dev_cv_rmse": rmse(y[dev], shifted_inner[dev]),
             **scores(y, folds, shifted_oof, holdout_shifted)}
    anchors.append(entry)
    print(f"{entry['name']}: {json.dumps(entry)}", file=sys.stderr)

    result = {
        "protocol": "hyper-parameters and stack weights chosen by inner CV on folds 1-9; "
        "pooled_oof_rmse and r2: 10-fold out-of-fold with those fixed; "
        "holdout_rmse: a fit on folds 1-9 scored on fold 10",
        "command": "/tmp/peers/bin/python bench/python_anchors.py",
        "versions": {p: version(p) for p in
                     ["scikit-learn", "xgboost", "lightgbm", "numpy", "scipy"]},
        "python": sys.version.split()[0],
        "elapsed_s": round(time.time() - started, 1),
        "anchors": anchors,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out} in {result['elapsed_s']} s", file=sys.stderr)


if __name__ == "__main__":
    main()
