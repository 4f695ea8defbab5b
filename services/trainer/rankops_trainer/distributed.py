"""The process group for data-parallel training: joining it, leaving it, and a local world of
CPU processes for tests. The training loop is `train.train()`, which trains data-parallel
whenever a process group of more than one process is up, and in one process otherwise.

torchrun starts one process per GPU and `python -m rankops_trainer.train` joins the group:

    torchrun --standalone --nproc-per-node 4 -m rankops_trainer.train --model resflow --out /ckpt
    torchrun --standalone --nproc-per-node 2 -m rankops_trainer.train --smoke --device cpu --out /tmp/ddp

NCCL on CUDA, gloo on CPU.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
from typing import TYPE_CHECKING, Any

import torch
import torch.distributed as dist

from rankops_trainer.data.dataset import RankingData

if TYPE_CHECKING:
    from rankops_trainer.train import TrainConfig

# Rank 0 evaluates while the others wait in a collective; a long validation must not trip the
# process group's timeout (NCCL's default is 10 minutes).
DEFAULT_TIMEOUT = datetime.timedelta(minutes=60)


def launched_by_torchrun() -> bool:
    """torchrun exports WORLD_SIZE; a world of one trains as a plain single process."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def pick_backend(device: torch.device) -> str:
    return "nccl" if device.type == "cuda" else "gloo"


def init_distributed(device_request: str = "auto", *, init_method: str | None = None, rank: int | None = None,
                     world_size: int | None = None, local_rank: int | None = None,
                     timeout: datetime.timedelta = DEFAULT_TIMEOUT) -> torch.device:
    """Join the process group and return this rank's device (its own GPU, or the CPU). Defaults
    come from torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT);
    tests pass them explicitly."""
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
        # train() puts the model on the current device, so each rank on its own GPU.
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    if not dist.is_initialized():
        backend = pick_backend(device)
        kwargs: dict[str, Any] = {"backend": backend, "rank": rank, "world_size": world_size, "timeout": timeout}
        if init_method is not None:
            kwargs["init_method"] = init_method
        elif "MASTER_ADDR" not in os.environ:
            raise ValueError("no MASTER_ADDR: launch with torchrun (or pass init_method)")
        if backend == "nccl":
            kwargs["device_id"] = device
        dist.init_process_group(**kwargs)
    return device


def shutdown_distributed() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def spawn_worker(rank: int, world_size: int, init_method: str, config: dict[str, Any], train_data: RankingData,
                 validation_data: RankingData, checkpoint_dir: str | None, results: Any) -> None:
    """Entry point for torch.multiprocessing.spawn: one rank of a local CPU world."""
    # Imported here: train imports this module for its command line.
    from rankops_trainer.train import TrainConfig, train

    torch.set_num_threads(1)
    init_distributed("cpu", init_method=init_method, rank=rank, world_size=world_size, local_rank=rank)
    try:
        result = train(TrainConfig.from_dict(config), train_data, validation_data, checkpoint_dir=checkpoint_dir)
        results.put(json.dumps({"rank": rank, "summary": result.summary() if result else None}, default=float))
    finally:
        shutdown_distributed()


def spawn_cpu(config: TrainConfig, train_data: RankingData, validation_data: RankingData, nprocs: int, *,
              checkpoint_dir: str | os.PathLike[str] | None = None) -> dict[int, dict[str, Any] | None]:
    """Run `train()` in `nprocs` local CPU processes (gloo over 127.0.0.1, a free port).
    Returns each rank's `TrainResult.summary()`, None for the ranks that got no result."""
    import torch.multiprocessing as mp

    context = mp.get_context("spawn")
    results = context.SimpleQueue()
    init_method = f"tcp://127.0.0.1:{free_port()}"
    mp.spawn(spawn_worker, nprocs=nprocs, join=True,
             args=(nprocs, init_method, config.to_dict(), train_data, validation_data,
                   str(checkpoint_dir) if checkpoint_dir else None, results))
    by_rank = [json.loads(results.get()) for _ in range(nprocs)]
    return {r["rank"]: r["summary"] for r in by_rank}
