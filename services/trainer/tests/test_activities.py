"""train_model's blocking half without a stack: object storage and MLflow are in-memory fakes.

A first attempt dies after its second checkpoint; a second attempt on a fresh worker (no local
files) resumes from the checkpoint in "object storage" and says so in its result, along with the
SHA-256 of the ONNX file it uploaded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from rankops_trainer import activities
from rankops_trainer.config import StackSettings
from rankops_trainer.contract import DatasetManifest, TrainingParams, TrainingRequest, TrainingResult

BUCKET = "rankops"


class FakeStore:
    """s3:// URIs mapped onto files under one directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, uri: str) -> Path:
        assert uri.startswith("s3://"), uri
        return self.root / uri.removeprefix("s3://")

    def download(self, uri: str, target) -> Path:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._path(uri), target)
        return target

    def upload(self, source, uri: str, content_type: str = "application/octet-stream") -> str:
        path = self._path(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        return uri

    def exists(self, uri: str) -> bool:
        return self._path(uri).exists()


class FakeMlflowRun:
    runs: dict[str, dict[str, Any]] = {}

    class _Client:
        def log_artifact(self, run_id: str, path: str, artifact_path: str | None = None) -> None:
            FakeMlflowRun.runs[run_id]["artifacts"].append(Path(path).name)

    def __init__(self, settings, run_id: str, tags: dict[str, str]) -> None:
        self.id = f"mlflow-{run_id}"
        self.client = self._Client()
        FakeMlflowRun.runs.setdefault(self.id, {"tags": dict(tags), "params": {}, "metrics": [], "artifacts": []})

    def log_params(self, params: dict[str, Any]) -> None:
        for key, value in params.items():
            self.runs[self.id]["params"].setdefault(key, str(value))

    def log_metrics(self, metrics: dict[str, float], step: int) -> None:
        self.runs[self.id]["metrics"].append((step, dict(metrics)))

    def set_tags(self, tags: dict[str, Any]) -> None:
        self.runs[self.id]["tags"].update({k: str(v) for k, v in tags.items()})


class Killed(RuntimeError):
    """Stands in for kill -9: the attempt stops where it is, nothing else runs."""


@pytest.fixture
def stack(tmp_path, monkeypatch, splits, spec) -> tuple[StackSettings, FakeStore, DatasetManifest]:
    monkeypatch.setenv("RANKOPS_STATE_DIR", str(tmp_path / "worker-1"))
    store = FakeStore(tmp_path / "s3")
    monkeypatch.setattr(activities, "ObjectStore", lambda settings: store)
    monkeypatch.setattr(activities, "MlflowRun", FakeMlflowRun)
    FakeMlflowRun.runs = {}
    dataset_dir = store.root / BUCKET / "datasets" / "ds-test"
    dataset_dir.mkdir(parents=True)
    (dataset_dir / activities.FEATURE_SPEC_FILE).write_text(json.dumps(spec.to_dict()))
    splits.train.to_parquet(dataset_dir / "train.parquet")
    splits.validation.to_parquet(dataset_dir / "validation.parquet")
    manifest = DatasetManifest(datasetId="ds-test", uri=f"s3://{BUCKET}/datasets/ds-test/", contentHash="c",
                               schemaHash="s", rowCounts={}, labelRates={})
    # _train_blocking reads only the bucket name; storage and MLflow are the fakes above.
    settings = cast(StackSettings, SimpleNamespace(bucket=BUCKET))
    return settings, store, manifest


def _request(manifest: DatasetManifest) -> TrainingRequest:
    return TrainingRequest(runId="run-resume", dataset=manifest, modelFamily="shared_bottom", regionMask=False,
                           params=TrainingParams(epochs=3, batchSize=64, learningRate=0.003, embeddingDim=4,
                                                 patience=5, seed=5),
                           device="cpu")


def test_a_retried_attempt_resumes_from_the_stored_checkpoint_and_reports_it(stack, tmp_path, monkeypatch) -> None:
    settings, store, manifest = stack
    request = _request(manifest)
    epochs_seen: list[int] = []

    def die_after_second_checkpoint(kind: str, payload: Any) -> None:
        if kind == "epoch":
            epochs_seen.append(payload.epoch)
            if payload.epoch == 2:
                raise Killed("trainer killed after epoch 2")

    with pytest.raises(Killed):
        activities._train_blocking(settings, request, die_after_second_checkpoint)
    assert store.exists(activities.checkpoint_uri(settings, request.runId))
    assert epochs_seen == [1, 2]

    # Another worker: nothing local, only what object storage kept.
    monkeypatch.setenv("RANKOPS_STATE_DIR", str(tmp_path / "worker-2"))
    resumed_epochs: list[int] = []
    result = activities._train_blocking(settings, request,
                                        lambda kind, p: resumed_epochs.append(p.epoch) if kind == "epoch" else None)

    assert isinstance(result, TrainingResult)
    assert result.resumedFromEpoch == 2
    assert resumed_epochs == [3], "epochs 1 and 2 are not trained again"
    assert result.epochsTrained == 3
    uploaded = store._path(result.onnxUri).read_bytes()
    assert result.onnxSha256 == hashlib.sha256(uploaded).hexdigest()
    tags = FakeMlflowRun.runs[result.mlflowRunId]["tags"]
    assert tags["rankops.resumed_from_epoch"] == "2"
    assert tags["rankops.onnx_sha256"] == result.onnxSha256


def test_a_fresh_attempt_reports_resumed_from_epoch_zero(stack) -> None:
    settings, store, manifest = stack
    result = activities._train_blocking(settings, _request(manifest), lambda kind, payload: None)
    assert result.resumedFromEpoch == 0
    assert len(result.onnxSha256) == 64
    assert FakeMlflowRun.runs[result.mlflowRunId]["tags"]["rankops.resumed_from_epoch"] == "0"


def test_result_fields_old_java_histories_lack_have_defaults() -> None:
    result = TrainingResult(runId="r", mlflowRunId="m", onnxUri="s3://b/k", device="cpu", epochsTrained=1,
                            bestEpoch=1, validationMetrics={})
    assert result.resumedFromEpoch == 0 and result.onnxSha256 is None
