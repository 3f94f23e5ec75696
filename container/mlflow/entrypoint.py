"""Starts the MLflow tracking server of the compose stack once its backend store answers.

Settings come from the environment (see .env.example at the project root):
  MLFLOW_BACKEND_STORE_URI       required; postgresql://user@host:5432/db or sqlite:///path
  MLFLOW_BACKEND_STORE_PASSWORD  the database password, kept out of the URI so that any
                                 character works in it (it is percent-encoded here)
  MLFLOW_ARTIFACTS_DESTINATION   where the server keeps artifacts [/mlflow/artifacts]; s3://... too
  MLFLOW_ALLOWED_HOSTS           Host headers the server accepts [mlflow, localhost, 127.0.0.1]
  MLFLOW_WORKERS                 server worker processes [2]
  MLFLOW_DB_WAIT_SECONDS         how long to wait for the database at start [120]

The database URI reaches MLflow through its own environment variable, never the command
line, and every line printed here shows it with the password replaced by ***.
"""

import os
import re
import sys
import time
from urllib.parse import quote

PORT = 5000
HIDDEN = "***"
# The password runs from the colon after the user name to the last "@", as in the
# project's redact_uri.ts: a password holding "/", "?", "#" or "@" is still hidden whole.
USERINFO_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^:/@]*:).*@", re.IGNORECASE | re.DOTALL)


def log(message: str) -> None:
    """Prints one line of this script's own to the container log."""
    print(f"mlflow-entrypoint: {message}", file=sys.stderr, flush=True)


def fail(message: str, status: int = 2) -> None:
    """Exits with `message`: status 2 for a wrong setting, 1 for a backend that never answered."""
    log(message)
    sys.exit(status)


def redacted(uri: str) -> str:
    """The URI with any password in it replaced by ***."""
    return USERINFO_PASSWORD.sub(lambda m: f"{m.group(1)}{HIDDEN}@", uri, count=1)


def scrub(text: str, secrets: list[str]) -> str:
    """`text` with every secret (and its percent-encoded form) replaced by ***."""
    for secret in secrets:
        for form in {secret, quote(secret, safe="")}:
            if form:
                text = text.replace(form, HIDDEN)
    return text


def with_password(uri: str, password: str) -> str:
    """Puts `password`, percent-encoded, into the user info of `uri` (which must have a user)."""
    match = re.match(r"^([a-z][a-z0-9+.-]*://)([^:/@]+)@", uri, re.IGNORECASE)
    if not match:
        fail(
            "MLFLOW_BACKEND_STORE_PASSWORD is set, so MLFLOW_BACKEND_STORE_URI must name a user "
            f"and no password (postgresql://user@host:5432/db), got {redacted(uri)!r}"
        )
    return f"{match.group(1)}{match.group(2)}:{quote(password, safe='')}@{uri[match.end():]}"


def positive_int(name: str, default: int) -> int:
    """The setting `name` as a whole number of at least 1, or a clear exit."""
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        fail(f"{name} must be a positive whole number, got {raw!r}")
    return int(raw)


def wait_for_postgres(uri: str, seconds: int, secrets: list[str]) -> None:
    """Returns once PostgreSQL at `uri` accepts a connection; exits after `seconds` of refusals."""
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
        except psycopg2.ProgrammingError:
            # libpq's own message quotes the part it could not parse, perhaps a password's.
            fail(
                f"MLFLOW_BACKEND_STORE_URI {redacted(uri)} is not a valid PostgreSQL URI: "
                "percent-encode special characters in the password, or give the password as "
                "MLFLOW_BACKEND_STORE_PASSWORD"
            )
        except psycopg2.OperationalError as error:
            reason = scrub(" ".join(str(error).split()) or type(error).__name__, secrets)
            if time.monotonic() >= deadline:
                fail(
                    f"the backend store {redacted(uri)} (MLFLOW_BACKEND_STORE_URI) did not answer "
                    f"within {seconds} s: {reason}",
                    status=1,
                )
            log(f"waiting for the backend store {redacted(uri)}: {reason}")
            time.sleep(min(5, 1 + attempt // 3))


def main() -> None:
    """Checks the settings, waits for the database, then becomes `mlflow server`."""
    uri = os.environ.get("MLFLOW_BACKEND_STORE_URI", "").strip()
    if not uri:
        fail("MLFLOW_BACKEND_STORE_URI is not set: give the PostgreSQL (or SQLite) URI of the backend store")
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in ("postgresql", "postgresql+psycopg2", "sqlite"):
        shown = redacted(uri) if scheme else "a value without <scheme>://"
        fail(f"MLFLOW_BACKEND_STORE_URI must start with postgresql:// or sqlite:///, got {shown!r}")
    password = os.environ.get("MLFLOW_BACKEND_STORE_PASSWORD", "")
    secrets = [password] if password else []
    if password:
        uri = with_password(uri, password)
    workers = positive_int("MLFLOW_WORKERS", 2)
    wait_seconds = positive_int("MLFLOW_DB_WAIT_SECONDS", 120)
    artifacts = os.environ.get("MLFLOW_ARTIFACTS_DESTINATION", "").strip() or "/mlflow/artifacts"
    allowed = os.environ.get("MLFLOW_ALLOWED_HOSTS", "").strip() or ",".join(
        ["mlflow", f"mlflow:{PORT}", "localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*"]
    )
    if scheme.startswith("postgresql"):
        wait_for_postgres(uri, wait_seconds, secrets)
    # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the image has psycopg2.
    if scheme == "postgresql":
        uri = "postgresql+psycopg2://" + uri[len("postgresql://"):]
    log(f"starting MLflow on port {PORT}: backend {redacted(uri)}, artifacts {artifacts}")
    env = dict(os.environ, MLFLOW_BACKEND_STORE_URI=uri, MLFLOW_ARTIFACTS_DESTINATION=artifacts)
    env.pop("MLFLOW_BACKEND_STORE_PASSWORD", None)
    # Server-side jobs (GenAI evaluation) would spawn worker processes nothing here uses.
    env.setdefault("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
    args = ["mlflow", "server", "--host", "0.0.0.0", "--port", str(PORT)]
    args += ["--workers", str(workers), "--serve-artifacts", "--allowed-hosts", allowed]
    os.execvpe("mlflow", args, env)


if __name__ == "__main__":
    main()
