"""Fault injection against the running local stack (issue #8, the fault half).

Each test starts a real pipeline run through the API (or works on the ranker directly), breaks one
component at a chosen moment — kill -9, a stop, a restart, a corrupted artifact — and checks that
the platform recovers by itself, with nothing lost and nothing done twice. Every wait has a hard
deadline; every test starts again what it stopped (in `finally`, and the `healthy_stack_after`
fixture checks the whole stack once more), so the stack is left running and healthy even when an
assertion fails. What each test measured goes to .rankops/reliability/<test>.json.

Run with the launcher's environment (ports, credentials, RANKOPS_STATE_DIR); see
infra/local/reliability/conftest.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import socket
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

import pytest
import requests
from mlflow.tracking import MlflowClient
from temporalio.api.enums.v1 import EventType, PendingActivityState, WorkflowExecutionStatus
from temporalio.client import Client

from conftest import (API, HOST, MLFLOW, NAMESPACE, RANKER, RELEASE_MANAGER, ROOT, STATE, TEMPORAL, launcher, pid_of,
                      ranker_admin, record_figure, sign_in, unique_marker)
from rankops_trainer.config import StackSettings
from rankops_trainer.storage import ObjectStore, split_uri
from rankops_world.seed_events import seed_events

SERVICES = ("postgres", "minio", "temporal", "mlflow", "worker", "trainer", "ranker", "api")
WINDOW_DAYS = 5  # three training days, one validation day, one test day
SEED = 11
RUN_DEADLINE_S = 240  # from POST /api/runs to the approval wait, faults included
# An epoch of the small world takes about 0.3 s here (mostly the per-epoch checkpoint upload, MLflow
# metrics and progress signal), so runs that must be caught mid-training train for many epochs.
TRAINING_EPOCHS = 60
POLL_S = 0.5
TRAINER_LOG = STATE / "logs" / "trainer.log"


# ----------------------------------------------------------------------------- small helpers

def wait_for(what: str, condition: Callable[[], Any], timeout: float, every: float = POLL_S) -> Any:
    """Poll until `condition()` is truthy and return it; fail naming `what` after `timeout` seconds.
    Exceptions count as "not yet" (a service being restarted refuses connections)."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception as e:  # noqa: BLE001 - retried until the deadline, then reported
            last_error = e
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}"
                                 + (f" (last error: {last_error!r})" if last_error else ""))
        time.sleep(every)


def window_for(marker: str) -> tuple[dt.date, dt.date]:
    """A window of the test's own, so runs never share partitions or a dataset id."""
    start = dt.date(2040, 1, 1) + dt.timedelta(days=int(marker, 16) % 20000)
    return start, start + dt.timedelta(days=WINDOW_DAYS - 1)


def seed_window(marker: str) -> tuple[dt.date, dt.date]:
    start, end = window_for(marker)
    seed_events(StackSettings.from_env(), start, WINDOW_DAYS, world="small", seed=SEED)
    return start, end


def run_body(marker: str, epochs: int, *, model_name: str | None = None) -> dict:
    """A small, quick model on the test's own window and model name (the window must be seeded)."""
    start, end = window_for(marker)
    return {
        "modelName": model_name or f"faults-{marker}",
        "modelFamily": "shared_bottom",
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        # patience = epochs: early stopping must not end training before the fault.
        "params": {"epochs": epochs, "batchSize": 64, "learningRate": 0.003, "embeddingDim": 8, "patience": epochs,
                   "seed": 3},
        # Lenient: these tests are about recovery, not model quality.
        "gate": {"k": 10, "minWeightedRecall": 0.05, "maxRegression": 1.0},
        "device": "cpu", "approvalTimeoutHours": 1, "trigger": "api",
    }


def post_run(engineer: requests.Session, body: dict) -> str:
    """POST /api/runs as the engineer; the run id."""
    response = engineer.post(f"{API}/api/runs", json=body, timeout=60)
    assert response.status_code == 201, f"POST /api/runs: {response.status_code} {response.text}"
    return response.json()["id"]


def start_run(engineer: requests.Session, marker: str, epochs: int, *, model_name: str | None = None) -> str:
    seed_window(marker)
    return post_run(engineer, run_body(marker, epochs, model_name=model_name))


def approve(release_manager: requests.Session, run_id: str) -> dict:
    response = release_manager.post(f"{API}/api/runs/{run_id}/decision",
                                    json={"approved": True, "comment": "reliability suite"}, timeout=60)
    assert response.status_code == 200, f"decision on {run_id}: {response.status_code} {response.text}"
    return response.json()


# ----------------------------------------------------------------------------- Temporal

def temporal(call: Callable[[Client], Awaitable[Any]], timeout: float = 30) -> Any:
    """One call with a fresh client: a client kept across a Temporal restart would hold a dead channel."""
    async def go() -> Any:
        client = await asyncio.wait_for(Client.connect(TEMPORAL, namespace=NAMESPACE), 10)
        return await asyncio.wait_for(call(client), timeout)
    return asyncio.run(go())


def status(run_id: str) -> dict:
    """The workflow's `status` query (answered by the Java worker)."""
    return temporal(lambda c: c.get_workflow_handle(run_id).query("status"))


def describe(run_id: str) -> dict:
    async def call(client: Client) -> dict:
        raw = (await client.get_workflow_handle(run_id).describe()).raw_description
        pending = []
        for p in raw.pending_activities:
            pending.append({
                "type": p.activity_type.name,
                "state": PendingActivityState.Name(p.state),
                "attempt": p.attempt,
                "lastStarted": (p.last_started_time.ToDatetime().timestamp()
                                if p.HasField("last_started_time") else None),
                "lastFailure": _failure_text(p.last_failure) if p.HasField("last_failure") else None,
            })
        return {"status": WorkflowExecutionStatus.Name(raw.workflow_execution_info.status), "pending": pending}
    return temporal(call)


def pending(run_id: str, activity_type: str) -> dict | None:
    return next((p for p in describe(run_id)["pending"] if p["type"] == activity_type), None)


def activities(run_id: str) -> list[dict]:
    """Every activity of the run from its history, in schedule order: attempts, times, outcome."""
    async def call(client: Client) -> list[dict]:
        history = await client.get_workflow_handle(run_id).fetch_history()
        by_event: dict[int, dict] = {}
        for e in history.events:
            at = e.event_time.ToDatetime().timestamp()
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
                by_event[e.event_id] = {"type": e.activity_task_scheduled_event_attributes.activity_type.name,
                                        "scheduledAt": at, "startedAt": None, "attempt": None, "closedAt": None,
                                        "outcome": None, "failure": None, "result": None}
            elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
                a = e.activity_task_started_event_attributes
                by_event[a.scheduled_event_id].update(startedAt=at, attempt=a.attempt)
            elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
                a = e.activity_task_completed_event_attributes
                payloads = list(a.result.payloads)
                by_event[a.scheduled_event_id].update(
                    closedAt=at, outcome="completed",
                    result=json.loads(payloads[0].data) if payloads and payloads[0].data else None)
            elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
                a = e.activity_task_failed_event_attributes
                by_event[a.scheduled_event_id].update(closedAt=at, outcome="failed", failure=_failure_text(a.failure))
            elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
                a = e.activity_task_timed_out_event_attributes
                by_event[a.scheduled_event_id].update(closedAt=at, outcome="timed_out",
                                                      failure=_failure_text(a.failure))
        return [by_event[k] for k in sorted(by_event)]
    return temporal(call)


def _failure_text(failure: Any) -> str:
    parts = []
    while failure is not None and failure.message:
        parts.append(failure.message)
        failure = failure.cause if failure.HasField("cause") else None
    return " <- ".join(parts)


def the_activity(run_id: str, activity_type: str) -> dict:
    found = [a for a in activities(run_id) if a["type"] == activity_type]
    assert len(found) == 1, f"{run_id}: expected one {activity_type} in the history, found {found}"
    return found[0]


def activity_closed(run_id: str, activity_type: str) -> dict | None:
    found = [a for a in activities(run_id) if a["type"] == activity_type and a["outcome"]]
    return found[0] if found else None


def wait_step(run_id: str, step: str, timeout: float = RUN_DEADLINE_S) -> dict:
    def reached() -> dict | None:
        s = status(run_id)
        if s["step"] == "DONE" and step != "DONE":
            raise AssertionError(f"{run_id} ended before {step}: {s}")
        return s if s["step"] == step else None
    return _fail_fast(f"{run_id} at step {step}", reached, timeout)


def _fail_fast(what: str, condition: Callable[[], Any], timeout: float) -> Any:
    """wait_for, but an AssertionError from the condition ends the wait at once."""
    failure: list[AssertionError] = []

    def checked() -> Any:
        try:
            return condition()
        except AssertionError as e:
            failure.append(e)
            return True
    value = wait_for(what, checked, timeout)
    if failure:
        raise failure[0]
    return value


def _training_under_way(run_id: str) -> dict:
    """Waits until training has finished an epoch (and has most of its epochs still to go)."""
    def under_way() -> dict | None:
        s = status(run_id)
        assert s["step"] in ("EXTRACT", "TRAIN"), f"training ended before the fault: {s}"
        return s if s["step"] == "TRAIN" and s["progress"] > 0 else None
    return _fail_fast(f"{run_id} training under way", under_way, RUN_DEADLINE_S)


def wait_closed(run_id: str, timeout: float = 120) -> str:
    """The workflow's final execution status (COMPLETED, FAILED, ...)."""
    def closed() -> str | None:
        s = describe(run_id)["status"]
        return None if s == "WORKFLOW_EXECUTION_STATUS_RUNNING" else s
    return wait_for(f"{run_id} to close", closed, timeout).removeprefix("WORKFLOW_EXECUTION_STATUS_")


def result(run_id: str) -> dict:
    return temporal(lambda c: c.get_workflow_handle(run_id).result())


def terminate_if_open(run_id: str | None) -> None:
    """A test that failed half-way must not leave a training run eating the shared CPUs."""
    if not run_id:
        return
    try:
        if describe(run_id)["status"] == "WORKFLOW_EXECUTION_STATUS_RUNNING":
            temporal(lambda c: c.get_workflow_handle(run_id).terminate(reason="reliability test cleanup"))
    except Exception as e:  # noqa: BLE001 - cleanup is best effort; the test's own failure is what matters
        print(f"[cleanup] could not terminate {run_id}: {e!r}")


# ----------------------------------------------------------------------------- processes

def is_alive(pid: int) -> bool:
    """Running and not a zombie waiting for its parent."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def service_alive(service: str) -> bool:
    try:
        return is_alive(pid_of(service))
    except (OSError, ValueError):
        return False


def kill9(service: str) -> float:
    """kill -9 the service's whole process group (the launcher starts each in a session of its own)."""
    pid = pid_of(service)
    assert is_alive(pid), f"{service} (pid {pid}) is not running"
    os.killpg(pid, signal.SIGKILL)
    killed_at = time.time()
    wait_for(f"{service} (pid {pid}) to die", lambda: not is_alive(pid), 15, every=0.1)
    return killed_at


def stop(service: str) -> float:
    """What the launcher's stop does, for one service: TERM to the group, KILL after 30 s."""
    pid = pid_of(service)
    assert is_alive(pid), f"{service} (pid {pid}) is not running"
    os.killpg(pid, signal.SIGTERM)
    try:
        wait_for(f"{service} (pid {pid}) to stop", lambda: not is_alive(pid), 30, every=0.2)
    except AssertionError:
        os.killpg(pid, signal.SIGKILL)
        wait_for(f"{service} (pid {pid}) to die", lambda: not is_alive(pid), 10, every=0.1)
    return time.time()


def start(service: str) -> float:
    """Start a stopped service with the launcher (restart of a dead service = start); its seconds."""
    began = time.monotonic()
    launcher("restart", service, timeout=300)
    return time.monotonic() - began


def ensure_running(service: str) -> None:
    if not service_alive(service):
        print(f"[cleanup] starting {service} again")
        start(service)


def platform_status() -> dict[str, bool]:
    response = requests.get(f"{API}/api/status", timeout=15)
    response.raise_for_status()
    return {c["name"]: c["up"] for c in response.json()["components"]}


def port_open(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


# ----------------------------------------------------------------------------- stores

def store() -> ObjectStore:
    return ObjectStore(StackSettings.from_env())


def mlflow() -> MlflowClient:
    return MlflowClient(MLFLOW)


def versions_of_run(model_name: str, run_id: str) -> list:
    return mlflow().search_model_versions(f"name='{model_name}' and tags.`rankops.run_id`='{run_id}'")


def step_rows(db, run_id: str) -> list[tuple]:
    with db.cursor() as cursor:
        cursor.execute("SELECT sequence, step, status, detail FROM run_step_event WHERE run_id = %s ORDER BY sequence",
                       (run_id,))
        return cursor.fetchall()


def scalar(db, sql: str, *args: Any) -> Any:
    with db.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchone()[0]


def step_detail(db, run_id: str, step: str, step_status: str) -> dict:
    rows = [r for r in step_rows(db, run_id) if (r[1], r[2]) == (step, step_status)]
    assert len(rows) == 1, f"{run_id}: expected one {step}:{step_status} row, found {len(rows)}"
    detail = rows[0][3]
    return detail if isinstance(detail, dict) else json.loads(detail)


def run_row_status(db, run_id: str) -> str | None:
    return scalar(db, "SELECT status FROM pipeline_run WHERE id = %s", run_id)


# ----------------------------------------------------------------------------- fixtures

@pytest.fixture(autouse=True)
def healthy_stack_after() -> Iterator[None]:
    """Before: the whole stack is up. After (also after a failure): whatever is down is started
    again and the API reports every component up."""
    for service in SERVICES:
        ensure_running(service)
    yield
    for service in SERVICES:
        ensure_running(service)
    wait_for("every component up in GET /api/status", lambda: all(platform_status().values()), 120, every=2)


# ============================================================================= 1. trainer killed

def test_trainer_killed_mid_training_resumes_from_its_checkpoint(engineer, release_manager, db) -> None:
    """kill -9 the Python trainer after two checkpointed epochs; the launcher starts it again; the
    missed heartbeat (45 s) hands the training to the new process, which resumes from last.pt."""
    marker = unique_marker()
    epochs = TRAINING_EPOCHS
    run_id = None
    try:
        began = time.time()
        run_id = start_run(engineer, marker, epochs=epochs)
        checkpoint = f"s3://{os.environ['RANKOPS_BUCKET']}/runs/{run_id}/checkpoints/last.pt"

        def two_epochs_checkpointed() -> dict | None:
            s = status(run_id)
            assert s["step"] in ("EXTRACT", "TRAIN"), f"training ended before the kill: {s}"
            done = round(s["progress"] * epochs) if s["step"] == "TRAIN" else 0
            return s if 2 <= done < epochs and store().exists(checkpoint) else None
        at_kill = _fail_fast("two checkpointed epochs", two_epochs_checkpointed, RUN_DEADLINE_S)
        epoch_at_kill = round(at_kill["progress"] * epochs)
        first_attempt = pending(run_id, "train_model")
        assert first_attempt and first_attempt["attempt"] == 1, first_attempt

        checkpointed_at = store().client.stat_object(*split_uri(checkpoint)).last_modified.timestamp()
        killed_at = kill9("trainer")
        # As if the trainer came back on another machine: its local copy of the run (checkpoint
        # included) is gone, so only the checkpoint in MinIO can make the retry resume.
        shutil.rmtree(STATE / "trainer" / "runs" / run_id, ignore_errors=True)
        log_offset = TRAINER_LOG.stat().st_size
        trainer_restart_s = start(service="trainer")

        # The retry is started by the new trainer once the old attempt's heartbeat timeout fires.
        def retry_started() -> float | None:
            p = pending(run_id, "train_model")
            if p is None:  # already done: the history's started event is the last attempt's
                closed = activity_closed(run_id, "train_model")
                return closed["startedAt"] if closed else None
            return p["lastStarted"] if p["attempt"] >= 2 and p["state"] == "PENDING_ACTIVITY_STATE_STARTED" else None
        resumed_at = wait_for("train_model attempt 2 to start", retry_started, 150)
        waiting = wait_step(run_id, "AWAIT_APPROVAL", timeout=RUN_DEADLINE_S)
        at_approval = time.time()

        trained = step_detail(db, run_id, "train", "completed")
        resumed_from = trained["resumedFromEpoch"]
        train = the_activity(run_id, "train_model")
        mlflow_tags = mlflow().get_run(trained["mlflowRunId"]).data.tags
        # Both attempts log each epoch's metrics to the same MLflow run: an epoch logged twice was trained twice.
        logged_epochs = Counter(m.step for m in mlflow().get_metric_history(trained["mlflowRunId"], "train_loss"))

        assert train["attempt"] >= 2, train
        assert resumed_from >= 2, f"the retry trained from scratch: {trained}"
        assert resumed_from >= epoch_at_kill, (resumed_from, epoch_at_kill)
        assert trained["epochsTrained"] == epochs, trained
        assert sorted(logged_epochs) == list(range(1, epochs + 1)), logged_epochs
        assert mlflow_tags.get("rankops.resumed_from_epoch") == str(resumed_from), mlflow_tags
        with TRAINER_LOG.open("rb") as log:
            log.seek(log_offset)
            assert f"run {run_id} resumes from {checkpoint}".encode() in log.read(), "not resumed from MinIO"
        assert waiting["registered"]["version"]

        approve(release_manager, run_id)
        assert wait_closed(run_id) == "COMPLETED"
        assert result(run_id)["outcome"] == "APPROVED"
        record_figure("trainer_killed_mid_training", {
            "runId": run_id,
            "epochs": epochs,
            "epochReachedAtKill": epoch_at_kill,
            "resumedFromEpoch": resumed_from,
            # Epochs trained by both attempts (their metrics reached MLflow twice) ...
            "epochsRedone": sum(1 for n in logged_epochs.values() if n > 1),
            # ... and the partial epoch lost: time since the last checkpoint reached MinIO (1 s resolution).
            "secondsOfTrainingLost": round(max(0.0, killed_at - checkpointed_at), 1),
            "trainAttempts": train["attempt"],
            "resumedFrom": checkpoint,
            "trainerRestartSeconds": round(trainer_restart_s, 1),
            "secondsFromKillUntilTrainingResumed": round(resumed_at - killed_at, 1),
            "heartbeatTimeoutSeconds": 45,
            "totalRunSecondsToApprovalWait": round(at_approval - began, 1),
        })
    finally:
        ensure_running("trainer")
        terminate_if_open(run_id)


# ============================================================================= 2. worker + API killed

def test_worker_and_api_killed_at_the_approval_wait_lose_and_duplicate_nothing(engineer, db) -> None:
    marker = unique_marker()
    model_name = f"faults-{marker}"
    run_id = None
    try:
        run_id = start_run(engineer, marker, epochs=2, model_name=model_name)
        wait_step(run_id, "AWAIT_APPROVAL")
        rows_before = step_rows(db, run_id)

        kill9("worker")
        kill9("api")
        worker_restart_s = start("worker")
        api_restart_s = start("api")

        # A fresh sign-in: the release manager's browser would sign in again after a restart.
        rita = sign_in(RELEASE_MANAGER)
        decided = approve(rita, run_id)
        assert decided["decision"]["approved"] is True, decided
        assert wait_closed(run_id) == "COMPLETED"
        outcome = result(run_id)
        assert outcome["outcome"] == "APPROVED", outcome
        wait_for("the projection to say APPROVED", lambda: run_row_status(db, run_id) == "APPROVED", 60)

        versions = versions_of_run(model_name, run_id)
        rows = step_rows(db, run_id)
        sequences = [r[0] for r in rows]
        pairs = Counter((r[1], r[2]) for r in rows)
        approvals = scalar(db, "SELECT count(*) FROM audit_log WHERE subject = %s AND action = 'run.approve'", run_id)
        starts = scalar(db, "SELECT count(*) FROM audit_log WHERE subject = %s AND action = 'run.start'", run_id)

        assert len(versions) == 1, [v.version for v in versions]
        assert scalar(db, "SELECT count(*) FROM pipeline_run WHERE id = %s", run_id) == 1
        assert sequences == list(range(1, len(rows) + 1)), sequences
        assert all(n == 1 for n in pairs.values()), {k: n for k, n in pairs.items() if n > 1}
        assert rows[: len(rows_before)] == rows_before, "rows written before the kill were rewritten"
        assert (rows[-1][1], rows[-1][2]) == ("done", "approved")
        assert approvals == 1 and starts == 1, (approvals, starts)
        record_figure("worker_and_api_killed_at_approval", {
            "runId": run_id,
            "workerRestartSeconds": round(worker_restart_s, 1),
            "apiRestartSeconds": round(api_restart_s, 1),
            "modelVersionsForRun": len(versions),
            "pipelineRunRows": 1,
            "stepEvents": len(rows),
            "duplicateStepEvents": sum(n - 1 for n in pairs.values()),
            "approvalAuditEntries": approvals,
        })
    finally:
        ensure_running("worker")
        ensure_running("api")
        terminate_if_open(run_id)


# ============================================================================= 3. Temporal restarted

def test_temporal_restarted_during_training_the_run_still_reaches_approval(engineer, release_manager) -> None:
    marker = unique_marker()
    run_id = None
    try:
        began = time.monotonic()
        run_id = start_run(engineer, marker, epochs=TRAINING_EPOCHS)
        _training_under_way(run_id)
        workers_before = {s: pid_of(s) for s in ("worker", "trainer", "api")}

        port = int(os.environ["RANKOPS_TEMPORAL_PORT"])
        down: list[float] = []
        watching = threading.Event()
        watching.set()

        def watch_port() -> None:  # when the frontend port refuses connections: the downtime
            while watching.is_set():
                if not port_open(port):
                    down.append(time.monotonic())
                time.sleep(0.1)
        watcher = threading.Thread(target=watch_port, daemon=True)
        watcher.start()
        restart_began, restart_began_at = time.monotonic(), time.time()
        try:
            launcher("restart", "temporal", timeout=300)
        finally:
            restart_s = time.monotonic() - restart_began
            restart_ended_at = time.time()
            watching.clear()
            watcher.join(5)

        waiting = wait_step(run_id, "AWAIT_APPROVAL")
        at_approval = time.monotonic()
        approve(release_manager, run_id)
        assert wait_closed(run_id) == "COMPLETED"
        assert result(run_id)["outcome"] == "APPROVED"

        reconnected = {s: pid_of(s) == pid and service_alive(s) for s, pid in workers_before.items()}
        components = platform_status()
        assert all(reconnected.values()), f"a worker was restarted or died: {reconnected}"
        assert components["worker"] and components["trainer"], components
        train = the_activity(run_id, "train_model")
        assert train["startedAt"] < restart_began_at and train["closedAt"] > restart_ended_at, \
            f"training did not span the restart (train more epochs): {train}"
        record_figure("temporal_restarted_mid_training", {
            "runId": run_id,
            "temporalRestartCommandSeconds": round(restart_s, 1),
            "temporalPortDownSeconds": round(down[-1] - down[0] + 0.1, 1) if down else 0.0,
            "workersReconnectedWithoutRestart": all(reconnected.values()),
            "trainAttempts": train["attempt"],
            "trainingSecondsAfterTemporalCameBack": round(train["closedAt"] - restart_ended_at, 1),
            "secondsFromRestartToApprovalWait": round(at_approval - restart_began, 1),
            "totalRunSecondsToApprovalWait": round(at_approval - began, 1),
            "registeredVersion": waiting["registered"]["version"],
        })
    finally:
        ensure_running("temporal")
        terminate_if_open(run_id)


# ============================================================================= 4. MinIO down

MINIO_OUTAGE_S = 30


def test_minio_down_for_30s_during_extraction_is_ridden_out_by_retries(engineer, release_manager) -> None:
    """MinIO is stopped just before the run is triggered, not when the extract step is seen: on
    the small world extraction takes seconds, so stopping on sight would race with it; stopped
    first, extraction's first attempt is sure to meet the outage. (Seeding writes to MinIO, so the
    window is seeded before the stop.)"""
    marker = unique_marker()
    run_id = None
    try:
        seed_window(marker)  # seeding writes to MinIO: before the stop
        stopped_at = stop("minio")
        try:
            run_id = post_run(engineer, run_body(marker, epochs=2))
            failing = wait_for("extract_dataset to fail on the outage",
                               lambda: (p := pending(run_id, "extract_dataset")) and p["lastFailure"] and p,
                               MINIO_OUTAGE_S)
            time.sleep(max(0.0, stopped_at + MINIO_OUTAGE_S - time.time()))
        finally:
            minio_start_s = start("minio")
        back_at = time.time()

        # Readable while it retries (CompactActivityFailures), not Temporal's "Failure exceeds size limit."
        assert "Failed to connect" in failing["lastFailure"], failing
        wait_step(run_id, "AWAIT_APPROVAL")
        extract = the_activity(run_id, "extract_dataset")
        assert extract["outcome"] == "completed"
        assert extract["attempt"] > 1, extract
        approve(release_manager, run_id)
        assert wait_closed(run_id) == "COMPLETED"
        assert result(run_id)["outcome"] == "APPROVED"
        record_figure("minio_down_during_extraction", {
            "runId": run_id,
            "minioDownSeconds": round(back_at - stopped_at, 1),
            "minioStartSeconds": round(minio_start_s, 1),
            "extractionAttempts": extract["attempt"],
            "firstFailure": (failing["lastFailure"] or "")[:300],
            # From the first schedule to the start of the attempt that succeeded: the delay the outage added.
            "delayAddedSeconds": round(extract["startedAt"] - extract["scheduledAt"], 1),
            "successfulAttemptSeconds": round(extract["closedAt"] - extract["startedAt"], 1),
        })
    finally:
        ensure_running("minio")
        terminate_if_open(run_id)


# ============================================================================= 5. MLflow down

def _evaluated_with_worker_stopped(engineer, marker: str, model_name: str) -> str:
    """Brings a run to "evaluation completed, the Java worker down": workflow tasks and registration
    run only on the Java worker ("pipeline" queue), so the run then stands just before gate →
    register with nothing to move it. On the small world evaluation takes a fraction of a second,
    too short to stop the worker "while it runs", so the steps are made deterministic instead:

    worker stopped during training → training completes → trainer stopped (idle) → worker started:
    it schedules evaluate_model, which waits for a trainer → worker stopped → trainer started:
    evaluation completes with MLflow up (it logs there).
    """
    run_id = start_run(engineer, marker, epochs=TRAINING_EPOCHS, model_name=model_name)
    _training_under_way(run_id)
    stop("worker")
    wait_for("train_model to complete", lambda: activity_closed(run_id, "train_model"), 120)
    assert activity_closed(run_id, "train_model")["outcome"] == "completed"
    stop("trainer")
    start("worker")
    wait_for("evaluate_model to wait for a trainer", lambda: pending(run_id, "evaluate_model"), 60)
    stop("worker")
    start("trainer")
    evaluated = wait_for("evaluate_model to complete", lambda: activity_closed(run_id, "evaluate_model"), 120)
    assert evaluated["outcome"] == "completed", evaluated
    assert not [a for a in activities(run_id) if a["type"] == "register_model"], "registration ran already"
    return run_id


def test_mlflow_down_at_registration_is_retried_into_exactly_one_version(engineer, release_manager) -> None:
    marker = unique_marker()
    model_name = f"faults-{marker}"
    run_id = None
    try:
        run_id = _evaluated_with_worker_stopped(engineer, marker, model_name)
        mlflow_stopped_at = stop("mlflow")
        try:
            start("worker")
            failing = wait_for("register_model to fail twice", lambda: (p := pending(run_id, "register_model"))
                               and p["attempt"] >= 3 and p, 90)
        finally:
            mlflow_start_s = start("mlflow")
        mlflow_back_at = time.time()

        assert "Connection refused" in failing["lastFailure"], failing
        waiting = wait_step(run_id, "AWAIT_APPROVAL", timeout=120)
        register = the_activity(run_id, "register_model")
        versions = versions_of_run(model_name, run_id)
        assert register["outcome"] == "completed" and register["attempt"] > 1, register
        assert [v.version for v in versions] == [waiting["registered"]["version"]], [v.version for v in versions]
        approve(release_manager, run_id)
        assert wait_closed(run_id) == "COMPLETED"
        assert result(run_id)["outcome"] == "APPROVED"
        record_figure("mlflow_down_at_registration", {
            "runId": run_id,
            "registrationAttempts": register["attempt"],
            "lastFailureWhileDown": (failing["lastFailure"] or "")[:300],
            "mlflowOutageSeconds": round(mlflow_back_at - mlflow_stopped_at, 1),
            "mlflowStartSeconds": round(mlflow_start_s, 1),
            "registrationSecondsFromFirstSchedule": round(register["closedAt"] - register["scheduledAt"], 1),
            "modelVersionsForRun": len(versions),
        })
    finally:
        ensure_running("mlflow")
        ensure_running("worker")
        terminate_if_open(run_id)


# ============================================================================= 6. corrupted ONNX

def _add_version(model_name: str, data: bytes, key: str, tags: dict[str, str]) -> str:
    uri = f"s3://{os.environ['RANKOPS_BUCKET']}/{key}"
    store().put_bytes(uri, data, "application/octet-stream")
    return mlflow().create_model_version(model_name, uri, tags=tags).version


def _alias(model_name: str, alias: str) -> str | None:
    try:
        return mlflow().get_model_version_by_alias(model_name, alias).version
    except Exception:  # noqa: BLE001 - no such model or alias
        return None


def _point(model_name: str, alias: str, version: str | None) -> None:
    if version is None:
        try:
            mlflow().delete_registered_model_alias(model_name, alias)
        except Exception:  # noqa: BLE001 - already absent
            pass
    else:
        mlflow().set_registered_model_alias(model_name, alias, version)


class RankTraffic:
    """Rankings in a background thread while models are swapped: status codes and versions served."""

    def __init__(self, features: dict[str, float]) -> None:
        self.body = {"userId": 1, "region": "US", "candidates": [{"itemId": 1, "features": features},
                                                                 {"itemId": 2, "features": features}]}
        self.codes: Counter = Counter()
        self.versions: Counter = Counter()
        self.errors: list[str] = []
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        session = requests.Session()
        user = 0
        while self._running.is_set():
            user += 1
            try:
                response = session.post(f"{RANKER}/v1/rank", json={**self.body, "userId": user}, timeout=10)
                self.codes[response.status_code] += 1
                if response.status_code == 200:
                    self.versions[response.json()["modelVersion"]] += 1
                elif len(self.errors) < 5:
                    self.errors.append(f"{response.status_code} {response.text[:200]}")
            except requests.RequestException as e:
                self.codes["exception"] += 1
                self.errors.append(repr(e))
            time.sleep(0.02)

    def __enter__(self) -> "RankTraffic":
        self._running.set()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._running.clear()
        self._thread.join(15)


def test_a_corrupted_onnx_artifact_is_refused_at_load_and_the_champion_keeps_serving() -> None:
    admin = ranker_admin()
    served = admin.get(f"{RANKER}/admin/models", timeout=15).json()
    model_name = served["modelName"]
    before = {alias: _alias(model_name, alias) for alias in ("champion", "candidate")}
    marker = unique_marker()
    prefix = f"reliability/{marker}"
    valid = (ROOT / "services/ranker/src/test/resources/models/shared_bottom.onnx").read_bytes()
    parity = json.loads((ROOT / "services/ranker/src/test/resources/models/shared_bottom.parity.json").read_text())
    created: list[str] = []
    model_created = False
    try:
        try:
            mlflow().get_registered_model(model_name)
        except Exception:  # noqa: BLE001 - a fresh stack has no model yet
            mlflow().create_registered_model(model_name)
            model_created = True
        champion = _add_version(model_name, valid, f"{prefix}/champion.onnx",
                                {"rankops.onnx_sha256": hashlib.sha256(valid).hexdigest(),
                                 "rankops.reliability": marker})
        garbage_bytes = os.urandom(len(valid))
        garbage = _add_version(model_name, garbage_bytes, f"{prefix}/garbage.onnx", {"rankops.reliability": marker})
        # Loads and runs fine, but is not the file registration checked: only the digest tells.
        tampered = _add_version(model_name, valid, f"{prefix}/tampered.onnx",
                                {"rankops.onnx_sha256": hashlib.sha256(garbage_bytes).hexdigest(),
                                 "rankops.reliability": marker})
        created += [champion, garbage, tampered]
        _point(model_name, "champion", champion)
        _point(model_name, "candidate", None)
        reloaded = admin.post(f"{RANKER}/admin/models/reload", timeout=60).json()
        assert reloaded["champion"]["version"] == champion, reloaded

        refusals = {}
        cases = (  # (champion, candidate, the arm refused, what its error says)
            (champion, garbage, "candidate", "ONNX Runtime cannot load"),
            (garbage, None, "champion", "ONNX Runtime cannot load"),
            (tampered, None, "champion", "rankops.onnx_sha256"),
        )
        with RankTraffic(parity["cases"][0]["features"]) as traffic:
            wait_for("rankings from the champion", lambda: traffic.versions[champion] >= 5, 30, every=0.2)
            for champion_alias, candidate_alias, arm, expected in cases:
                _point(model_name, "champion", champion_alias)
                _point(model_name, "candidate", candidate_alias)
                answer = admin.post(f"{RANKER}/admin/models/reload", timeout=60)
                assert answer.status_code == 200, answer.text
                view = answer.json()
                error = view["lastError"]
                refused = champion_alias if arm == "champion" else candidate_alias
                assert error and error["arm"] == arm and error["version"] == refused, view
                assert expected in error["message"], error
                assert view["champion"]["version"] == champion, view
                assert view["candidate"] is None, view
                refusals[f"{arm}->{'garbage' if refused == garbage else 'tampered'}"] = error["message"][:160]
                time.sleep(1)  # traffic during the refused swap
            counted = sum(traffic.versions.values())
            wait_for("more rankings after the refusals", lambda: sum(traffic.versions.values()) >= counted + 5, 30,
                     every=0.2)

        assert traffic.codes and set(traffic.codes) == {200}, (dict(traffic.codes), traffic.errors)
        assert set(traffic.versions) == {champion}, dict(traffic.versions)
        record_figure("corrupted_onnx_refused_at_load", {
            "modelName": model_name,
            "championVersion": champion,
            "refused": refusals,
            "rankRequests": sum(traffic.codes.values()),
            "rankStatusCodes": {str(k): v for k, v in traffic.codes.items()},
            "versionsServed": dict(traffic.versions),
        })
    finally:
        for alias, version in before.items():
            _point(model_name, alias, version)
        admin.post(f"{RANKER}/admin/models/reload", timeout=60)
        for version in created:
            try:
                mlflow().delete_model_version(model_name, version)
            except Exception as e:  # noqa: BLE001 - cleanup is best effort
                print(f"[cleanup] version {version}: {e!r}")
        if model_created:
            try:
                mlflow().delete_registered_model(model_name)
            except Exception as e:  # noqa: BLE001
                print(f"[cleanup] model {model_name}: {e!r}")
        for name in ("champion.onnx", "garbage.onnx", "tampered.onnx"):
            try:
                store().client.remove_object(os.environ["RANKOPS_BUCKET"], f"{prefix}/{name}")
            except Exception:  # noqa: BLE001
                pass


def _tamper(onnx_bytes: bytes) -> bytes:
    """Changes one weight: still a valid ONNX model that loads and scores, just not the evaluated one."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load_from_string(onnx_bytes)
    for initializer in model.graph.initializer:
        values = numpy_helper.to_array(initializer)
        if values.dtype == np.float32 and values.size > 0:
            changed = values.copy()
            changed.flat[0] += 1.0
            initializer.CopyFrom(numpy_helper.from_array(changed, initializer.name))
            return model.SerializeToString()
    raise AssertionError("the model has no float initializer to change")


def test_an_artifact_changed_after_training_is_refused_at_registration(engineer, db) -> None:
    marker = unique_marker()
    model_name = f"faults-{marker}"
    run_id = None
    try:
        run_id = _evaluated_with_worker_stopped(engineer, marker, model_name)
        trained = the_activity(run_id, "train_model")["result"]
        onnx_uri = trained["onnxUri"]
        original = store().get_bytes(onnx_uri)
        assert hashlib.sha256(original).hexdigest() == trained["onnxSha256"], "training reported the uploaded bytes"
        store().put_bytes(onnx_uri, _tamper(original), "application/octet-stream")
        start("worker")

        assert wait_closed(run_id, timeout=120) == "FAILED"
        register = the_activity(run_id, "register_model")
        wait_for("the projection to say FAILED", lambda: run_row_status(db, run_id) == "FAILED", 60)
        reason = scalar(db, "SELECT reason FROM pipeline_run WHERE id = %s", run_id)

        assert register["outcome"] == "failed" and register["attempt"] == 1, register
        assert "BadModelArtifact" in register["failure"] or onnx_uri in register["failure"], register
        assert onnx_uri in register["failure"] and "sha256" in register["failure"], register["failure"]
        assert onnx_uri in (reason or ""), reason
        assert versions_of_run(model_name, run_id) == []
        record_figure("corrupted_onnx_refused_at_registration", {
            "runId": run_id,
            "onnxUri": onnx_uri,
            "registrationAttempts": register["attempt"],
            "failure": register["failure"][:300],
            "runStatus": run_row_status(db, run_id),
            "modelVersionsForRun": 0,
        })
    finally:
        ensure_running("worker")
        terminate_if_open(run_id)
