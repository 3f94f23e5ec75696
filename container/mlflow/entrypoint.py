"""Starts the MLflow tracking server of the compose stack once its backend store answers.

Settings come from the environment (see .env.example at the project root):
  MLFLOW_BACKEND_STORE_URI      required; postgresql://user:password@host:5432/db or sqlite:///path
  MLFLOW_ARTIFACTS_DESTINATION  where the server keeps artifacts [/mlflow/artifacts]; s3://... too
  MLFLOW_ALLOWED_HOSTS          Host headers the server accepts [mlflow, localhost, 127.0.0.1]
  MLFLOW_WORKERS                server worker processes [2]
  MLFLOW_DB_WAIT_SECONDS        how long to wait for the database at start [120]

The database URI reaches MLflow through its own environment variable, never the command
line, so its password shows neither in the process list nor in any line printed here.
"""

import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

PORT = 5000


def log(message: str) -> None:
    print(f"mlflow-entrypoint: {message}", file=sys.stderr, flush=True)


def fail(message: str, status: int = 2) -> None:
    """Exits with `message`: status 2 for a wrong setting, 1 for a backend that never answered."""
    log(message)
    sys.exit(status)


def redacted(uri: str) -> str:
    """The URI with any password replaced by ***."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        fail(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


def wait_for_postgres(uri: str, seconds: int) -> None:
    import psycopg2  # the driver the server itself uses

    dsn = uri.replace("postgresql+psycopg2://", "postgresql://", 1)
    deadline = time.monotonic() + seconds
    attempt = 0
    while True:
        attempt += 1
        try:
            psycopg2.connect(dsn, connect_timeout=5).close()
            log(f"backend store {redacted(uri)} answers (attempt {attempt})")
            return
        except psycopg2.OperationalError as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            if uri and urlsplit(uri).password:
                reason = reason.replace(urlsplit(uri).password, "***")
            if time.monotonic() >= deadline:
                fail(
                    f"the backend store {redacted(uri)} (MLFLOW_BACKEND_STORE_URI) did not answer "
                    f"within {seconds} s: {reason}",
                    status=1,
                )
            log(f"waiting for the backend store {redacted(uri)}: {reason}")
            time.sleep(min(5, 1 + attempt // 3))


def main() -> None:
    uri = os.environ.get("MLFLOW_BACKEND_STORE_URI", "").strip()
    if not uri:
        fail("MLFLOW_BACKEND_STORE_URI is not set: give the PostgreSQL (or SQLite) URI of the backend store")
    scheme = urlsplit(uri).scheme
    if scheme not in ("postgresql", "postgresql+psycopg2", "sqlite"):
        fail(
            f"MLFLOW_BACKEND_STORE_URI must start with postgresql:// or sqlite:///, got "
            f"{redacted(uri)!r}"
        )
    workers = positive_int("MLFLOW_WORKERS", 2)
    wait_seconds = positive_int("MLFLOW_DB_WAIT_SECONDS", 120)
    artifacts = os.environ.get("MLFLOW_ARTIFACTS_DESTINATION", "").strip() or "/mlflow/artifacts"
    allowed = os.environ.get("MLFLOW_ALLOWED_HOSTS", "").strip() or ",".join(
        ["mlflow", f"mlflow:{PORT}", "localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*"]
    )
    if scheme.startswith("postgresql"):
        wait_for_postgres(uri, wait_seconds)
    # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the image has psycopg2.
    if scheme == "postgresql":
        uri = "postgresql+psycopg2://" + uri[len("postgresql://"):]
    log(f"starting MLflow on port {PORT}: backend {redacted(uri)}, artifacts {artifacts}")
    env = dict(os.environ, MLFLOW_BACKEND_STORE_URI=uri, MLFLOW_ARTIFACTS_DESTINATION=artifacts)
    # Server-side jobs (GenAI evaluation) would spawn worker processes nothing here uses.
    env.setdefault("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
    args = ["mlflow", "server", "--host", "0.0.0.0", "--port", str(PORT)]
    args += ["--workers", str(workers), "--serve-artifacts", "--allowed-hosts", allowed]
    os.execvpe("mlflow", args, env)


if __name__ == "__main__":
    main()
