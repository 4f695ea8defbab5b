"""The training pipeline end to end on the running local stack.

Seeds a small synthetic world into MinIO, starts a run through the API as ada (admin), watches it
reach the approval wait (extraction in the Java worker, training and evaluation in this
trainer, registration in MLflow), sees a decide update sent straight to Temporal refused,
approves it through the API as rita, and checks what it left behind:
the dataset manifest in MinIO, the MLflow model version with its lineage tags (approved
without a canary, it is champion), the training run ended FINISHED, and the run's projection
in PostgreSQL.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import time
import urllib.error
import urllib.request
import uuid

import psycopg2
import pytest
from minio import Minio
from mlflow.tracking import MlflowClient
from temporalio.client import Client, WorkflowUpdateFailedError

from rankops_trainer.config import StackSettings
from rankops_world.seed_events import seed_events

pytestmark = pytest.mark.integration

# The local demo accounts (RANKOPS_DEMO_USERS): the admin may both start and decide, so only the
# four-eyes rule stops her approving her own run.
ADMIN = "ada"
RELEASE_MANAGER = "rita"
DAYS = 5  # three training days, one validation day, one test day
REACH_APPROVAL_WITHIN_S = 600


API = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_API_PORT']}"
PASSWORD = os.environ["RANKOPS_DEMO_PASSWORD"]


def api(method: str, path: str, user: str, body: dict | None = None) -> tuple[int, dict]:
    """The rankops API as a signed-in user (HTTP Basic, the local demo accounts)."""
    token = base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()
    request = urllib.request.Request(API + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Basic " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")


def run_request(model_name: str, start: dt.date) -> dict:
    end = start + dt.timedelta(days=DAYS - 1)
    return {
        "modelName": model_name, "modelFamily": "resflow", "regionMask": True, "trigger": "api",
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "params": {"epochs": 2, "batchSize": 32, "learningRate": 0.003, "embeddingDim": 8, "patience": 1,
                   "seed": 3, "taskLossWeights": {"purchase": 2.0}},
        "gate": {"k": 10, "minWeightedRecall": 0.1, "maxRegression": 1.0, "regionFloors": {}},
        "device": "auto", "approvalTimeoutHours": 1,
    }


async def run_until_approval(stack: StackSettings, request: dict) -> tuple[str, dict, dict]:
    """Started and decided through the API, as people do: the workflow acts only on decisions the API recorded."""
    code, started = api("POST", "/api/runs", ADMIN, request)
    assert code == 201, started
    run_id = started["id"]
    client = await Client.connect(stack.temporal_target, namespace=stack.temporal_namespace)
    handle = client.get_workflow_handle(run_id)
    deadline = time.monotonic() + REACH_APPROVAL_WITHIN_S
    status = await handle.query("status")
    while status["step"] != "AWAIT_APPROVAL":
        if status["step"] == "DONE":
            raise AssertionError(f"run ended before approval: {status}")
        assert time.monotonic() < deadline, f"no approval wait within {REACH_APPROVAL_WITHIN_S}s: {status}"
        await asyncio.sleep(0.5)
        status = await handle.query("status")

    # A decide update sent straight to Temporal, naming a release manager, decides nothing.
    with pytest.raises(WorkflowUpdateFailedError) as forged:
        await handle.execute_update("decide", {"approver": RELEASE_MANAGER, "approved": True, "comment": None,
                                               "decisionId": str(uuid.uuid4())})
    assert "was recorded" in str(forged.value.cause), forged.value.cause
    # Four eyes: the admin who triggered the run cannot approve it.
    code, refused = api("POST", f"/api/runs/{run_id}/decision", ADMIN, {"approved": True})
    assert code == 403 and "four-eyes" in refused["detail"], refused

    code, decided = api("POST", f"/api/runs/{run_id}/decision", RELEASE_MANAGER, {"approved": True, "comment": "e2e"})
    assert code == 200, decided
    return run_id, await handle.result(), status


def test_pipeline_from_events_to_an_approved_model_version(stack: StackSettings) -> None:
    marker = uuid.uuid4().hex[:10]
    model_name = f"e2e-model-{marker}"
    # A window of its own, so concurrent or repeated runs never share partitions.
    start = dt.date(2040, 1, 1) + dt.timedelta(days=int(marker, 16) % 20000)
    seed_events(stack, start, DAYS, world="small", seed=11)

    run_id, result, waiting = asyncio.run(run_until_approval(stack, run_request(model_name, start)))

    assert result["outcome"] == "APPROVED", result
    assert waiting["gate"]["passed"] is True
    assert waiting["approvalDeadlineMillis"] > 0
    assert "loss" in waiting["latestMetrics"], "per-epoch progress reached the status query"
    assert waiting["registered"]["version"] == result["registered"]["version"]

    # The dataset: manifest written last, beside the splits and the feature spec.
    dataset = result["dataset"]
    minio = Minio(stack.minio_endpoint, access_key=stack.minio_access_key, secret_key=stack.minio_secret_key,
                  secure=False)
    prefix = dataset["uri"].removeprefix(f"s3://{stack.bucket}/")
    names = {o.object_name.removeprefix(prefix) for o in minio.list_objects(stack.bucket, prefix=prefix)}
    assert {"manifest.json", "train.parquet", "validation.parquet", "test.parquet", "feature_spec.json"} <= names
    response = minio.get_object(stack.bucket, prefix + "manifest.json")
    try:
        manifest = json.loads(response.read())
    finally:
        response.close()
        response.release_conn()
    assert manifest["datasetId"] == dataset["datasetId"]
    assert set(manifest["rowCounts"]) == {"train", "validation", "test"}
    assert all(count > 0 for count in manifest["rowCounts"].values())
    assert len(manifest["sourceFiles"]) == DAYS

    # The model version: source is the served ONNX artifact, lineage in tags; approved without a
    # canary, the approval made it champion and it never held alias candidate.
    registered = result["registered"]
    mlflow = MlflowClient(stack.mlflow_tracking_uri)
    version = mlflow.get_model_version(model_name, registered["version"])
    assert version.source == result["training"]["onnxUri"]
    assert version.tags["rankops.run_id"] == run_id
    assert version.tags["rankops.dataset_id"] == dataset["datasetId"]
    assert version.tags["rankops.model_family"] == "resflow"
    assert "metric.wr_at_10" in version.tags
    assert registered["alias"] is None, "registration sets no serving alias"
    assert mlflow.get_model_version_by_alias(model_name, "champion").version == registered["version"]
    assert version.aliases == ["champion"], version.aliases
    assert mlflow.get_model_version(model_name, registered["version"]).tags["rankops.lifecycle"] == "CHAMPION"
    assert "candidate" not in mlflow.get_registered_model(model_name).aliases
    training_run = mlflow.get_run(result["training"]["mlflowRunId"])
    assert training_run.data.tags["rankops.run_id"] == run_id
    assert training_run.info.status == "FINISHED", "the pipeline ends its MLflow run"
    assert training_run.data.tags["rankops.outcome"] == "approved"
    assert "val_wr_at_10" in training_run.data.metrics or "wr_at_10" in json.dumps(training_run.data.metrics)

    # The projection the API reads: every step, in order, nothing written twice.
    with psycopg2.connect(host=os.environ["RANKOPS_HOST"], port=os.environ["RANKOPS_PG_PORT"],
                          user=os.environ["RANKOPS_PG_USER"], password=os.environ["RANKOPS_PG_PASSWORD"],
                          dbname=os.environ["RANKOPS_PG_DB"]) as db, db.cursor() as cursor:
        cursor.execute("SELECT sequence, step, status FROM run_step_event WHERE run_id = %s ORDER BY sequence",
                       (run_id,))
        rows = cursor.fetchall()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert (rows[-1][1], rows[-1][2]) == ("done", "approved")
    assert ("register", "completed") in [(r[1], r[2]) for r in rows]
