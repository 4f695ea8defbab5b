"""`./rankops down && ./rankops up` keeps the workflow history, MLflow data and MinIO objects,
and the ranker serves the champion it served before.

Runs last in `./rankops test`, because it restarts the whole stack.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import subprocess
import urllib.request
import uuid
from pathlib import Path

from minio import Minio
from mlflow.tracking import MlflowClient
from temporalio.client import Client, WorkflowExecutionStatus

ROOT = Path(__file__).resolve().parents[3]
HOST = os.environ["RANKOPS_HOST"]
TEMPORAL = f"{HOST}:{os.environ['RANKOPS_TEMPORAL_PORT']}"
NAMESPACE = os.environ["RANKOPS_TEMPORAL_NAMESPACE"]
MLFLOW = f"http://{HOST}:{os.environ['RANKOPS_MLFLOW_PORT']}"
# MLflow refuses anonymous clients: the suites' own account (infra/local/mlflow_accounts.py).
os.environ.setdefault("MLFLOW_TRACKING_USERNAME", os.environ["RANKOPS_MLFLOW_TEST_USER"])
os.environ.setdefault("MLFLOW_TRACKING_PASSWORD", os.environ["RANKOPS_MLFLOW_TEST_PASSWORD"])
BUCKET = os.environ["RANKOPS_BUCKET"]
RANKER = f"http://{HOST}:{os.environ['RANKOPS_RANKER_PORT']}"
MODEL = "rankops-ranker"


def minio() -> Minio:
    return Minio(f"{HOST}:{os.environ['RANKOPS_MINIO_PORT']}", access_key=os.environ["RANKOPS_MINIO_USER"],
                 secret_key=os.environ["RANKOPS_MINIO_PASSWORD"], secure=False)


async def run_probe(workflow_id: str) -> None:
    client = await Client.connect(TEMPORAL, namespace=NAMESPACE)
    await client.execute_workflow("HealthProbeWorkflow", workflow_id, id=workflow_id, task_queue="pipeline")


async def workflow_status(workflow_id: str) -> WorkflowExecutionStatus | None:
    client = await Client.connect(TEMPORAL, namespace=NAMESPACE)
    return (await client.get_workflow_handle(workflow_id).describe()).status


def launcher(command: str) -> None:
    result = subprocess.run([str(ROOT / "rankops"), command], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"./rankops {command} failed:\n{result.stdout}\n{result.stderr}"


def served_models() -> dict:
    request = urllib.request.Request(f"{RANKER}/admin/models")
    token = f"{os.environ['RANKOPS_RANKER_ADMIN_USER']}:{os.environ['RANKOPS_RANKER_ADMIN_PASSWORD']}"
    request.add_header("Authorization", "Basic " + base64.b64encode(token.encode()).decode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def champion_alias() -> str | None:
    try:
        return MlflowClient(MLFLOW).get_model_version_by_alias(MODEL, "champion").version
    except Exception:  # no registered model or no alias: a stack whose first canary has not run
        return None


def test_down_then_up_keeps_workflow_history_experiment_and_object() -> None:
    marker = uuid.uuid4().hex
    workflow_id = f"restart-{marker}"
    asyncio.run(run_probe(workflow_id))
    experiment_id = MlflowClient(MLFLOW).create_experiment(f"restart-{marker}")
    key = f"it/restart-{marker}.txt"
    minio().put_object(BUCKET, key, io.BytesIO(marker.encode()), len(marker))
    champion = champion_alias()

    launcher("down")
    launcher("up")

    # The demo's (or the browser journey's) end state: the champion alias in MLflow is what the
    # ranker serves, the baseline only while there is none; no candidate takes traffic.
    assert champion_alias() == champion
    served = served_models()
    if champion is None:
        assert served["champion"] is None and served["baselineServes"] is True, served
    else:
        assert served["champion"] and served["champion"]["version"] == str(champion), served
        assert served["baselineServes"] is False, served

    assert asyncio.run(workflow_status(workflow_id)) == WorkflowExecutionStatus.COMPLETED
    assert MlflowClient(MLFLOW).get_experiment(experiment_id).name == f"restart-{marker}"
    response = minio().get_object(BUCKET, key)
    try:
        assert response.read().decode() == marker
    finally:
        response.close()
        response.release_conn()
    minio().remove_object(BUCKET, key)
