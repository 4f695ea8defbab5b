"""The trainer's side of the stack: it reaches Temporal, MinIO and MLflow with its own clients."""

from __future__ import annotations

import asyncio
import io
import uuid

import mlflow
import pytest
from minio import Minio
from mlflow.tracking import MlflowClient
from temporalio.client import Client

from rankops_trainer.config import TRAINING_TASK_QUEUE, StackSettings

pytestmark = pytest.mark.integration


def test_temporal_runs_a_workflow_that_reaches_this_trainer_worker(stack: StackSettings) -> None:
    async def probe() -> dict:
        client = await Client.connect(stack.temporal_target, namespace=stack.temporal_namespace)
        probe_id = f"trainer-it-{uuid.uuid4()}"
        return await client.execute_workflow("HealthProbeWorkflow", probe_id, id=probe_id, task_queue="pipeline")

    report = asyncio.run(probe())

    assert report["trainingWorker"]["taskQueue"] == TRAINING_TASK_QUEUE
    assert "torch" in report["trainingWorker"]["runtime"]
    assert report["pipelineWorker"]["taskQueue"] == "pipeline"


def test_minio_round_trip(stack: StackSettings) -> None:
    client = Minio(stack.minio_endpoint, access_key=stack.minio_access_key,
                   secret_key=stack.minio_secret_key, secure=False)
    key = f"it/trainer-{uuid.uuid4()}.bin"
    payload = bytes(range(256)) * 64
    client.put_object(stack.bucket, key, io.BytesIO(payload), len(payload))
    try:
        response = client.get_object(stack.bucket, key)
        try:
            assert response.read() == payload
        finally:
            response.close()
            response.release_conn()
    finally:
        client.remove_object(stack.bucket, key)


def test_mlflow_logs_metrics_and_stores_artifacts_in_minio(stack: StackSettings, tmp_path) -> None:
    mlflow.set_tracking_uri(stack.mlflow_tracking_uri)
    experiment = mlflow.set_experiment(f"it-trainer-{uuid.uuid4()}")
    report = tmp_path / "report.json"
    report.write_text('{"wr_at_10": 0.42}')
    with mlflow.start_run() as run:
        mlflow.log_metric("val_wr_at_10", 0.42, step=1)
        mlflow.log_artifact(str(report))

    client = MlflowClient(stack.mlflow_tracking_uri)
    stored = client.get_run(run.info.run_id)
    assert stored.info.experiment_id == experiment.experiment_id
    assert stored.data.metrics["val_wr_at_10"] == pytest.approx(0.42)
    # Artifacts are proxied by the server into the MLflow bucket in MinIO.
    minio = Minio(stack.minio_endpoint, access_key=stack.minio_access_key,
                  secret_key=stack.minio_secret_key, secure=False)
    keys = [o.object_name for o in minio.list_objects("mlflow", recursive=True)
            if o.object_name.endswith(f"{run.info.run_id}/artifacts/report.json")]
    assert len(keys) == 1, keys
