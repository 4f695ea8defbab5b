"""Bad input: broken event partitions end a run at extraction, fast, naming file and column.

Each case seeds a window of its own, breaks one day's partition the way real logs break (bytes
that are not Parquet, a writer that dropped a column, purchases without a click), triggers a
run through the API as an engineer would and checks what the engineer sees: the run FAILED at
the extract step with a reason naming the object and the column, within seconds (no retries of
a non-retryable failure), no dataset manifest and no MLflow training run left behind.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import requests
from mlflow.tracking import MlflowClient

from conftest import API, MLFLOW, record_figure, unique_marker
from rankops_trainer.activities import MLFLOW_EXPERIMENT
from rankops_trainer.config import StackSettings
from rankops_trainer.storage import ObjectStore
from rankops_world.seed_events import seed_events

DAYS = 5
FAIL_WITHIN_S = 120


def read_partition(store: ObjectStore, uri: str) -> pa.Table:
    return pq.read_table(io.BytesIO(store.get_bytes(uri)))


def dataset_objects(store: ObjectStore, bucket: str) -> set[str]:
    return {o.object_name for o in store.client.list_objects(bucket, prefix="datasets/", recursive=True)}


def write_partition(store: ObjectStore, uri: str, table: pa.Table) -> None:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    store.put_bytes(uri, buffer.getvalue(), "application/octet-stream")


def not_parquet(store: ObjectStore, uri: str) -> None:
    store.put_bytes(uri, b"PAR1 this partition was truncated by a failed upload", "application/octet-stream")


def without_purchase_column(store: ObjectStore, uri: str) -> None:
    table = read_partition(store, uri)
    write_partition(store, uri, table.drop_columns(["purchase"]))


def purchase_without_click(store: ObjectStore, uri: str) -> None:
    table = read_partition(store, uri)
    clicks = table.column("click").to_pylist()
    purchases = table.column("purchase").to_pylist()
    row = clicks.index(0)  # a row nobody clicked ...
    purchases[row] = 1  # ... is bought anyway: the funnel is broken
    index = table.schema.get_field_index("purchase")
    write_partition(store, uri, table.set_column(index, "purchase",
                                                 pa.array(purchases, type=table.schema.field("purchase").type)))


CASES: dict[str, tuple[Callable[[ObjectStore, str], None], tuple[str, ...]]] = {
    # case: (how the partition breaks, what the reason must name besides the object key)
    "corrupt_parquet": (not_parquet, ("not a readable Parquet file",)),
    "missing_column": (without_purchase_column, ("'purchase'", "missing")),
    "broken_funnel": (purchase_without_click, ("'purchase'", "breaking the funnel")),
}


def trigger(session: requests.Session, start: dt.date) -> str:
    end = start + dt.timedelta(days=DAYS - 1)
    response = session.post(f"{API}/api/runs", json={
        "modelFamily": "shared_bottom", "window": {"start": start.isoformat(), "end": end.isoformat()},
        "params": {"epochs": 1, "batchSize": 64, "embeddingDim": 8}, "trigger": "api"}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def await_end(session: requests.Session, run_id: str) -> dict:
    deadline = time.monotonic() + FAIL_WITHIN_S
    while True:
        run = session.get(f"{API}/api/runs/{run_id}", timeout=30).json()["run"]
        if run["status"] in ("FAILED", "REJECTED", "APPROVED", "CANCELLED", "EXPIRED"):
            return run
        assert run["status"] != "AWAITING_APPROVAL", f"{run_id} trained on broken data: {run}"
        assert time.monotonic() < deadline, f"{run_id} did not end within {FAIL_WITHIN_S}s: {run}"
        time.sleep(0.5)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_partition_fails_the_run_at_extraction_naming_file_and_column(case: str, engineer) -> None:
    stack = StackSettings.from_env()
    store = ObjectStore(stack)
    marker = unique_marker()
    start = dt.date(2050, 1, 1) + dt.timedelta(days=int(marker, 16) % 20000)
    uris = seed_events(stack, start, DAYS, world="small", seed=17)
    broken_uri = uris[1]
    breaks, must_name = CASES[case]
    breaks(store, broken_uri)
    broken_key = broken_uri.removeprefix(f"s3://{stack.bucket}/")

    datasets_before = dataset_objects(store, stack.bucket)
    started = time.monotonic()
    run_id = trigger(engineer, start)
    run = await_end(engineer, run_id)
    seconds = time.monotonic() - started

    assert (run["status"], run["currentStep"]) == ("FAILED", "extract"), run
    reason = run["reason"] or ""
    for part in (broken_key, *must_name):
        assert part in reason, f"reason does not name {part!r}: {reason}"
    assert "\n" not in reason and "/tmp/" not in reason, f"reason leaks the worker's internals: {reason}"
    detail = engineer.get(f"{API}/api/runs/{run_id}", timeout=30).json()
    assert [s for s in detail["steps"] if s["step"] == "train"] == [], "training must not start"
    # Nothing half-written: no dataset object appeared, no training run in MLflow.
    assert dataset_objects(store, stack.bucket) == datasets_before
    experiment = MlflowClient(MLFLOW).get_experiment_by_name(MLFLOW_EXPERIMENT)
    if experiment is not None:
        assert MlflowClient(MLFLOW).search_runs([experiment.experiment_id],
                                                f"tags.`rankops.run_id` = '{run_id}'") == []
    record_figure(f"bad_events_{case}", {"runId": run_id, "secondsToFailure": round(seconds, 1),
                                         "reason": reason})
