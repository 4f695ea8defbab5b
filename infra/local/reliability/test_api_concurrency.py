"""Concurrent run triggers against the live API (issue #8): none lost, none doubled, and client
retries with an Idempotency-Key never start a second run.

Every run here trains on nothing: its window lies in a year whose only event partitions are
unreadable placeholders (conftest.unreadable_partitions), so the extraction fails at once with the
non-retryable BadEventData and the run ends FAILED within a
second or two (checked). The machine is not loaded with 200 trainings, and the test waits until
every run it started is closed, so it leaves nothing running.
"""

from __future__ import annotations

import asyncio
import collections
import datetime
import hashlib
import random
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from conftest import API, DEMO_PASSWORD, ENGINEER, NAMESPACE, TEMPORAL, record_figure, sign_in, unreadable_partitions

RUNS = 100
THREADS = 32
CLOSE_WAIT_S = 240
OPEN = ("RUNNING", "AWAITING_APPROVAL")


def empty_window(seed: str) -> dict[str, str]:
    """Three days somewhere in 1900..1979, with unreadable partitions only."""
    start = datetime.date(1900, 1, 1) + datetime.timedelta(days=int(seed, 16) % (80 * 365))
    window = {"start": start.isoformat(), "end": (start + datetime.timedelta(days=2)).isoformat()}
    unreadable_partitions(window)
    return window


def run_body(window: dict[str, str]) -> dict[str, Any]:
    return {"modelFamily": "mmoe", "trigger": "api", "window": window}


def keyed_run_id(user: str, key: str) -> str:
    """What the API derives from an Idempotency-Key (RunService.keyedRunId)."""
    return "run-" + hashlib.sha256(f"{user}\n{key}".encode()).hexdigest()[:12]


_local = threading.local()


_signed_in: dict[str, str] = {}


def post_run(body: dict[str, Any], key: str | None = None) -> tuple[int, dict[str, Any], float]:
    """One trigger over the thread's own keep-alive connection, signed in with the session cookie as
    the web UI is. (HTTP Basic would measure bcrypt: every Basic request checks the password hash,
    cost 12, a quarter of a second of CPU; see the figure's basicAuthCostMs.)"""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        session.headers.update({"Origin": API, "X-Rankops-Csrf": "1",
                                "Cookie": f"rankops-session={_signed_in['cookie']}"})
    headers = {"Idempotency-Key": key} if key else {}
    began = time.perf_counter()
    response = session.post(f"{API}/api/runs", json=body, headers=headers, timeout=120)
    elapsed = time.perf_counter() - began
    try:
        payload = response.json()
    except ValueError:
        payload = {"raw": response.text[:300]}
    return response.status_code, payload, elapsed


def fire(jobs: list[tuple[dict[str, Any], str | None]]) -> tuple[list[tuple[int, dict[str, Any], float]], float]:
    go = threading.Event()

    def job(args):
        body, key = args
        go.wait(timeout=60)  # the first wave leaves together
        return post_run(body, key)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(job, j) for j in jobs]
        time.sleep(0.5)
        began = time.perf_counter()
        go.set()
        answers = [f.result() for f in futures]
    return answers, time.perf_counter() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def temporal_view(run_ids: list[str], since: datetime.datetime) -> tuple[dict[str, str], int]:
    """Each run's workflow status, and how many pipeline workflows started since `since`."""
    async def look() -> tuple[dict[str, str], int]:
        from temporalio.client import Client
        client = await Client.connect(TEMPORAL, namespace=NAMESPACE)

        async def status(run_id: str) -> str:
            try:
                return (await client.get_workflow_handle(run_id).describe()).status.name
            except Exception as error:  # noqa: BLE001 - reported, not raised
                return f"missing ({type(error).__name__})"

        statuses = await asyncio.gather(*(status(r) for r in run_ids))
        stamp = since.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        started = (await client.count_workflows(
            f"WorkflowType = 'TrainingPipelineWorkflow' AND StartTime >= '{stamp}'")).count
        return dict(zip(run_ids, statuses)), started
    return asyncio.run(look())


def wait_closed(db, run_ids: list[str]) -> dict[str, tuple[str, str]]:
    deadline = time.monotonic() + CLOSE_WAIT_S
    while True:
        with db.cursor() as cursor:
            cursor.execute("SELECT id, status, coalesce(reason, '') FROM pipeline_run WHERE id = ANY(%s)", (run_ids,))
            rows = {r[0]: (r[1], r[2]) for r in cursor.fetchall()}
        if all(status not in OPEN for status, _ in rows.values()) or time.monotonic() > deadline:
            return rows
        time.sleep(2)


def cancel_leftovers(rows: dict[str, tuple[str, str]]) -> list[str]:
    """Never leave a run behind, even when the test fails."""
    open_ids = [run_id for run_id, (status, _) in rows.items() if status in OPEN]
    for run_id in open_ids:
        requests.post(f"{API}/api/runs/{run_id}/cancel", auth=(ENGINEER, DEMO_PASSWORD), timeout=60)
    return open_ids


def count_rows(db, window: dict[str, str]) -> int:
    with db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pipeline_run WHERE window_start = %s AND window_end = %s"
                       " AND triggered_by = %s", (window["start"], window["end"], ENGINEER))
        return cursor.fetchone()[0]


def basic_auth_cost_ms() -> float:
    """Median time of GET /api/me with HTTP Basic minus the same with the session cookie."""
    basic, cookie = [], []
    with requests.Session() as session:
        for _ in range(5):
            began = time.perf_counter()
            session.get(f"{API}/api/me", auth=(ENGINEER, DEMO_PASSWORD), timeout=30).raise_for_status()
            basic.append(time.perf_counter() - began)
            began = time.perf_counter()
            session.get(f"{API}/api/me", headers={"Cookie": f"rankops-session={_signed_in['cookie']}"},
                        timeout=30).raise_for_status()
            cookie.append(time.perf_counter() - began)
    return round((statistics.median(basic) - statistics.median(cookie)) * 1000, 1)


def test_concurrent_triggers_and_retries_create_each_run_exactly_once(db):
    marker = uuid.uuid4().hex
    _signed_in["cookie"] = sign_in(ENGINEER).cookies.get("rankops-session")
    figure: dict[str, Any] = {"threads": THREADS, "auth": "session cookie", "basicAuthCostMs": basic_auth_cost_ms()}
    leftovers: list[str] = []
    all_ids: list[str] = []
    try:
        # ---------------------------------------------------------------- 100 concurrent triggers
        window = empty_window(marker[:8])
        since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
        answers, wall = fire([(run_body(window), None)] * RUNS)
        statuses = collections.Counter(status for status, _, _ in answers)
        ids = [payload.get("id") for status, payload, _ in answers if status == 201]
        all_ids += ids
        latencies = [elapsed for _, _, elapsed in answers]
        rows = wait_closed(db, ids)
        leftovers += cancel_leftovers(rows)
        workflows, started = temporal_view(ids, since)
        reasons = collections.Counter("not a readable Parquet file" in reason and "BadEventData" in reason
                                      for _, reason in rows.values())
        figure["plain"] = {
            "requests": RUNS, "statuses": {str(k): v for k, v in statuses.items()},
            "distinctRunIds": len(set(ids)), "rows": count_rows(db, window),
            "workflowsFound": sum(s not in ("",) and not s.startswith("missing") for s in workflows.values()),
            "pipelineWorkflowsStartedMeanwhile": started,
            "finalStatuses": dict(collections.Counter(status for status, _ in rows.values())),
            "failedFastOnUnreadablePartitions": reasons[True],
            "latencyP50Ms": round(percentile(latencies, 0.50) * 1000, 1),
            "latencyP99Ms": round(percentile(latencies, 0.99) * 1000, 1),
            "latencyMaxMs": round(max(latencies) * 1000, 1),
            "wallSeconds": round(wall, 2), "triggersPerSecond": round(RUNS / wall, 1),
        }

        # ---------------------------------------------------------------- each key twice, concurrently
        keyed_window = empty_window(marker[8:16])
        keys = [f"reliability-{marker[:12]}-{i:03d}" for i in range(RUNS)]
        jobs = [(run_body(keyed_window), key) for key in keys for _ in range(2)]
        random.Random(marker).shuffle(jobs)
        since_keyed = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
        keyed_answers, keyed_wall = fire(jobs)
        by_key: dict[str, list[tuple[int, str | None]]] = collections.defaultdict(list)
        for (body, key), (status, payload, _) in zip(jobs, keyed_answers):
            by_key[key].append((status, payload.get("id")))
        keyed_ids = sorted({run_id for answers_of_key in by_key.values() for _, run_id in answers_of_key if run_id})
        all_ids += keyed_ids
        pairs_ok = sum(sorted(s for s, _ in v) == [200, 201] and len({i for _, i in v}) == 1 for v in by_key.values())
        derived_ok = sum(v[0][1] == keyed_run_id(ENGINEER, k) for k, v in by_key.items())
        keyed_rows = wait_closed(db, keyed_ids)
        leftovers += cancel_leftovers(keyed_rows)
        keyed_workflows, keyed_started = temporal_view(keyed_ids, since_keyed)
        # A late retry (after the run closed) still answers with the run; another body is refused.
        late = [post_run(run_body(keyed_window), key) for key in keys[:10]]
        other_body = post_run(run_body(empty_window(marker[16:24])), keys[0])
        keyed_latencies = [elapsed for _, _, elapsed in keyed_answers]
        figure["idempotent"] = {
            "requests": len(jobs), "keys": RUNS,
            "statuses": {str(k): v for k, v in collections.Counter(s for s, _, _ in keyed_answers).items()},
            "keysAnsweredOneCreateOneReplaySameRun": pairs_ok, "runIdsDerivedFromKey": derived_ok,
            "distinctRunIds": len(keyed_ids), "rows": count_rows(db, keyed_window),
            "workflowsFound": sum(not s.startswith("missing") for s in keyed_workflows.values()),
            "pipelineWorkflowsStartedMeanwhile": keyed_started,
            "finalStatuses": dict(collections.Counter(status for status, _ in keyed_rows.values())),
            "lateRetriesSameRun": sum(s == 200 and p.get("id") == keyed_run_id(ENGINEER, k)
                                      for (s, p, _), k in zip(late, keys[:10])),
            "sameKeyOtherBodyStatus": other_body[0],
            "latencyP50Ms": round(percentile(keyed_latencies, 0.50) * 1000, 1),
            "latencyP99Ms": round(percentile(keyed_latencies, 0.99) * 1000, 1),
            "wallSeconds": round(keyed_wall, 2), "requestsPerSecond": round(len(jobs) / keyed_wall, 1),
        }
        figure["runsCreated"] = len(set(all_ids))
        figure["leftOpenAndCancelled"] = leftovers
    finally:
        if all_ids:  # also when an assertion above failed half-way: nothing stays open
            leftovers += cancel_leftovers(wait_closed(db, all_ids))
        record_figure("api_concurrency", figure)

    plain, keyed = figure["plain"], figure["idempotent"]
    assert plain["statuses"] == {"201": RUNS}, plain["statuses"]
    assert plain["distinctRunIds"] == RUNS and plain["rows"] == RUNS, plain
    assert plain["workflowsFound"] == RUNS and plain["pipelineWorkflowsStartedMeanwhile"] == RUNS, plain
    assert plain["finalStatuses"] == {"FAILED": RUNS} and plain["failedFastOnUnreadablePartitions"] == RUNS, plain
    assert keyed["keysAnsweredOneCreateOneReplaySameRun"] == RUNS, keyed
    assert keyed["runIdsDerivedFromKey"] == RUNS, keyed
    assert keyed["distinctRunIds"] == RUNS and keyed["rows"] == RUNS, keyed
    assert keyed["workflowsFound"] == RUNS and keyed["pipelineWorkflowsStartedMeanwhile"] == RUNS, keyed
    assert keyed["finalStatuses"] == {"FAILED": RUNS}, keyed
    assert keyed["lateRetriesSameRun"] == 10, keyed
    assert keyed["sameKeyOtherBodyStatus"] == 422, keyed
    assert not leftovers, f"runs still open after {CLOSE_WAIT_S} s, cancelled: {leftovers}"
