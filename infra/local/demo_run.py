"""The demo's main job, through the API: erin (ml-engineer) triggers a training pipeline run
and watches it to the approval wait; rita (release-manager) approves it; the canary rollout
then moves traffic while simulated buyers shop through the ranker, until the new version is
promoted or rolled back. Used by `./rankops demo`; reads the stack's variables from the
environment. With --no-approve it stops at the approval wait for a person to decide.

    demo_run.py --start 2026-11-01 --days 7 [--no-approve]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "trainer"))

from temporalio.client import Client  # noqa: E402

from rankops_trainer.simulate_traffic import TrafficSimulator  # noqa: E402

API = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_API_PORT']}"
PASSWORD = os.environ["RANKOPS_DEMO_PASSWORD"]
BAR = 30
WAIT_LIMIT_S = 1800
RANKER = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_RANKER_PORT']}"
TEMPORAL = f"{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_TEMPORAL_PORT']}"
# Demo-sized canary: the synthetic world has 3 000 buyers, so 5 % of them could never reach the
# production floor of 200 users per arm; bakes are seconds, not hours.
DEMO_ROLLOUT = {"bakeSeconds": 15, "stepsPercent": [20, 50, 100], "minUsersPerArm": 100}


def call(method: str, path: str, user: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(API + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode())
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path} as {user}: HTTP {e.code}: {e.read().decode()}")


def show(live: dict) -> str:
    step, progress = live.get("step", "?"), float(live.get("progress") or 0)
    filled = int(round(progress * BAR))
    metrics = live.get("latestMetrics") or {}
    shown = "  ".join(f"{k} {v:.4f}" for k, v in sorted(metrics.items()) if k in ("loss", "wr@10", "val_wr@10"))
    return f"    {step:<15} [{'#' * filled}{'.' * (BAR - filled)}] {progress:5.0%}  {shown}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--start", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--no-approve", action="store_true", help="stop at the approval wait")
    args = parser.parse_args()
    end = args.start + dt.timedelta(days=args.days - 1)
    run = call("POST", "/api/runs", "erin", {
        "modelFamily": "resflow", "regionMask": True, "trigger": "api",
        "window": {"start": args.start.isoformat(), "end": end.isoformat()},
        "params": {"epochs": 3, "batchSize": 64, "learningRate": 0.002, "embeddingDim": 12, "patience": 2, "seed": 7},
        "gate": {"k": 10, "minWeightedRecall": 0.5, "maxRegression": 0.02},
        "rollout": DEMO_ROLLOUT,
    })
    run_id = run.get("id") or run["run"]["id"]
    print(f"    run {run_id} started by erin (ml-engineer)")
    last, deadline = "", time.monotonic() + WAIT_LIMIT_S
    while time.monotonic() < deadline:
        detail = call("GET", f"/api/runs/{run_id}", "erin")
        live = detail.get("live") or {}
        line = show(live) if live else f"    status {detail['run']['status']}"
        if line != last:
            print(line, flush=True)
            last = line
        if live.get("step") in ("AWAIT_APPROVAL", "DONE") or detail.get("result"):
            break
        time.sleep(2)
    else:
        sys.exit(f"run {run_id} did not reach the approval wait within {WAIT_LIMIT_S}s")

    gate = live.get("gate") or {}
    print(f"\n    gate: {'passed' if gate.get('passed') else 'FAILED'} — "
          + "; ".join(gate.get("failures") or gate.get("passedChecks") or []))
    links = detail.get("links") or {}
    print(f"    Temporal: {links.get('temporal')}\n    MLflow:   {links.get('mlflow')}")
    if live.get("step") != "AWAIT_APPROVAL":
        sys.exit(f"    run {run_id} ended without reaching approval: {detail.get('result') or live}")
    registered = live.get("registered") or {}
    print(f"    model {registered.get('modelName')} version {registered.get('version')} awaits a release manager.")
    if args.no_approve:
        print(f"    Approve as rita in the UI ({API}/) or:\n"
              f"      curl -u rita:{PASSWORD} -H 'Content-Type: application/json' "
              f"-d '{{\"approved\": true, \"comment\": \"demo\"}}' {API}/api/runs/{run_id}/decision")
        return
    call("POST", f"/api/runs/{run_id}/decision", "rita", {"approved": True, "comment": "demo approval"})
    print("    rita (release-manager) approved; the canary rollout starts, simulated buyers shop:")
    watch_rollout(run_id)


def watch_rollout(run_id: str) -> None:
    stop = threading.Event()
    simulator = TrafficSimulator(RANKER, dt.date(2026, 11, 8))
    shoppers = threading.Thread(target=simulator.run, args=(WAIT_LIMIT_S,), kwargs={"stop": stop}, daemon=True)
    shoppers.start()

    async def follow() -> dict:
        client = await Client.connect(TEMPORAL, namespace=os.environ["RANKOPS_TEMPORAL_NAMESPACE"])
        rollout = client.get_workflow_handle(f"{run_id}-rollout")
        shown_decisions, shown_traffic = 0, None
        while True:
            try:
                status = await rollout.query("status")
            except Exception:  # the child is not started yet
                await asyncio.sleep(1)
                continue
            if status["trafficPercent"] != shown_traffic:
                shown_traffic = status["trafficPercent"]
                print(f"    traffic to the candidate: {shown_traffic:g} %", flush=True)
            for decision in status["decisions"][shown_decisions:]:
                print(f"      {decision['verdict']:<9} at {decision['trafficPercent']:g} %: "
                      + "; ".join(decision["reasons"]), flush=True)
            shown_decisions = len(status["decisions"])
            if status["outcome"]:
                return await rollout.result()
            await asyncio.sleep(1)

    try:
        result = asyncio.run(follow())
    finally:
        stop.set()
        shoppers.join(timeout=30)
    print(f"\n    rollout {result['outcome']}: {result['reason']}")
    stats = simulator.stats.summary()
    print(f"    simulated buyers: {stats['requests']} requests, orders per request by arm "
          + ", ".join(f"{arm} {v:.3f}" for arm, v in stats["orders_per_request_by_arm"].items()))


if __name__ == "__main__":
    main()
