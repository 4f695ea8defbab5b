"""Temporal worker for the "training" task queue.

Run: python -m rankops_trainer.worker (./rankops up does this). Stops cleanly on SIGTERM so
in-flight activities are cancelled rather than abandoned.
"""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import signal
import socket

from temporalio import activity
from temporalio.worker import Worker

from rankops_trainer import __version__
from rankops_trainer.activities import evaluate_model, train_model
from rankops_trainer.config import TRAINING_TASK_QUEUE, StackSettings
from rankops_trainer.contract import WorkerInfo
from rankops_trainer.temporal_client import TemporalAuth, connect

log = logging.getLogger("rankops_trainer.worker")


def worker_identity() -> str:
    return f"{os.getpid()}@{socket.gethostname()}"


@activity.defn(name="describe_trainer")
async def describe_trainer(probe_id: str) -> WorkerInfo:
    import torch  # imported here so the probe reports the torch the activities really use

    device = "cuda" if torch.cuda.is_available() else "cpu"
    return WorkerInfo(
        taskQueue=TRAINING_TASK_QUEUE,
        identity=worker_identity(),
        runtime=f"python {platform.python_version()}, torch {torch.__version__} on {device}",
        version=__version__,
    )


# What this worker serves on the "training" task queue (the contract test reads it too).
ACTIVITIES = (describe_trainer, train_model, evaluate_model)


async def run_worker(settings: StackSettings, stop: asyncio.Event) -> None:
    auth = TemporalAuth.from_env()
    client = await connect(settings.temporal_target, settings.temporal_namespace, auth)
    worker = Worker(
        client,
        task_queue=TRAINING_TASK_QUEUE,
        activities=list(ACTIVITIES),
        identity=worker_identity(),
        # Two cores: more than two trainings at once only slows all of them; the slots left
        # keep the probe answering while models train.
        max_concurrent_activities=4,
    )
    log.info("polling task queue %r on %s (%s)", TRAINING_TASK_QUEUE, settings.temporal_target, auth.describe())
    async with worker:
        await stop.wait()
    log.info("worker stopped")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop = asyncio.Event()

    async def _main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await run_worker(StackSettings.from_env(), stop)

    asyncio.run(_main())


if __name__ == "__main__":
    main()
