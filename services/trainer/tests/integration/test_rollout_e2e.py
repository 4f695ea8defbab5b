"""The canary rollout on the running stack: ranker, worker, MLflow, MinIO, Temporal.

Two models of known quality are trained here on the synthetic world: a good one, and the same
network with its score reversed (it ranks the likeliest purchases last). Simulated buyers shop
through the ranker while CanaryRolloutWorkflow moves traffic:

1. champion = reversed, candidate = good  -> promoted through every step; the good version
   becomes alias `champion`.
2. champion = good, candidate = reversed   -> rolled back at the first step; it never gets more
   than that step's traffic and the champion alias does not move.

It moves the aliases of the ranker's registered model, so it runs against the local stack only.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import threading
import urllib.request
import uuid
from pathlib import Path

import pytest
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from temporalio.client import Client

from rankops_trainer.config import StackSettings
from rankops_trainer.data.dataset import frame_to_data
from rankops_trainer.data.events import time_split
from rankops_world.synthetic import WorldConfig, build_world, generate_events, synthetic_feature_spec
from rankops_trainer.export_onnx import export_onnx
from rankops_world.simulate_traffic import TrafficSimulator
from rankops_trainer.storage import ObjectStore
from rankops_trainer.train import TrainConfig, train

pytestmark = pytest.mark.integration

MODEL_NAME = os.environ.get("RANKOPS_RANKER_MODEL_NAME", "rankops-ranker")
RANKER = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_RANKER_PORT']}"
ADMIN = base64.b64encode(f"{os.environ['RANKOPS_RANKER_ADMIN_USER']}:"
                         f"{os.environ['RANKOPS_RANKER_ADMIN_PASSWORD']}".encode()).decode()
FIRST_STEP = 20.0
# Short bakes and a small sample floor, so the test takes a minute or two: the rule is the
# production one (CanaryAnalysis), only the sizes are scaled down.
POLICY = {"stepsPercent": [FIRST_STEP, 50.0, 100.0], "bake": "PT6S", "minUsersPerArm": 40,
          "maxBakeExtensions": 10, "alpha": 0.01, "maxErrorRateIncrease": 0.05, "maxP99LatencyRatio": 10.0}
ROLLOUT_WITHIN_S = 300


def trained_models(tmp: Path) -> tuple[Path, Path]:
    """(good, reversed) ONNX files from one short training run."""
    config = WorldConfig.small(seed=5)
    spec = synthetic_feature_spec(config)
    splits = time_split(generate_events(build_world(config), "2026-10-01", 5))
    result = train(TrainConfig.smoke("shared_bottom", num_threads=1), frame_to_data(splits.train, spec),
                   frame_to_data(splits.validation, spec))
    good = export_onnx(result.model, tmp / "good.onnx").path
    result.model.set_score_weights(tuple(-w for w in result.model.score_weights.tolist()))
    reversed_ = export_onnx(result.model, tmp / "reversed.onnx").path
    return good, reversed_


def register(stack: StackSettings, path: Path, label: str) -> str:
    uri = ObjectStore(stack).upload(path, f"s3://{stack.bucket}/models/rollout-e2e-{label}-{uuid.uuid4().hex[:8]}/model.onnx")
    mlflow = MlflowClient(stack.mlflow_tracking_uri)
    try:
        mlflow.create_registered_model(MODEL_NAME)
    except MlflowException:
        pass  # exists already
    return mlflow.create_model_version(MODEL_NAME, uri, tags={"rankops.test": f"rollout-e2e-{label}"}).version


def admin(method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(RANKER + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Basic " + ADMIN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def serve(stack: StackSettings, champion: str, candidate: str) -> None:
    mlflow = MlflowClient(stack.mlflow_tracking_uri)
    mlflow.set_registered_model_alias(MODEL_NAME, "champion", champion)
    mlflow.set_registered_model_alias(MODEL_NAME, "candidate", candidate)
    admin("PUT", "/admin/traffic", {"candidateVersion": candidate, "candidatePercent": 0.0})
    models = admin("POST", "/admin/models/reload")
    assert models["champion"]["version"] == champion and models["candidate"]["version"] == candidate, models


def roll_out(stack: StackSettings, candidate: str, label: str) -> dict:
    """Runs the rollout while simulated buyers shop; returns the workflow's result."""
    stop = threading.Event()
    simulator = TrafficSimulator(RANKER, dt.date(2026, 11, 8), seed=hash(label) % 1000)
    shoppers = threading.Thread(target=simulator.run, args=(ROLLOUT_WITHIN_S,), kwargs={"stop": stop}, daemon=True)
    shoppers.start()

    async def run() -> dict:
        client = await Client.connect(stack.temporal_target, namespace=stack.temporal_namespace)
        workflow_id = f"rollout-e2e-{label}-{uuid.uuid4().hex[:8]}"
        return await asyncio.wait_for(client.execute_workflow(
            "CanaryRolloutWorkflow",
            {"runId": workflow_id, "modelName": MODEL_NAME, "candidateVersion": candidate, "policy": POLICY},
            id=workflow_id, task_queue="pipeline"), ROLLOUT_WITHIN_S)

    try:
        return asyncio.run(run())
    finally:
        stop.set()
        shoppers.join(timeout=30)
        assert simulator.stats.errors == 0, simulator.stats.summary()


def test_good_model_is_promoted_and_a_degraded_one_rolled_back(stack: StackSettings, tmp_path: Path) -> None:
    good_path, reversed_path = trained_models(tmp_path)
    good = register(stack, good_path, "good")
    reversed_ = register(stack, reversed_path, "reversed")
    mlflow = MlflowClient(stack.mlflow_tracking_uri)

    serve(stack, champion=reversed_, candidate=good)
    promoted = roll_out(stack, good, "promote")
    assert promoted["outcome"] == "PROMOTED", promoted["reason"]
    assert [d["trafficPercent"] for d in promoted["decisions"] if d["verdict"] == "CONTINUE"] == [FIRST_STEP, 50.0]
    assert mlflow.get_model_version_by_alias(MODEL_NAME, "champion").version == good

    serve(stack, champion=good, candidate=reversed_)
    rolled_back = roll_out(stack, reversed_, "rollback")
    assert rolled_back["outcome"] == "ROLLED_BACK", rolled_back
    assert rolled_back["maxTrafficPercent"] == FIRST_STEP
    last = rolled_back["decisions"][-1]
    assert last["verdict"] == "ROLL_BACK" and last["trafficPercent"] == FIRST_STEP
    assert last["candidateOrdersPerUser"] < last["championOrdersPerUser"]
    assert "significantly fewer orders per user" in rolled_back["reason"]
    assert mlflow.get_model_version_by_alias(MODEL_NAME, "champion").version == good
    assert admin("GET", "/admin/traffic")["candidatePercent"] == 0.0
