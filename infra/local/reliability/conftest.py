"""Shared fixtures for the reliability suite: the stack the launcher started, signed-in API
sessions, the rankops database, launcher control and the figures each test records.

Every test here talks to the real local stack on loopback, is bounded in time and count, and
leaves the stack running when it ends (a test that stops a service starts it again).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import psycopg2
import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
HOST = os.environ["RANKOPS_HOST"]
API = f"http://{HOST}:{os.environ['RANKOPS_API_PORT']}"
RANKER = f"http://{HOST}:{os.environ['RANKOPS_RANKER_PORT']}"
MLFLOW = f"http://{HOST}:{os.environ['RANKOPS_MLFLOW_PORT']}"
TEMPORAL = f"{HOST}:{os.environ['RANKOPS_TEMPORAL_PORT']}"
NAMESPACE = os.environ["RANKOPS_TEMPORAL_NAMESPACE"]
STATE = Path(os.environ["RANKOPS_STATE_DIR"])
FIGURES = STATE / "reliability"

# MLflow refuses anonymous clients: MLflow's Python client in these tests signs in as the suites'
# own account (infra/local/mlflow_accounts.py), unless the caller chose one.
os.environ.setdefault("MLFLOW_TRACKING_USERNAME", os.environ["RANKOPS_MLFLOW_TEST_USER"])
os.environ.setdefault("MLFLOW_TRACKING_PASSWORD", os.environ["RANKOPS_MLFLOW_TEST_PASSWORD"])

ENGINEER = "erin"
RELEASE_MANAGER = "rita"
ADMIN = "ada"
DEMO_PASSWORD = os.environ["RANKOPS_DEMO_PASSWORD"]


def sign_in(username: str, password: str = DEMO_PASSWORD) -> requests.Session:
    """A browser-like session: the form login the web UI uses, then the session cookie."""
    session = requests.Session()
    # What the web UI sends: its own origin, and the header cookie-authenticated writes need.
    session.headers.update({"Origin": API, "X-Rankops-Csrf": "1"})
    response = session.post(f"{API}/api/session", data={"username": username, "password": password}, timeout=30)
    assert response.status_code == 200, f"sign-in as {username}: {response.status_code} {response.text}"
    return session


@pytest.fixture
def engineer() -> requests.Session:
    return sign_in(ENGINEER)


@pytest.fixture
def release_manager() -> requests.Session:
    return sign_in(RELEASE_MANAGER)


@pytest.fixture
def admin() -> requests.Session:
    return sign_in(ADMIN)


def ranker_admin() -> requests.Session:
    """The ranker's admin endpoints take HTTP Basic with the worker's credentials."""
    session = requests.Session()
    session.auth = (os.environ["RANKOPS_RANKER_ADMIN_USER"], os.environ["RANKOPS_RANKER_ADMIN_PASSWORD"])
    return session


def connect_db():
    return psycopg2.connect(host=HOST, port=os.environ["RANKOPS_PG_PORT"], user=os.environ["RANKOPS_PG_USER"],
                            password=os.environ["RANKOPS_PG_PASSWORD"], dbname=os.environ["RANKOPS_PG_DB"])


@pytest.fixture
def db() -> Iterator[Any]:
    connection = connect_db()
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def launcher(*args: str, timeout: float = 600) -> str:
    """Run ./rankops with the same environment (ports, state dir) the suite runs under."""
    result = subprocess.run([str(ROOT / "rankops"), *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"./rankops {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def pid_of(service: str) -> int:
    return int((STATE / "pids" / f"{service}.pid").read_text().strip())


def record_figure(name: str, figure: dict[str, Any]) -> None:
    """Keep what a test measured under .rankops/reliability/, for docs/reliability.md."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    figure = {"test": name, "recordedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **figure}
    (FIGURES / f"{name}.json").write_text(json.dumps(figure, indent=2, sort_keys=True) + "\n")
    print(f"\n[figure] {name}: {json.dumps(figure, sort_keys=True)}")


def unique_marker() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture(autouse=True)
def forget_failed_sign_ins() -> Iterator[None]:
    """The fuzz and the security probes sign in wrongly as erin, rita and ada from loopback, which
    the API's sign-in throttle counts (and would make the next test wait): each test starts clean."""
    yield
    connection = connect_db()
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("DELETE FROM sign_in_failure")
    finally:
        connection.close()


def unreadable_partitions(window: dict[str, str]) -> None:
    """One file per day of the window that is no Parquet: POST /api/runs finds events for every day
    (it refuses windows with missing days), and extraction then fails at once with the
    non-retryable BadEventData, so the run ends FAILED in a second or two and nothing trains."""
    import datetime as dt
    import io

    from minio import Minio

    client = Minio(f"{HOST}:{os.environ['RANKOPS_MINIO_PORT']}", access_key=os.environ["RANKOPS_MINIO_USER"],
                   secret_key=os.environ["RANKOPS_MINIO_PASSWORD"], secure=False)
    day, end = dt.date.fromisoformat(window["start"]), dt.date.fromisoformat(window["end"])
    while day <= end:
        body = b"not parquet: a placeholder of the reliability suite"
        client.put_object(os.environ["RANKOPS_BUCKET"], f"events/dt={day.isoformat()}/part-0.parquet",
                          io.BytesIO(body), len(body))
        day += dt.timedelta(days=1)
