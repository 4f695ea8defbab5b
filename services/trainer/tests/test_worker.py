"""The probe activity answers with the fields the Java WorkerInfo record expects."""

import asyncio
import dataclasses

from temporalio.testing import ActivityEnvironment

from rankops_trainer.worker import WorkerInfo, describe_trainer


def test_describe_trainer_reports_queue_runtime_and_version() -> None:
    info = asyncio.run(ActivityEnvironment().run(describe_trainer, "probe-1"))

    assert isinstance(info, WorkerInfo)
    assert info.taskQueue == "training"
    assert "torch" in info.runtime and "python" in info.runtime
    assert info.runtime.endswith(("on cpu", "on cuda"))
    assert set(f.name for f in dataclasses.fields(WorkerInfo)) == {"taskQueue", "identity", "runtime", "version"}
