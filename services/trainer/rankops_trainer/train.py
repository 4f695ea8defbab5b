"""Training loop: one typed config, AdamW, early stopping on validation WR@K, resumable
checkpoints, progress callbacks. No MLflow or Temporal here; the worker wires callbacks.

One loop for one process and for DistributedDataParallel: when a process group of more than
one process is up (torchrun; see distributed.py) `train()` runs data-parallel, otherwise in
this process on CUDA when present, else on the CPU. Under DDP:

- Every rank walks the *same* global batches (the permutation depends on (seed, epoch) only)
  and takes a disjoint, strided share of each batch's requests.
- Each rank's loss is its shard's row mean scaled by `rows_on_rank * world_size / rows_in_batch`.
  DDP averages gradients over ranks, so the all-reduced gradient is the gradient of the global
  batch's row mean: the single-process update, up to floating-point summation order.
- Rank 0, the master process, alone evaluates on the full validation set, decides early
  stopping (broadcast to the others), writes `last.pt` / `model.pt` and runs the callbacks;
  only it touches the checkpoint directory, so that need not be shared between nodes.

The trajectory therefore does not depend on the number of processes, and a `last.pt` resumes
under any number of them. Dropout is the exception: its masks are drawn per rank (seeded from
(seed, epoch, rank)), so with dropout > 0 runs agree statistically, not bit for bit.

CLI (smoke run on a fresh synthetic world, or on --events partitions):
    python -m rankops_trainer.train --model resflow --smoke --out /tmp/run
    torchrun --standalone --nproc-per-node 4 -m rankops_trainer.train --model resflow --events /data --out /ckpt
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Protocol

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from rankops_trainer.data.dataset import (Batch, NumericStats, RankingData, displayed_rows, frame_to_data,
                                          iter_request_shards, training_candidates)
from rankops_trainer.data.events import EventSplits
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.metrics.classification import dead_task_reason, roc_auc
from rankops_trainer.metrics.fusion import select_fusion_weights
from rankops_trainer.metrics.ranking import weighted_recall_at_k
from rankops_trainer.distributed import init_distributed, launched_by_torchrun, shutdown_distributed
from rankops_trainer.models import ModelConfig, MultiTaskModel, build_model, canonical_name, monotonic_penalty

CHECKPOINT_LAST = "last.pt"
CHECKPOINT_BEST = "best.pt"
MODEL_FILE = "model.pt"


@dataclass(frozen=True)
class TrainConfig:
    """Every training default in one place. `model` holds the architecture."""

    model_name: str = "shared_bottom"
    model: ModelConfig = field(default_factory=ModelConfig)
    # Per-task loss weights and positive-class weights, in task order; None = all 1.
    task_weights: tuple[float, ...] | None = None
    pos_weights: tuple[float, ...] | None = None
    learning_rate: float = 2e-3
    weight_decay: float = 1e-4
    epochs: int = 8
    requests_per_batch: int = 64
    max_grad_norm: float = 5.0
    # Early stopping: stop after `patience` epochs without a better validation WR@K.
    early_stopping_k: int = 10
    patience: int = 2
    eval_ks: tuple[int, ...] = (5, 10, 20)
    seed: int = 0
    device: str = "auto"  # "auto" = CUDA when available, else CPU
    bf16: bool = True  # autocast to bfloat16 on CUDA only; CPU always runs float32
    num_threads: int | None = None  # CPU intra-op threads; None = torch default
    # Cap on batches per epoch (smoke runs); None = the whole training split.
    max_batches_per_epoch: int | None = None
    eval_batch_rows: int = 16384
    progress_every_batches: int = 25
    # Pick the additive fusion weights baked into the `score` output on validation.
    select_score_weights: bool = True

    @classmethod
    def smoke(cls, model_name: str = "shared_bottom", **overrides: Any) -> "TrainConfig":
        """Finishes in well under a minute on a 2-core CPU."""
        base = cls(model_name=model_name,
                   model=ModelConfig(embedding_dim=8, hidden_dims=(64, 32), tower_dims=(16,)),
                   epochs=2, max_batches_per_epoch=40, requests_per_batch=32, patience=1)
        return replace(base, **overrides)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown train config keys: {sorted(unknown)}")
        values = dict(raw)
        values["model"] = ModelConfig.from_dict(values.get("model") or {})
        for key in ("task_weights", "pos_weights", "eval_ks"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        return cls(**values)


class ProgressCallback(Protocol):
    def __call__(self, fraction_done: float, epoch: int, loss: float, metrics: dict[str, float]) -> None: ...


EpochCallback = Callable[[int, dict[str, float]], None]


@dataclass
class TrainResult:
    model: MultiTaskModel
    config: TrainConfig
    spec: FeatureSpec
    stats: NumericStats
    history: list[dict[str, float]]
    best_epoch: int
    best_validation: dict[str, float]
    dead_tasks: dict[str, str]
    score_weights: tuple[float, ...]
    device: str
    resumed_from_epoch: int  # 0 = fresh start
    stopped_early: bool
    train_seconds: float
    samples_per_second: float
    model_path: Path | None

    def summary(self) -> dict[str, Any]:
        """What a launcher needs back, JSON-serializable."""
        return {"best_epoch": self.best_epoch, "validation": self.best_validation, "history": self.history,
                "dead_tasks": self.dead_tasks, "score_weights": list(self.score_weights),
                "model_path": str(self.model_path) if self.model_path else None, "device": self.device,
                "stopped_early": self.stopped_early, "resumed_from_epoch": self.resumed_from_epoch,
                "samples_per_second": self.samples_per_second}


def resolve_device(requested: str) -> torch.device:
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(requested)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but CUDA is not available")
    return device


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _atomic_save(obj: Any, path: Path) -> None:
    """A crash mid-write must not corrupt the checkpoint a retry resumes from."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@torch.no_grad()
def predict(model: MultiTaskModel, data: RankingData, device: torch.device,
            batch_rows: int = 16384) -> tuple[np.ndarray, np.ndarray]:
    """(probs [N, T], score [N]) in float64, in eval mode, float32 math."""
    was_training = model.training
    model.eval()
    probs, scores = [], []
    for start in range(0, len(data), batch_rows):
        rows = slice(start, start + batch_rows)
        out = model(data.cat[rows].to(device), data.num[rows].to(device))
        probs.append(out["probs"].double().cpu())
        scores.append(out["score"].double().cpu())
    model.train(was_training)
    return torch.cat(probs).numpy(), torch.cat(scores).numpy()


def validation_metrics(model: MultiTaskModel, data: RankingData, config: TrainConfig,
                       device: torch.device) -> dict[str, float]:
    probs, score = predict(model, data, device, config.eval_batch_rows)
    orders = data.task_labels("purchase")
    metrics = {f"val_wr@{k}": weighted_recall_at_k(score, orders, data.request_index, k)
               for k in sorted(set(config.eval_ks) | {config.early_stopping_k})}
    for i, task in enumerate(data.spec.tasks):
        metrics[f"val_auc_{task}"] = roc_auc(data.labels[:, i].numpy(), probs[:, i])
    return metrics


def multitask_loss(model: MultiTaskModel, out: dict[str, torch.Tensor], labels: torch.Tensor,
                   task_weights: torch.Tensor, pos_weights: torch.Tensor) -> torch.Tensor:
    per_task = F.binary_cross_entropy_with_logits(out["logits"].float(), labels, pos_weight=pos_weights,
                                                  reduction="none").mean(dim=0)
    loss = (per_task * task_weights).sum()
    if model.monotonic_penalty > 0:
        loss = loss + model.monotonic_penalty * monotonic_penalty(out["probs"].float())
    return loss


def _task_vector(values: tuple[float, ...] | None, n_tasks: int, what: str) -> torch.Tensor:
    if values is None:
        return torch.ones(n_tasks)
    if len(values) != n_tasks:
        raise ValueError(f"{what} has {len(values)} values for {n_tasks} tasks")
    return torch.tensor(values, dtype=torch.float32)


def _checkpoint_payload(model: MultiTaskModel, config: TrainConfig, spec: FeatureSpec,
                        stats: NumericStats) -> dict[str, Any]:
    return {"config": config.to_dict(), "spec": spec.to_dict(), "stats": asdict(stats),
            "model_state": model.state_dict(), "seed": config.seed}


def load_model(path: str | os.PathLike[str], map_location: str = "cpu") -> tuple[MultiTaskModel, TrainConfig]:
    """Rebuild a model from model.pt, best.pt or last.pt."""
    payload = torch.load(path, map_location=map_location, weights_only=False)
    config = TrainConfig.from_dict(payload["config"])
    spec = FeatureSpec.from_dict(payload["spec"])
    stats = NumericStats(**{k: tuple(v) for k, v in payload["stats"].items()})
    model = build_model(config.model_name, config.model, spec, stats)
    model.load_state_dict(payload["model_state"])
    model.eval()
    return model, config


@dataclass
class EpochBook:
    """What the epoch loop carries from one epoch to the next, and what last.pt stores of it."""

    history: list[dict[str, float]] = field(default_factory=list)
    best_epoch: int = 0
    best_value: float = -math.inf
    stale: int = 0
    best_state: dict[str, torch.Tensor] | None = None
    finished: bool = False
    stopped_early: bool = False

    @classmethod
    def resumed(cls, saved: dict[str, Any], keep_best_state: bool = True) -> "EpochBook":
        return cls(history=saved["history"], best_epoch=saved["best_epoch"], best_value=saved["best_value"],
                   stale=saved["stale_epochs"], best_state=saved["best_state"] if keep_best_state else None,
                   finished=saved["finished"])


def close_epoch(book: EpochBook, model: MultiTaskModel, optimizer: torch.optim.Optimizer, config: TrainConfig,
                stats: NumericStats, validation_data: RankingData, device: torch.device, last_path: Path | None,
                epoch: int, train_loss: float, epoch_start: float, on_epoch_end: EpochCallback | None,
                on_progress: ProgressCallback | None) -> None:
    """End of an epoch: validate, keep the best weights, decide on early stopping, write
    last.pt (before on_epoch_end, so the callback may ship it), then report."""
    metrics = validation_metrics(model, validation_data, config, device)
    record = {"epoch": epoch, "train_loss": train_loss, **metrics, "epoch_seconds": time.perf_counter() - epoch_start}
    book.history.append(record)
    value = metrics[f"val_wr@{config.early_stopping_k}"]
    if not math.isnan(value) and value > book.best_value:
        book.best_value, book.best_epoch, book.stale = value, epoch, 0
        book.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    else:
        book.stale += 1
    if book.stale >= config.patience and epoch < config.epochs:
        book.stopped_early = book.finished = True
    if epoch == config.epochs:
        book.finished = True
    if last_path is not None:
        _atomic_save({**_checkpoint_payload(model, config, validation_data.spec, stats),
                      "optimizer_state": optimizer.state_dict(), "epoch": epoch,
                      "history": book.history, "best_epoch": book.best_epoch, "best_value": book.best_value,
                      "stale_epochs": book.stale, "best_state": book.best_state, "finished": book.finished},
                     last_path)
    if on_epoch_end:
        on_epoch_end(epoch, record)
    if on_progress:
        on_progress(epoch / config.epochs if not book.finished else 1.0, epoch, train_loss, metrics)


def finalize_model(model: MultiTaskModel, config: TrainConfig, stats: NumericStats, validation_data: RankingData,
                   device: torch.device, ckpt_dir: Path | None, best_epoch: int,
                   best_state: dict[str, torch.Tensor] | None) -> tuple[dict[str, float], dict[str, str], Path | None]:
    """After the last epoch: the best epoch's weights, fusion weights and dead-task flags chosen
    on validation only, and model.pt. Returns (best validation metrics, dead tasks, model path)."""
    spec = validation_data.spec
    if best_state is not None:
        model.load_state_dict(best_state)
    val_probs, _ = predict(model, validation_data, device, config.eval_batch_rows)
    if config.select_score_weights:
        choice = select_fusion_weights(val_probs, validation_data.task_labels("purchase"),
                                       validation_data.request_index, config.early_stopping_k, "additive")
        model.set_score_weights(choice.weights)
    dead = {}
    for i, task in enumerate(spec.tasks):
        reason = dead_task_reason(validation_data.labels[:, i].numpy(), val_probs[:, i])
        if reason:
            dead[task] = reason
    best_validation = validation_metrics(model, validation_data, config, device)
    model_path = None
    if ckpt_dir is not None:
        model_path = ckpt_dir / MODEL_FILE
        _atomic_save({**_checkpoint_payload(model, config, spec, stats), "best_epoch": best_epoch,
                      "validation": best_validation, "dead_tasks": dead}, model_path)
    model.eval()
    return best_validation, dead, model_path


def _read_resumable(last_path: Path | None, config: TrainConfig,
                    spec: FeatureSpec) -> dict[str, Any] | ValueError | None:
    """last.pt if there is one to resume from; a refusal comes back as a value, so that under
    DDP every rank can raise it, not only the one that read the file."""
    if last_path is None or not last_path.exists():
        return None
    # CPU first: load_state_dict copies weights and optimizer state onto the model's device.
    saved = torch.load(last_path, map_location="cpu", weights_only=False)
    if saved["config"] != config.to_dict():
        return ValueError(f"{last_path} was written with a different config; refusing to resume")
    if saved["spec"] != spec.to_dict():
        return ValueError(f"{last_path} was written for a different feature spec; refusing to resume")
    return saved


def _from_master(obj: Any) -> Any:
    """Rank 0's `obj` on every rank."""
    box = [obj if dist.get_rank() == 0 else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def train(config: TrainConfig, train_data: RankingData, validation_data: RankingData, *,
          checkpoint_dir: str | os.PathLike[str] | None = None,
          on_progress: ProgressCallback | None = None,
          on_epoch_end: EpochCallback | None = None) -> TrainResult | None:
    """Train, early-stop on validation WR@K, return the best model (by validation only).

    With `checkpoint_dir`, `last.pt` (model, optimizer, epoch, config, seed, history) is
    written after every epoch and a later call with the same config resumes from it;
    `model.pt` holds the final model. Callbacks may raise to abort training.

    Under DDP every rank calls this with the same arguments; the master process (rank 0) runs
    the callbacks and gets the TrainResult, the other ranks get None. In one process the
    result is always there.
    """
    config = replace(config, model_name=canonical_name(config.model_name))
    spec = train_data.spec
    if validation_data.spec != spec:
        raise ValueError("train and validation data have different feature specs")
    ddp = dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1
    rank, world_size = (dist.get_rank(), dist.get_world_size()) if ddp else (0, 1)
    master_process = rank == 0
    device = resolve_device(config.device)
    if ddp and device.type == "cuda":
        device = torch.device("cuda", torch.cuda.current_device())  # the GPU init_distributed gave this rank
    use_bf16 = config.bf16 and device.type == "cuda"
    if config.num_threads:
        torch.set_num_threads(config.num_threads)
    ckpt_dir = Path(checkpoint_dir) if checkpoint_dir is not None and master_process else None
    last_path = ckpt_dir / CHECKPOINT_LAST if ckpt_dir else None

    seed_everything(config.seed)  # the same initial weights on every rank
    stats = NumericStats.fit(train_data)
    raw_model = build_model(config.model_name, config.model, spec, stats).to(device)
    # foreach: one fused update over all parameters instead of a Python loop per tensor.
    optimizer = torch.optim.AdamW(raw_model.parameters(), lr=config.learning_rate,
                                  weight_decay=config.weight_decay, foreach=True)
    task_weights = _task_vector(config.task_weights, len(spec.tasks), "task_weights").to(device)
    pos_weights = _task_vector(config.pos_weights, len(spec.tasks), "pos_weights").to(device)

    book = EpochBook()
    start_epoch = 1
    saved = _read_resumable(last_path, config, spec) if master_process else None
    if ddp:
        saved = _from_master(saved)
    if isinstance(saved, ValueError):
        raise saved
    if saved is not None:
        stats = NumericStats(**{k: tuple(v) for k, v in saved["stats"].items()})
        raw_model.load_state_dict(saved["model_state"])
        optimizer.load_state_dict(saved["optimizer_state"])
        book = EpochBook.resumed(saved, keep_best_state=master_process)
        start_epoch = saved["epoch"] + 1
    resumed_from = start_epoch - 1
    del saved

    # The model's buffers (feature stats, score weights) do not change while training, so
    # re-sending them before every forward would be pure overhead.
    model = DistributedDataParallel(raw_model, device_ids=[device.index] if device.type == "cuda" else None,
                                    forward_sync_buffers=False) if ddp else raw_model

    n_batches = math.ceil(train_data.n_requests / config.requests_per_batch)
    if config.max_batches_per_epoch:
        n_batches = min(n_batches, config.max_batches_per_epoch)
    trained_rows, train_time = 0, 0.0
    book.stopped_early = book.finished and start_epoch <= config.epochs
    epoch = start_epoch
    t0 = time.perf_counter()

    while not book.finished and epoch <= config.epochs:
        model.train()
        epoch_seed = config.seed * 1_000_003 + epoch
        # Batches depend on (seed, epoch) only: every rank walks the same global batches, and a
        # resumed run sees the batches the interrupted one would have.
        generator = torch.Generator().manual_seed(epoch_seed)
        # Dropout masks per rank and epoch: independent across ranks, reproducible on resume.
        torch.manual_seed(epoch_seed * 1_009 + rank)
        loss_sum = torch.zeros((), dtype=torch.float64)
        seen = 0
        epoch_start = time.perf_counter()
        for b, (rows, global_rows) in enumerate(iter_request_shards(train_data, config.requests_per_batch,
                                                                    generator, rank, world_size)):
            if b >= n_batches:
                break
            if len(rows) == 0:
                # A last batch smaller than the world: this rank still joins the gradient
                # all-reduce, with one row weighted zero.
                rows, scale = torch.zeros(1, dtype=torch.int64), 0.0
            else:
                scale = len(rows) * world_size / global_rows  # 1.0 in one process
            batch = Batch(train_data.cat[rows], train_data.num[rows], train_data.labels[rows]).to(device)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=use_bf16):
                out = model(batch.cat, batch.num)
            loss = multitask_loss(raw_model, out, batch.labels, task_weights, pos_weights) * scale
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # under DDP the gradients are all-reduced (averaged) here
            # The gradients, and so their norm, are the same on every rank now: a non-finite
            # loss anywhere stops every rank at the same batch, before the step.
            total_norm = torch.nn.utils.clip_grad_norm_(raw_model.parameters(), config.max_grad_norm or math.inf)
            if not torch.isfinite(total_norm):
                raise FloatingPointError(f"gradient norm became {total_norm.item()} (loss {loss.item()}) "
                                         f"at epoch {epoch}, batch {b}")
            optimizer.step()
            loss_sum += loss.detach().double().cpu()
            seen += 1
            trained_rows += len(rows) if scale else 0
            if (on_progress and master_process and (b + 1) % config.progress_every_batches == 0
                    and b + 1 < n_batches):
                # Under DDP this rank's share only; the epoch's loss is reduced at its end.
                on_progress(((epoch - 1) + (b + 1) / n_batches) / config.epochs, epoch, float(loss_sum) / seen, {})
        train_time += time.perf_counter() - epoch_start
        if ddp:
            dist.all_reduce(loss_sum)  # sum over ranks of the scaled losses = world_size x the batch losses
        train_loss = float(loss_sum) / world_size / max(seen, 1)

        if master_process:
            close_epoch(book, raw_model, optimizer, config, stats, validation_data, device, last_path, epoch,
                        train_loss, epoch_start, on_epoch_end, on_progress)
        if ddp:
            book.finished, book.stopped_early, book.best_epoch = _from_master(
                (book.finished, book.stopped_early, book.best_epoch))
        epoch += 1

    rows_trained = torch.tensor([trained_rows], dtype=torch.float64)
    if ddp:
        dist.all_reduce(rows_trained)
    result = None
    if master_process:
        best_validation, dead, model_path = finalize_model(raw_model, config, stats, validation_data, device,
                                                           ckpt_dir, book.best_epoch, book.best_state)
        result = TrainResult(
            model=raw_model, config=config, spec=spec, stats=stats, history=book.history,
            best_epoch=book.best_epoch, best_validation=best_validation, dead_tasks=dead,
            score_weights=tuple(float(w) for w in raw_model.score_weights.tolist()),
            device=f"{device} x{world_size} ({dist.get_backend()})" if ddp else str(device),
            resumed_from_epoch=resumed_from, stopped_early=book.stopped_early,
            train_seconds=time.perf_counter() - t0,
            samples_per_second=float(rows_trained) / train_time if train_time > 0 else 0.0,
            model_path=model_path,
        )
    if ddp:
        # Every rank leaves together: a rank that exits while rank 0 still works can make the
        # transport abort rank 0 when its connection closes.
        dist.barrier()
    return result


def train_on_splits(config: TrainConfig, splits: EventSplits, spec: FeatureSpec, **kwargs: Any) -> TrainResult | None:
    """Convenience: frames -> tensors -> train (test split untouched). Candidate-set training data
    is sampled as the pipeline samples it (`training_candidates`); validation is over the shown rows
    (`displayed_rows`), as in the pipeline."""
    return train(config, frame_to_data(training_candidates(splits.train, seed=config.seed), spec),
                 frame_to_data(displayed_rows(splits.validation), spec), **kwargs)


def _synthetic_splits(days: int) -> tuple[FeatureSpec, EventSplits]:
    """A fresh synthetic world for a run without --events. The world is a development tool, not
    part of this package: where only the production package is installed, --events is needed."""
    from rankops_trainer.data.events import time_split

    try:
        from rankops_world.synthetic import WorldConfig, build_world, generate_events, synthetic_feature_spec
    except ImportError:
        sys.exit("no --events given and the synthetic world (package rankops_world) is not installed here")
    world_config = WorldConfig()
    # Seeded: under torchrun every rank generates the same world.
    return synthetic_feature_spec(world_config), time_split(generate_events(build_world(world_config),
                                                                            "2026-01-01", days))


def main(argv: list[str] | None = None) -> None:
    from rankops_trainer.data.events import load_splits
    from rankops_trainer.data.schema import load_feature_spec
    from rankops_trainer.export_onnx import export_onnx

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="shared_bottom")
    parser.add_argument("--region-mask", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--smoke", action="store_true", help="one-minute CPU configuration")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto", help="auto (CUDA when present), cuda or cpu")
    parser.add_argument("--threads", type=int, help="CPU threads per process (1 is fastest on a busy 2-core machine)")
    parser.add_argument("--events", help="events root written by write_partitions (dt=YYYY-MM-DD partitions and "
                                         "feature_spec.json); default: a fresh synthetic world in memory")
    parser.add_argument("--days", type=int, help="synthetic days when --events is not given (default 7; smoke 3)")
    parser.add_argument("--out", required=True, help="checkpoint / model directory (written by rank 0 only)")
    parser.add_argument("--onnx", action="store_true", help="also export <out>/model.onnx")
    args = parser.parse_args(argv)

    config = TrainConfig.smoke(args.model) if args.smoke else TrainConfig(model_name=args.model)
    config = replace(config, seed=args.seed, num_threads=args.threads, device=args.device,
                     model=replace(config.model, region_mask=args.region_mask))
    if args.epochs:
        config = replace(config, epochs=args.epochs)
    if launched_by_torchrun():
        init_distributed(args.device)
    try:
        if args.events:
            spec, splits = load_feature_spec(args.events), load_splits(args.events)
        else:
            spec, splits = _synthetic_splits(args.days or (3 if args.smoke else 7))

        def progress(fraction: float, epoch: int, loss: float, metrics: dict[str, float]) -> None:
            shown = {k: round(v, 4) for k, v in metrics.items() if isinstance(v, float)}
            print(f"[{fraction:6.1%}] epoch {epoch} loss {loss:.4f} {shown if shown else ''}", flush=True)

        result = train_on_splits(config, splits, spec, checkpoint_dir=args.out, on_progress=progress)
        if result is not None:  # the master process
            if args.onnx:
                export_onnx(result.model, Path(args.out) / "model.onnx")
            shown = result.summary()
            shown.pop("history")
            print(json.dumps(shown, indent=2, default=str))
    finally:
        shutdown_distributed()


if __name__ == "__main__":
    main()
