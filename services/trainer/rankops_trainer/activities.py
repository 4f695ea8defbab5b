"""The pipeline's Python activities on task queue "training": train_model and evaluate_model.

Both run the blocking PyTorch / ONNX Runtime work in a thread and keep the activity alive
from the event loop: heartbeats carry progress, and the workflow gets a `trainingProgress`
signal per epoch for its status query. Training checkpoints go to object storage after every
epoch, so a retried attempt (on this or another worker) resumes where the last one stopped.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import torch
from minio.error import S3Error
from temporalio import activity
from temporalio.exceptions import ApplicationError

from rankops_trainer.config import StackSettings, mlflow_client
from rankops_trainer.contract import (CounterfactualEstimate, DatasetManifest, EvaluationReport, EvaluationRequest,
                                      ModelScores, TrainingProgress, TrainingRequest, TrainingResult)
from rankops_trainer import names
from rankops_trainer.data import item_snapshot
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.metrics.prerank import EngagementWeights
from rankops_trainer.models import ModelConfig, canonical_name
from rankops_trainer.storage import ObjectStore, join_uri

log = logging.getLogger(__name__)

# Failure types the workflow's retry policies treat as final (FailureTypes in Java, via names.py).
BAD_EVENT_DATA = names.BAD_EVENT_DATA
BAD_MODEL_ARTIFACT = names.BAD_MODEL_ARTIFACT
BAD_TRAINING_CONFIG = names.BAD_TRAINING_CONFIG

MLFLOW_EXPERIMENT = names.TRAINING_EXPERIMENT
SPLITS = ("train", "validation", "test")
FEATURE_SPEC_FILE = "feature_spec.json"
# Heartbeat at least this often while work runs, so slow steps (export, download) are not
# mistaken for a dead worker; a killed worker misses the 45 s heartbeat timeout
# (ActivityPolicies.TRAINER_HEARTBEAT in Java) and its retry resumes from the checkpoint.
KEEPALIVE_SECONDS = 10.0
DEVICE_BY_REQUEST = {"auto": "auto", "cpu": "cpu", "gpu": "cuda"}


def work_dir(run_id: str) -> Path:
    root = Path(os.environ.get("RANKOPS_STATE_DIR") or tempfile.gettempdir()) / "trainer" / "runs"
    return root / run_id


def checkpoint_uri(settings: StackSettings, run_id: str) -> str:
    return f"s3://{settings.bucket}/runs/{run_id}/checkpoints/last.pt"


def model_uri(settings: StackSettings, run_id: str) -> str:
    return f"s3://{settings.bucket}/models/{run_id}/model.onnx"


def report_uri(settings: StackSettings, run_id: str) -> str:
    return f"s3://{settings.bucket}/reports/{run_id}/evaluation.json"


class _Cancelled(Exception):
    """Raised inside the training thread when the activity has been cancelled."""


class LoadedDataset:
    def __init__(self, spec: FeatureSpec, frames: dict[str, pd.DataFrame]) -> None:
        self.spec = spec
        self.frames = frames


def load_dataset(store: ObjectStore, manifest: DatasetManifest, into: Path,
                 splits: tuple[str, ...] = SPLITS) -> LoadedDataset:
    """Download the dataset's splits and feature spec; missing or unreadable files are bad data."""
    local: dict[str, pd.DataFrame] = {}
    spec_uri = join_uri(manifest.uri, FEATURE_SPEC_FILE)
    try:
        spec_path = store.download(spec_uri, into / FEATURE_SPEC_FILE)
        spec = FeatureSpec.from_dict(json.loads(spec_path.read_text()))
    except (KeyError, TypeError, ValueError) as e:
        raise ApplicationError(f"{spec_uri}: unreadable feature spec: {e}", type=BAD_EVENT_DATA,
                               non_retryable=True) from e
    for split in splits:
        uri = join_uri(manifest.uri, f"{split}.parquet")
        path = store.download(uri, into / f"{split}.parquet")
        try:
            local[split] = pd.read_parquet(path)
        except Exception as e:  # pyarrow raises several types for a corrupt file
            raise ApplicationError(f"{uri}: unreadable Parquet: {e}", type=BAD_EVENT_DATA,
                                   non_retryable=True) from e
    return LoadedDataset(spec, local)


def train_config_for(request: TrainingRequest, spec: FeatureSpec):
    from rankops_trainer.train import TrainConfig

    try:
        family = canonical_name(request.modelFamily)
    except (KeyError, ValueError) as e:
        raise ApplicationError(f"modelFamily: {e}", type=BAD_TRAINING_CONFIG, non_retryable=True) from e
    device = DEVICE_BY_REQUEST.get(request.device)
    if device is None:
        raise ApplicationError(f"device: {request.device!r} is not one of {sorted(DEVICE_BY_REQUEST)}",
                               type=BAD_TRAINING_CONFIG, non_retryable=True)
    if device == "cuda" and not torch.cuda.is_available():
        raise ApplicationError("device: gpu requested but this trainer has no CUDA device",
                               type=BAD_TRAINING_CONFIG, non_retryable=True)
    weights = request.params.taskLossWeights or {}
    unknown = set(weights) - set(spec.tasks)
    if unknown:
        raise ApplicationError(f"params.taskLossWeights: unknown tasks {sorted(unknown)}; tasks are {list(spec.tasks)}",
                               type=BAD_TRAINING_CONFIG, non_retryable=True)
    params = request.params
    return TrainConfig(
        model_name=family,
        model=ModelConfig(embedding_dim=params.embeddingDim, region_mask=request.regionMask),
        task_weights=tuple(float(weights.get(t, 1.0)) for t in spec.tasks),
        learning_rate=params.learningRate,
        epochs=params.epochs,
        requests_per_batch=params.batchSize,
        patience=params.patience,
        seed=params.seed,
        device=device,
    )


class MlflowRun:
    """The run's MLflow run, found again by tag on a retry so metrics land in one place."""

    def __init__(self, settings: StackSettings, run_id: str, tags: dict[str, str]) -> None:
        self.client = mlflow_client(settings)
        experiment = self.client.get_experiment_by_name(MLFLOW_EXPERIMENT)
        experiment_id = experiment.experiment_id if experiment else self.client.create_experiment(MLFLOW_EXPERIMENT)
        found = self.client.search_runs([experiment_id], filter_string=f"tags.`{names.RUN_ID_TAG}` = '{run_id}'",
                                        max_results=1)
        if found:
            self.id = found[0].info.run_id
        else:
            self.id = self.client.create_run(experiment_id, run_name=run_id,
                                             tags={names.RUN_ID_TAG: run_id, **tags}).info.run_id

    def log_params(self, params: dict[str, Any]) -> None:
        existing = self.client.get_run(self.id).data.params
        for key, value in params.items():
            if key not in existing:
                self.client.log_param(self.id, key, str(value)[:500])

    def set_tags(self, tags: dict[str, Any]) -> None:
        """Tags, unlike params, may change: a later attempt overwrites what an earlier one said."""
        for key, value in tags.items():
            self.client.set_tag(self.id, key, str(value))

    def log_metrics(self, metrics: dict[str, float], step: int) -> None:
        for key, value in metrics.items():
            if isinstance(value, (int, float)) and value == value:  # NaN is not loggable
                self.client.log_metric(self.id, key.replace("@", "_at_"), float(value), step=step)


async def _run_with_heartbeats(work: Callable[[Callable[[str, Any], None]], Any]) -> Any:
    """Run blocking `work(emit)` in a thread; `emit` reaches the activity from that thread."""
    loop = asyncio.get_running_loop()
    events: asyncio.Queue = asyncio.Queue()
    cancelled = threading.Event()

    def emit(kind: str, payload: Any) -> None:
        if cancelled.is_set():
            raise _Cancelled()
        loop.call_soon_threadsafe(events.put_nowait, (kind, payload))

    workflow = activity.client().get_workflow_handle(activity.info().workflow_id)

    async def pump() -> None:
        # Runs in the activity's context, where heartbeat() is allowed.
        while True:
            try:
                kind, payload = await asyncio.wait_for(events.get(), KEEPALIVE_SECONDS)
            except asyncio.TimeoutError:
                activity.heartbeat()
                continue
            activity.heartbeat(payload)
            if kind == "epoch":
                try:
                    await workflow.signal("trainingProgress", payload)
                except Exception:  # progress is best effort; the activity result is what counts
                    log.warning("could not signal progress to %s", activity.info().workflow_id, exc_info=True)

    pumping = asyncio.create_task(pump())
    try:
        return await asyncio.to_thread(work, emit)
    except asyncio.CancelledError:
        cancelled.set()
        raise
    finally:
        pumping.cancel()


def _train_blocking(settings: StackSettings, request: TrainingRequest, emit: Callable[[str, Any], None]) -> TrainingResult:
    from rankops_trainer.data.dataset import displayed_rows, frame_to_data, training_candidates
    from rankops_trainer.export_onnx import export_onnx
    from rankops_trainer.train import train

    store = ObjectStore(settings)
    here = work_dir(request.runId)
    data = load_dataset(store, request.dataset, here / "data", splits=("train", "validation"))
    config = train_config_for(request, data.spec)
    try:
        # Candidate sets: shown rows plus sampled unshown ones (docs/data.md); validation on what was shown.
        train_data = frame_to_data(training_candidates(data.frames["train"], seed=request.params.seed), data.spec)
        validation_data = frame_to_data(displayed_rows(data.frames["validation"]), data.spec)
    except ValueError as e:
        raise ApplicationError(f"{request.dataset.uri}: {e}", type=BAD_EVENT_DATA, non_retryable=True) from e

    checkpoints = here / "checkpoints"
    remote_checkpoint = checkpoint_uri(settings, request.runId)
    if not (checkpoints / "last.pt").exists() and store.exists(remote_checkpoint):
        store.download(remote_checkpoint, checkpoints / "last.pt")
        log.info("run %s resumes from %s", request.runId, remote_checkpoint)

    mlflow_run = MlflowRun(settings, request.runId, {names.DATASET_ID_TAG: request.dataset.datasetId,
                                                     names.MODEL_FAMILY_TAG: config.model_name})
    mlflow_run.log_params({"model_family": config.model_name, "region_mask": request.regionMask,
                           "dataset_id": request.dataset.datasetId, **dataclasses.asdict(request.params)})

    def on_progress(fraction: float, epoch: int, loss: float, metrics: dict[str, float]) -> None:
        emit("progress", {"fraction": fraction, "epoch": epoch, "loss": loss})

    def on_epoch_end(epoch: int, record: dict[str, float]) -> None:
        store.upload(checkpoints / "last.pt", remote_checkpoint)
        mlflow_run.log_metrics(record, step=epoch)
        metrics = {k: float(v) for k, v in record.items() if k not in ("epoch",) and isinstance(v, (int, float))}
        emit("epoch", TrainingProgress(fraction=epoch / config.epochs, epoch=epoch,
                                       loss=float(record.get("train_loss", float("nan"))), metrics=metrics))

    try:
        result = train(config, train_data, validation_data, checkpoint_dir=checkpoints,
                       on_progress=on_progress, on_epoch_end=on_epoch_end)
    except ValueError as e:
        raise ApplicationError(f"training configuration: {e}", type=BAD_TRAINING_CONFIG, non_retryable=True) from e

    onnx_path = here / "model.onnx"
    export_onnx(result.model, onnx_path, metadata={"rankops.run_id": request.runId,
                                                   "rankops.dataset_id": request.dataset.datasetId})
    onnx_sha256 = file_sha256(onnx_path)
    uri = store.upload(onnx_path, model_uri(settings, request.runId))
    mlflow_run.client.log_artifact(mlflow_run.id, str(onnx_path), artifact_path="model")
    best = {k: float(v) for k, v in result.best_validation.items() if isinstance(v, (int, float))}
    mlflow_run.log_metrics({f"best_{k}": v for k, v in best.items()}, step=result.best_epoch)
    mlflow_run.set_tags({"rankops.resumed_from_epoch": result.resumed_from_epoch, names.ONNX_SHA256_TAG: onnx_sha256})
    if result.resumed_from_epoch:
        log.info("run %s resumed from epoch %d", request.runId, result.resumed_from_epoch)
    return TrainingResult(runId=request.runId, mlflowRunId=mlflow_run.id, onnxUri=uri, device=result.device,
                          epochsTrained=len(result.history), bestEpoch=result.best_epoch, validationMetrics=best,
                          resumedFromEpoch=result.resumed_from_epoch, onnxSha256=onnx_sha256)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _present(values: dict[Any, Any]) -> dict[str, float]:
    """Metrics the report could not compute (e.g. a region without orders) are None: left out."""
    return {str(k): float(v) for k, v in values.items() if v is not None}


def _scores(section: dict[str, Any]) -> ModelScores:
    metrics = section["metrics"]
    prerank = metrics.get("prerank_wr_at_k")
    estimate = (metrics.get("counterfactual") or {}).get("orders_per_request")
    return ModelScores(
        weightedRecallAtK=_present(metrics["wr_at_k"]),
        auc=_present(metrics["auc"]),
        regionWeightedRecallAtK={region: _present(stats["wr_at_k"])
                                 for region, stats in metrics["per_region"].items()},
        prerankWeightedRecallAtK=None if prerank is None else _present(prerank),
        regionPrerankWeightedRecallAtK=None if prerank is None else {
            region: _present(stats.get("prerank_wr_at_k") or {}) for region, stats in metrics["per_region"].items()},
        counterfactual=None if estimate is None else CounterfactualEstimate(
            ips=estimate.get("ips"), snips=estimate.get("snips"), ci95Low=estimate.get("ci95_low"),
            ci95High=estimate.get("ci95_high"), clip=estimate.get("clip"), logged=estimate.get("logged"),
            nRequests=estimate.get("n_requests")),
    )


def _usable_model(store: ObjectStore, uri: str, target: Path, role: str) -> Path:
    """Download a model and open it once; a missing or corrupt artifact is final, not retried."""
    from rankops_trainer.evaluate import OnnxRanker

    try:
        path = store.download(uri, target)
    except S3Error as e:
        if e.code in ("NoSuchKey", "NoSuchBucket"):
            raise ApplicationError(f"{role} model {uri} does not exist", type=BAD_MODEL_ARTIFACT,
                                   non_retryable=True) from e
        raise
    try:
        OnnxRanker(path)
    except Exception as e:  # ONNX Runtime raises its own types for a corrupt file
        raise ApplicationError(f"{role} model {uri} is not a usable rankops ONNX model: {e}",
                               type=BAD_MODEL_ARTIFACT, non_retryable=True) from e
    return path


def _evaluate_blocking(settings: StackSettings, request: EvaluationRequest,
                       emit: Callable[[str, Any], None]) -> EvaluationReport:
    from rankops_trainer.evaluate import evaluate_onnx

    store = ObjectStore(settings)
    here = work_dir(request.runId) / "evaluation"
    data = load_dataset(store, request.dataset, here / "data", splits=("validation", "test"))
    # Scored with the item features the ranker will serve with this model (its item snapshot).
    try:
        data.frames.update(item_snapshot.served_item_features(store, request.dataset, data.spec, data.frames,
                                                              here / "data"))
    except ValueError as e:  # bytes that are not the manifest's, or a snapshot without the model's features
        raise ApplicationError(f"dataset {request.dataset.datasetId}: {e}", type=BAD_EVENT_DATA,
                               non_retryable=True) from e
    emit("progress", {"stage": "data loaded"})
    candidate = _usable_model(store, request.candidateOnnxUri, here / "candidate.onnx", "candidate")
    champion = (_usable_model(store, request.championOnnxUri, here / "champion.onnx", "champion")
                if request.championOnnxUri else None)
    ks = sorted(set(request.ks))
    fusion_k = 10 if 10 in ks else ks[0]
    try:
        weights = EngagementWeights.from_dict(request.engagementWeights)
    except ValueError as e:
        raise ApplicationError(f"gate.engagementWeights of run {request.runId}: {e}", type=BAD_TRAINING_CONFIG,
                               non_retryable=True) from e
    report = evaluate_onnx(candidate, data.frames["test"], validation=data.frames["validation"],
                           champion_path=champion, ks=ks, fusion_k=fusion_k, engagement_weights=weights)
    emit("progress", {"stage": "scored"})
    uri = store.put_bytes(report_uri(settings, request.runId), json.dumps(report, indent=2).encode(),
                          "application/json")
    if request.mlflowRunId:
        client = mlflow_client(settings)
        client.log_dict(request.mlflowRunId, report, "evaluation/report.json")
        for k, v in _present(report["candidate"]["metrics"]["wr_at_k"]).items():
            client.log_metric(request.mlflowRunId, f"test_wr_at_{k}", v)
    fusion = report["candidate"]["fusion"]
    chosen = fusion.get("better_on_validation", "additive")
    return EvaluationReport(
        reportUri=uri,
        candidate=_scores(report["candidate"]),
        champion=_scores(report["champion"]) if "champion" in report else None,
        fusion="additive" if chosen == "tie" else chosen,
        deadTasks=sorted(report["candidate"]["metrics"]["dead_tasks"]),
    )


@activity.defn(name="train_model")
async def train_model(request: TrainingRequest) -> TrainingResult:
    settings = StackSettings.from_env()
    return await _run_with_heartbeats(lambda emit: _train_blocking(settings, request, emit))


@activity.defn(name="evaluate_model")
async def evaluate_model(request: EvaluationRequest) -> EvaluationReport:
    settings = StackSettings.from_env()
    return await _run_with_heartbeats(lambda emit: _evaluate_blocking(settings, request, emit))
