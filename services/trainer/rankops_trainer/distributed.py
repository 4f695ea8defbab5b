"""Data-parallel training on several GPUs (or CPU processes) with DistributedDataParallel.

Launched by torchrun, one process per GPU:

    torchrun --standalone --nproc-per-node 4 -m rankops_trainer.distributed --model resflow --out /ckpt
    torchrun --standalone --nproc-per-node 2 -m rankops_trainer.distributed --smoke --device cpu --out /tmp/ddp

Same config, model, loss, optimizer, early stopping and checkpoint format as `train.train()`;
what changes is who computes which part of each batch:

- Every rank walks the *same* global batches (the permutation depends on (seed, epoch) only,
  exactly as in `train()`) and takes a disjoint, strided share of each batch's requests.
- Each rank's loss is its shard's row mean scaled by `rows_on_rank * world_size / rows_in_batch`.
  DDP averages gradients over ranks, so the all-reduced gradient is the gradient of the global
  batch's row mean: the single-process update, up to floating-point summation order. Clipping
  and the optimizer step then run on identical gradients on every rank.
- Rank 0 alone evaluates on the full validation set, decides early stopping (broadcast to the
  others), and writes `last.pt` / `model.pt`; only rank 0 touches the checkpoint directory, so
  it need not be shared between nodes.

The trajectory therefore does not depend on the number of processes, and a `last.pt` written
here resumes under `train()` and the other way round. Dropout is the exception: its masks are
drawn per rank (seeded from (seed, epoch, rank)), so with dropout > 0 runs agree statistically,
not bit for bit.

NCCL on CUDA, gloo on CPU. Without torchrun's environment (RANK, WORLD_SIZE, ...) the CLI
runs as a world of one.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from rankops_trainer.data.dataset import NumericStats, RankingData, frame_to_data
from rankops_trainer.models import build_model, canonical_name
from rankops_trainer.train import (CHECKPOINT_LAST, EpochBook, EpochCallback, ProgressCallback, TrainConfig,
                                   TrainResult, _task_vector, close_epoch, finalize_model, multitask_loss,
                                   seed_everything)

# Rank 0 evaluates while the others wait in a collective; a long validation must not trip the
# process group's timeout (NCCL's default is 10 minutes).
DEFAULT_TIMEOUT = datetime.timedelta(minutes=60)


@dataclass(frozen=True)
class DistContext:
    rank: int
    world_size: int
    local_rank: int
    device: torch.device
    backend: str

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def pick_backend(device: torch.device) -> str:
    return "nccl" if device.type == "cuda" else "gloo"


def init_distributed(device_request: str = "auto", *, init_method: str | None = None, rank: int | None = None,
                     world_size: int | None = None, local_rank: int | None = None,
                     timeout: datetime.timedelta = DEFAULT_TIMEOUT) -> DistContext:
    """Join the process group. Defaults come from torchrun's environment (RANK, WORLD_SIZE,
    LOCAL_RANK, MASTER_ADDR, MASTER_PORT); tests pass them explicitly."""
    rank = int(os.environ.get("RANK", 0)) if rank is None else rank
    world_size = int(os.environ.get("WORLD_SIZE", 1)) if world_size is None else world_size
    local_rank = int(os.environ.get("LOCAL_RANK", rank)) if local_rank is None else local_rank
    if device_request == "auto":
        device_request = "cuda" if torch.cuda.is_available() else "cpu"
    if device_request.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError("device 'cuda' requested but CUDA is not available")
        if local_rank >= torch.cuda.device_count():
            raise ValueError(f"local rank {local_rank} has no GPU: this node has {torch.cuda.device_count()}; "
                             "start torchrun with --nproc-per-node at most the GPU count")
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    backend = pick_backend(device)
    if not dist.is_initialized():
        kwargs: dict[str, Any] = {"backend": backend, "rank": rank, "world_size": world_size, "timeout": timeout}
        if init_method is not None:
            kwargs["init_method"] = init_method
        elif "MASTER_ADDR" not in os.environ:
            if world_size != 1:
                raise ValueError("WORLD_SIZE > 1 without MASTER_ADDR: launch with torchrun")
            # A world of one still goes through DDP, so the code path is the same; loopback only.
            kwargs["init_method"] = f"tcp://127.0.0.1:{_free_port()}"
        if backend == "nccl":
            kwargs["device_id"] = device
        dist.init_process_group(**kwargs)
    return DistContext(rank=dist.get_rank(), world_size=dist.get_world_size(), local_rank=local_rank,
                       device=device, backend=backend)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def shutdown_distributed() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def shard_rows(data: RankingData, order: np.ndarray, rank: int, world_size: int) -> tuple[np.ndarray, int]:
    """Row ids of this rank's requests in one global batch (`order` = the batch's request ids,
    in permuted order): requests rank, rank + W, rank + 2W, ... Returns (rows, rows in the whole batch)."""
    starts, ends = data.request_offsets[:-1], data.request_offsets[1:]
    global_rows = int((ends[order] - starts[order]).sum())
    mine = order[rank::world_size]
    lengths = ends[mine] - starts[mine]
    rows = np.repeat(starts[mine] - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(lengths.sum())
    return rows.astype(np.int64), global_rows


def iter_sharded_batches(data: RankingData, requests_per_batch: int, generator: torch.Generator, rank: int,
                         world_size: int) -> Iterator[tuple[torch.Tensor, int]]:
    """The global batches of `iter_request_batches(..., shuffle=True)` (same permutation for the
    same generator), each as (this rank's row ids, rows in the global batch)."""
    order = torch.randperm(data.n_requests, generator=generator).numpy()
    for first in range(0, data.n_requests, requests_per_batch):
        rows, global_rows = shard_rows(data, order[first:first + requests_per_batch], rank, world_size)
        yield torch.from_numpy(rows), global_rows


def _broadcast(obj: Any, ctx: DistContext) -> Any:
    box = [obj if ctx.is_main else None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def train_distributed(config: TrainConfig, train_data: RankingData, validation_data: RankingData, ctx: DistContext,
                      *, checkpoint_dir: str | os.PathLike[str] | None = None,
                      on_progress: ProgressCallback | None = None,
                      on_epoch_end: EpochCallback | None = None) -> TrainResult | None:
    """`train()` across the process group. Every rank calls it with the same arguments; rank 0
    gets the TrainResult (and runs the callbacks), the others get None."""
    config = replace(config, model_name=canonical_name(config.model_name))
    spec = train_data.spec
    if validation_data.spec != spec:
        raise ValueError("train and validation data have different feature specs")
    device = ctx.device
    use_bf16 = config.bf16 and device.type == "cuda"
    if config.num_threads:
        torch.set_num_threads(config.num_threads)
    ckpt_dir = Path(checkpoint_dir) if checkpoint_dir is not None else None
    last_path = ckpt_dir / CHECKPOINT_LAST if ckpt_dir else None

    seed_everything(config.seed)  # same initial weights on every rank (DDP also broadcasts rank 0's)
    stats = NumericStats.fit(train_data)
    model = build_model(config.model_name, config.model, spec, stats).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate,
                                  weight_decay=config.weight_decay, foreach=True)
    task_weights = _task_vector(config.task_weights, len(spec.tasks), "task_weights").to(device)
    pos_weights = _task_vector(config.pos_weights, len(spec.tasks), "pos_weights").to(device)

    book = EpochBook()
    start_epoch = 1
    # Only rank 0 reads the checkpoint; the others get it over the process group.
    saved = None
    if ctx.is_main and last_path is not None and last_path.exists():
        saved = torch.load(last_path, map_location="cpu", weights_only=False)
        if saved["config"] != config.to_dict():
            saved = ValueError(f"{last_path} was written with a different config; refusing to resume")
        elif saved["spec"] != spec.to_dict():
            saved = ValueError(f"{last_path} was written for a different feature spec; refusing to resume")
    saved = _broadcast(saved, ctx)
    if isinstance(saved, ValueError):
        raise saved
    if saved is not None:
        stats = NumericStats(**{k: tuple(v) for k, v in saved["stats"].items()})
        model.load_state_dict(saved["model_state"])
        optimizer.load_state_dict(saved["optimizer_state"])
        book = EpochBook.resumed(saved, keep_best_state=ctx.is_main)
        start_epoch = saved["epoch"] + 1
    resumed_from = start_epoch - 1
    del saved

    # The model's buffers (feature stats, score weights) do not change while training, so
    # re-sending them before every forward would be pure overhead.
    ddp = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None,
                                  forward_sync_buffers=False)

    n_batches = math.ceil(train_data.n_requests / config.requests_per_batch)
    if config.max_batches_per_epoch:
        n_batches = min(n_batches, config.max_batches_per_epoch)
    trained_rows, train_time = 0, 0.0
    book.stopped_early = book.finished and start_epoch <= config.epochs
    epoch = start_epoch
    t0 = time.perf_counter()

    while not book.finished and epoch <= config.epochs:
        ddp.train()
        generator = torch.Generator().manual_seed(config.seed * 1_000_003 + epoch)  # as in train()
        # Dropout masks per rank and epoch: independent across ranks, reproducible on resume.
        torch.manual_seed((config.seed * 1_000_003 + epoch) * 1_009 + ctx.rank)
        loss_sum = torch.zeros((), dtype=torch.float64)
        seen = 0
        epoch_start = time.perf_counter()
        for b, (rows, global_rows) in enumerate(iter_sharded_batches(train_data, config.requests_per_batch,
                                                                     generator, ctx.rank, ctx.world_size)):
            if b >= n_batches:
                break
            if len(rows) == 0:
                # A last batch smaller than the world: this rank still joins the gradient
                # all-reduce, with one row weighted zero.
                rows, scale = torch.zeros(1, dtype=torch.int64), 0.0
            else:
                scale = len(rows) * ctx.world_size / global_rows
            cat, num = train_data.cat[rows].to(device), train_data.num[rows].to(device)
            labels = train_data.labels[rows].to(device)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=use_bf16):
                out = ddp(cat, num)
            loss = multitask_loss(model, out, labels, task_weights, pos_weights) * scale
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # DDP all-reduces (averages) the gradients here
            # Gradients are identical on every rank now, so is their norm: a non-finite loss
            # anywhere stops every rank at the same batch instead of leaving the others hanging.
            total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm or math.inf)
            if not torch.isfinite(total_norm):
                raise FloatingPointError(f"gradient became {total_norm.item()} at epoch {epoch}, batch {b}")
            optimizer.step()
            loss_sum += loss.detach().double().cpu()
            seen += 1
            trained_rows += len(rows) if scale else 0
            if (on_progress and ctx.is_main and (b + 1) % config.progress_every_batches == 0
                    and b + 1 < n_batches):
                # This rank's share only; the exact epoch loss is reduced at the end of the epoch.
                on_progress(((epoch - 1) + (b + 1) / n_batches) / config.epochs, epoch,
                            float(loss_sum) / seen, {})
        train_time += time.perf_counter() - epoch_start
        # Sum over ranks of the scaled losses / world size = the global batch's loss.
        dist.all_reduce(loss_sum)
        train_loss = float(loss_sum) / ctx.world_size / max(seen, 1)

        decision = None
        if ctx.is_main:
            close_epoch(book, model, optimizer, config, stats, validation_data, device, last_path, epoch,
                        train_loss, epoch_start, on_epoch_end, on_progress)
            decision = (book.finished, book.stopped_early, book.best_epoch)
        book.finished, book.stopped_early, book.best_epoch = _broadcast(decision, ctx)
        epoch += 1

    rows_tensor = torch.tensor([trained_rows], dtype=torch.float64)
    dist.all_reduce(rows_tensor)
    result = None
    if ctx.is_main:
        result = _finish(model, config, spec, stats, validation_data, device, ckpt_dir, book.history,
                         book.best_epoch, book.best_state, ctx, resumed_from, book.stopped_early, t0,
                         float(rows_tensor) / train_time if train_time > 0 else 0.0)
    # Every rank leaves together: a rank that exits while rank 0 still works can make the
    # transport abort rank 0 when its connection closes.
    dist.barrier()
    return result


def _finish(model, config: TrainConfig, spec, stats: NumericStats, validation_data: RankingData,
            device: torch.device, ckpt_dir: Path | None, history: list[dict[str, float]], best_epoch: int,
            best_state: dict[str, torch.Tensor] | None, ctx: DistContext, resumed_from: int,
            stopped_early: bool, t0: float, samples_per_second: float) -> TrainResult:
    """Rank 0: the best epoch's weights, fusion weights and the final model.pt, as in train()."""
    best_validation, dead, model_path = finalize_model(model, config, stats, validation_data, device, ckpt_dir,
                                                       best_epoch, best_state)
    return TrainResult(
        model=model, config=config, spec=spec, stats=stats, history=history, best_epoch=best_epoch,
        best_validation=best_validation, dead_tasks=dead,
        score_weights=tuple(float(w) for w in model.score_weights.tolist()),
        device=f"{device} x{ctx.world_size} ({ctx.backend})", resumed_from_epoch=resumed_from,
        stopped_early=stopped_early, train_seconds=time.perf_counter() - t0,
        samples_per_second=samples_per_second, model_path=model_path,
    )


def summary(result: TrainResult) -> dict[str, Any]:
    """What a launcher needs back from rank 0, JSON-serializable."""
    return {"best_epoch": result.best_epoch, "validation": result.best_validation, "history": result.history,
            "dead_tasks": result.dead_tasks, "score_weights": list(result.score_weights),
            "model_path": str(result.model_path) if result.model_path else None, "device": result.device,
            "stopped_early": result.stopped_early, "resumed_from_epoch": result.resumed_from_epoch,
            "samples_per_second": result.samples_per_second}


def spawn_worker(rank: int, world_size: int, init_method: str, config: dict[str, Any], train_data: RankingData,
                 validation_data: RankingData, checkpoint_dir: str | None, results: Any) -> None:
    """Entry point for torch.multiprocessing.spawn (tests, single-node runs without torchrun)."""
    torch.set_num_threads(1)
    ctx = init_distributed("cpu", init_method=init_method, rank=rank, world_size=world_size, local_rank=rank)
    try:
        result = train_distributed(TrainConfig.from_dict(config), train_data, validation_data, ctx,
                                   checkpoint_dir=checkpoint_dir)
        if result is not None:
            results.put(json.dumps(summary(result), default=float))
    finally:
        shutdown_distributed()


def spawn_cpu(config: TrainConfig, train_data: RankingData, validation_data: RankingData, nprocs: int, *,
              checkpoint_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Run `train_distributed` in `nprocs` local CPU processes (gloo over 127.0.0.1); rank 0's summary."""
    import torch.multiprocessing as mp

    context = mp.get_context("spawn")
    results = context.SimpleQueue()
    init_method = f"tcp://127.0.0.1:{_free_port()}"
    mp.spawn(spawn_worker, nprocs=nprocs, join=True,
             args=(nprocs, init_method, config.to_dict(), train_data, validation_data,
                   str(checkpoint_dir) if checkpoint_dir else None, results))
    return json.loads(results.get())


def main(argv: list[str] | None = None) -> None:
    from rankops_trainer.data.events import load_splits, time_split
    from rankops_trainer.data.schema import load_feature_spec
    from rankops_trainer.data.synthetic import WorldConfig, build_world, generate_events, synthetic_feature_spec
    from rankops_trainer.export_onnx import export_onnx

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="shared_bottom")
    parser.add_argument("--smoke", action="store_true", help="one-minute CPU configuration")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto", help="auto (CUDA when present), cuda or cpu")
    parser.add_argument("--threads", type=int, help="CPU threads per process")
    parser.add_argument("--events", help="events root (dt=... partitions and feature_spec.json); default: synthetic")
    parser.add_argument("--days", type=int, help="synthetic days when --events is not given (default 7; smoke 3)")
    parser.add_argument("--out", required=True, help="checkpoint / model directory (written by rank 0 only)")
    parser.add_argument("--onnx", action="store_true", help="rank 0 also exports <out>/model.onnx")
    args = parser.parse_args(argv)

    config = TrainConfig.smoke(args.model) if args.smoke else TrainConfig(model_name=args.model)
    config = replace(config, seed=args.seed, num_threads=args.threads, device=args.device)
    if args.epochs:
        config = replace(config, epochs=args.epochs)
    ctx = init_distributed(args.device)
    try:
        if args.events:
            spec, splits = load_feature_spec(args.events), load_splits(args.events)
        else:  # every rank generates the same world: the generator is seeded
            world_config = WorldConfig()
            spec = synthetic_feature_spec(world_config)
            days = args.days or (3 if args.smoke else 7)
            splits = time_split(generate_events(build_world(world_config), "2026-01-01", days))
        train_data, validation_data = frame_to_data(splits.train, spec), frame_to_data(splits.validation, spec)

        def progress(fraction: float, epoch: int, loss: float, metrics: dict[str, float]) -> None:
            shown = {k: round(v, 4) for k, v in metrics.items() if isinstance(v, float)}
            print(f"[{fraction:6.1%}] epoch {epoch} loss {loss:.4f} {shown if shown else ''}", flush=True)

        result = train_distributed(config, train_data, validation_data, ctx, checkpoint_dir=args.out,
                                   on_progress=progress)
        if result is not None:
            if args.onnx:
                export_onnx(result.model, Path(args.out) / "model.onnx")
            shown = summary(result)
            shown.pop("history")
            print(json.dumps(shown, indent=2, default=str))
    finally:
        shutdown_distributed()


if __name__ == "__main__":
    main()
