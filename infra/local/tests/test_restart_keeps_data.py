"""`./rankops down && ./rankops up` keeps the workflow history, MLflow data and MinIO objects.

Runs last in `./rankops test`, because it restarts the whole stack.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
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
BUCKET = os.environ["RANKOPS_BUCKET"]


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


def test_down_then_up_keeps_workflow_history_experiment_and_object() -> None:
    marker = uuid.uuid4().hex
    workflow_id = f"restart-{marker}"
    asyncio.run(run_probe(workflow_id))
    experiment_id = MlflowClient(MLFLOW).create_experiment(f"restart-{marker}")
    key = f"it/restart-{marker}.txt"
    minio().put_object(BUCKET, key, io.BytesIO(marker.encode()), len(marker))

    launcher("down")
    launcher("up")

    assert asyncio.run(workflow_status(workflow_id)) == WorkflowExecutionStatus.COMPLETED
    assert MlflowClient(MLFLOW).get_experiment(experiment_id).name == f"restart-{marker}"
    response = minio().get_object(BUCKET, key)
    try:
        assert response.read().decode() == marker
    finally:
        response.close()
        response.release_conn()
    minio().remove_object(BUCKET, key)
