"""End-to-end wall time of a training pipeline run and Temporal's orchestration overhead.

    ./rankops up
    set -a; . infra/local/rankops.env; set +a
    .rankops/venv/bin/python infra/local/bench/pipeline_overhead.py [--runs 3] [--world small]

Each run seeds its own window of synthetic events, starts a run through the API as erin,
approves it as rita the moment it waits, and reads the workflow history afterwards:

    wall       first to last history event
    approval   from the approval timer starting to the decision being accepted (the bench's
               own polling latency, a stand-in for a person; not charged to the platform)
    activities union of the activities' started->completed intervals (work inside activities)
    overhead   wall - approval - activities: scheduling, task-queue hand-offs, workflow tasks

Prints one line per run and the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import statistics
import sys
import urllib.request
import uuid
from pathlib import Path

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "services" / "trainer"))

from rankops_trainer.config import StackSettings  # noqa: E402
from rankops_world.seed_events import seed_events  # noqa: E402

DAYS = 5


def request(marker: str, start: dt.date) -> dict:
    return {
        "trigger": "api", "modelName": f"bench-{marker}", "modelFamily": "resflow", "regionMask": True,
        "window": {"start": start.isoformat(), "end": (start + dt.timedelta(days=DAYS - 1)).isoformat()},
        "params": {"epochs": 2, "batchSize": 32, "learningRate": 0.003, "embeddingDim": 8, "patience": 1, "seed": 3},
        "gate": {"k": 10, "minWeightedRecall": 0.05, "maxRegression": 1.0, "regionFloors": {}},
        "device": "auto", "approvalTimeoutHours": 1,
    }


def api(method: str, path: str, user: str, body: dict) -> dict:
    """The API as a local demo account (started and decided there: the workflow acts only on
    decisions the API recorded)."""
    token = base64.b64encode(f"{user}:{os.environ['RANKOPS_DEMO_PASSWORD']}".encode()).decode()
    url = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_API_PORT']}{path}"
    call = urllib.request.Request(url, method=method, data=json.dumps(body).encode(),
                                  headers={"Authorization": "Basic " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(call, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def seconds(ts) -> float:
    return ts.seconds + ts.nanos / 1e9


def union_length(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for lo, hi in sorted(intervals):
        if hi <= end:
            continue
        total += hi - max(lo, end)
        end = hi
    return total


async def one_run(client: Client, settings: StackSettings, world: str) -> dict[str, float]:
    marker = uuid.uuid4().hex[:10]
    start = dt.date(2060, 1, 1) + dt.timedelta(days=int(marker[-6:], 16) % 20000)
    seed_events(settings, start, DAYS, world=world, seed=5)
    run_id = api("POST", "/api/runs", "erin", request(marker, start))["id"]
    handle = client.get_workflow_handle(run_id)
    while (await handle.query("status"))["step"] != "AWAIT_APPROVAL":
        await asyncio.sleep(0.2)
    api("POST", f"/api/runs/{run_id}/decision", "rita", {"approved": True, "comment": "bench"})
    result = await handle.result()
    assert result["outcome"] == "APPROVED", result

    events = [e async for e in handle.fetch_history_events()]
    times = [seconds(e.event_time) for e in events]
    started: dict[int, float] = {}
    intervals = []
    approval_timer = accepted = None
    for e in events:
        t = seconds(e.event_time)
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            started[e.activity_task_started_event_attributes.scheduled_event_id] = t
        elif e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            intervals.append((started[e.activity_task_completed_event_attributes.scheduled_event_id], t))
        elif e.event_type == EventType.EVENT_TYPE_TIMER_STARTED and approval_timer is None:
            approval_timer = t
        elif e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            accepted = t
    wall = max(times) - min(times)
    approval = max(0.0, accepted - approval_timer) if approval_timer and accepted else 0.0
    activities = union_length(intervals)
    return {"wall": wall, "approval": approval, "activities": activities,
            "overhead": wall - approval - activities, "activity_count": len(intervals)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--world", default="small", choices=["small", "default"])
    args = parser.parse_args()
    settings = StackSettings.from_env()
    client = await Client.connect(settings.temporal_target, namespace=settings.temporal_namespace)
    rows = []
    for i in range(args.runs):
        row = await one_run(client, settings, args.world)
        rows.append(row)
        print(f"run {i + 1}: wall {row['wall']:.2f}s  approval wait {row['approval']:.2f}s  "
              f"in activities {row['activities']:.2f}s ({row['activity_count']} activities)  "
              f"overhead {row['overhead']:.2f}s")
    med = {k: statistics.median(r[k] for r in rows) for k in ("wall", "approval", "activities", "overhead")}
    print(f"median of {args.runs}: wall {med['wall']:.2f}s  in activities {med['activities']:.2f}s  "
          f"overhead {med['overhead']:.2f}s ({100 * med['overhead'] / (med['wall'] - med['approval']):.1f} % of "
          f"the run without the approval wait)")


if __name__ == "__main__":
    asyncio.run(main())
