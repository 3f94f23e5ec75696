"""The registered model's MLflow ``python_function`` flavour.

Prediction is the project's own TypeScript predictor (``pipeline/bundle/bundle_predictor.ts``),
packed by ``deno bundle`` into one script stored next to the model bundle in the model's
artifacts. Each loaded model runs that script in one long-lived Deno process and feeds it
batches over stdin/stdout in the binary protocol of ``pipeline/pyfunc/frames.ts``: raw
little-endian Float64 matrices in, Float64 predictions out, NaN for a missing value. The
doubles cross unchanged, so the answers are bit for bit the server's.

A loaded model needs only a ``deno`` binary: ``CRIME_DENO`` names one, else ``deno`` on
``PATH`` is used.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import struct
import subprocess
import threading
import warnings
import weakref

import mlflow.pyfunc
import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

#: The environment variable naming the Deno binary to run the predictor with.
DENO_ENV = "CRIME_DENO"
#: The protocol version this module speaks (``PROTOCOL_VERSION`` in ``frames.ts``).
PROTOCOL_VERSION = 1
#: Rows per request frame: bounds the memory of one frame (16 MB at 122 features).
BATCH_ROWS = 16384

_HELLO, _PREDICTIONS, _ERROR = 0, 1, 2
_HEADER = struct.Struct("<II")


def find_deno(pinned: str) -> str:
    """The Deno binary: ``$CRIME_DENO``, else ``deno`` on ``PATH``, else an error saying what to install."""
    named = os.environ.get(DENO_ENV)
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named
        raise MlflowException(
            f"{DENO_ENV}={named} is not an executable file; point it at a Deno {pinned} binary"
        )
    found = shutil.which("deno")
    if found:
        return found
    raise MlflowException(
        f"this model predicts with its TypeScript predictor, which runs on Deno: install Deno "
        f"{pinned} (https://deno.com, or `npm install deno@{pinned}`) and put `deno` on PATH, "
        f"or set {DENO_ENV} to the binary"
    )


class DenoPredictor:
    """One Deno process running the packed predictor on one bundle, fed over its pipes."""

    def __init__(self, deno: str, script: str, bundle: str):
        command = [
            deno,
            "run",
            "--quiet",
            "--no-config",
            "--no-lock",
            "--no-prompt",
            f"--allow-read={bundle}",
            script,
            bundle,
        ]
        env = {**os.environ, "DENO_NO_UPDATE_CHECK": "1", "NO_COLOR": "1"}
        # A Rust backtrace would bury the predictor's own message in the error shown.
        env.pop("RUST_BACKTRACE", None)
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        # The last lines of stderr, to explain a process that died.
        self._stderr = collections.deque(maxlen=20)
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self._lock = threading.Lock()
        kind, payload = self._read_frame()
        if kind != _HELLO:
            self.close()
            raise MlflowException(f"the Deno predictor did not start: reply kind {kind}")
        self.hello = json.loads(payload.decode("utf-8"))
        if self.hello.get("protocol") != PROTOCOL_VERSION:
            self.close()
            raise MlflowException(
                f"the Deno predictor speaks protocol {self.hello.get('protocol')}, "
                f"this model expects {PROTOCOL_VERSION}"
            )
        self.features = [f["name"] for f in self.hello["features"]]

    def _drain_stderr(self) -> None:
        for line in self._process.stderr:
            text = line.decode("utf-8", "replace").rstrip()
            if text:
                self._stderr.append(text)

    def _died(self, what: str) -> MlflowException:
        try:
            # A process whose stdout ended is exiting; its last stderr lines follow.
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = "none: still running"
        detail = "; ".join(self._stderr) or "no message"
        return MlflowException(f"the Deno predictor {what} (exit code {code}): {detail}")

    def _read_exact(self, n: int) -> bytes:
        data = self._process.stdout.read(n)
        if data is None or len(data) < n:
            raise self._died("stopped")
        return data

    def _read_frame(self) -> tuple[int, bytes]:
        kind, length = _HEADER.unpack(self._read_exact(_HEADER.size))
        return kind, self._read_exact(length)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions for the rows of ``x`` (float64, one column per feature, NaN = missing)."""
        rows, cols = x.shape
        out = np.empty(rows, dtype=np.float64)
        with self._lock:
            for start in range(0, max(rows, 1), BATCH_ROWS):
                batch = np.ascontiguousarray(x[start : start + BATCH_ROWS], dtype="<f8")
                try:
                    self._process.stdin.write(_HEADER.pack(batch.shape[0], cols))
                    self._process.stdin.write(batch.data)
                    self._process.stdin.flush()
                except (BrokenPipeError, OSError):
                    raise self._died("is not running") from None
                kind, payload = self._read_frame()
                if kind == _ERROR:
                    message = payload.decode("utf-8")
                    if start > 0 and message.startswith("row "):
                        row, rest = message[4:].split(":", 1)
                        message = f"row {int(row) + start}:{rest}"
                    raise MlflowException(message, error_code=INVALID_PARAMETER_VALUE)
                if kind != _PREDICTIONS or len(payload) != 8 * batch.shape[0]:
                    raise MlflowException(f"the Deno predictor sent a bad reply (kind {kind})")
                out[start : start + batch.shape[0]] = np.frombuffer(payload, dtype="<f8")
        return out

    def close(self) -> None:
        """Ends the process: closing its stdin ends its request loop."""
        process = self._process
        if process.poll() is None:
            try:
                process.stdin.close()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()


def feature_matrix(frame: pd.DataFrame, features: list[str]) -> np.ndarray:
    """The rows of ``frame`` as a float64 matrix in ``features`` order; None and NaN are missing."""
    missing = [name for name in features if name not in frame.columns]
    if missing:
        raise MlflowException(
            f"the input lacks {len(missing)} of the model's {len(features)} features: "
            + ", ".join(missing),
            error_code=INVALID_PARAMETER_VALUE,
        )
    columns = frame[features]
    try:
        return columns.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        pass
    for name in features:
        converted = pd.to_numeric(columns[name], errors="coerce")
        bad = columns[name].notna() & converted.isna()
        if bad.any():
            value = columns[name][bad].iloc[0]
            raise MlflowException(
                f'feature "{name}" holds a value that is not a number: {value!r}',
                error_code=INVALID_PARAMETER_VALUE,
            ) from None
    return columns.apply(pd.to_numeric).to_numpy(dtype=np.float64, na_value=np.nan)


class CrimeModel(mlflow.pyfunc.PythonModel):
    """Predicts ViolentCrimesPerPop with the bundle's TypeScript predictor in a Deno process.

    Artifacts: ``bundle`` (the model bundle JSON) and ``predictor`` (the packed script).
    Model config: ``deno_version``, the Deno version the script was packed and tested with.
    """

    def load_context(self, context):
        pinned = (context.model_config or {}).get("deno_version", "2")
        deno = find_deno(pinned)
        predictor = DenoPredictor(deno, context.artifacts["predictor"], context.artifacts["bundle"])
        self._predictor = predictor
        # Stopped when the model is collected, and at interpreter exit at the latest.
        weakref.finalize(self, predictor.close)
        version = subprocess.run([deno, "--version"], capture_output=True, text=True).stdout
        if version.split()[1:2] != [pinned]:
            warnings.warn(
                f"this model's predictor was packed for Deno {pinned}; "
                f"{deno} is {' '.join(version.split()[:2]) or 'of unknown version'}",
                stacklevel=2,
            )

    # The hint is a plain DataFrame: MLflow validates inputs by the logged signature, not by it.
    def predict(self, context, model_input: pd.DataFrame, params=None) -> np.ndarray:
        frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
        predictor = self._predictor
        return predictor.predict(feature_matrix(frame, predictor.features))

    def close(self) -> None:
        """Stops the Deno process now rather than at collection or exit."""
        predictor = getattr(self, "_predictor", None)
        if predictor is not None:
            predictor.close()

    def __getstate__(self):
        # A running process is no part of the saved model.
        return {k: v for k, v in self.__dict__.items() if k != "_predictor"}
