"""The demo's main job, through the API: erin (ml-engineer) triggers a training pipeline run
and watches it to the approval wait; rita (release-manager) approves it; the canary rollout
then moves traffic while simulated buyers shop through the ranker, until the new version is
promoted or rolled back. The first run on a fresh stack is judged against the ranker's baseline
arm (buyers keep today's order); a later one against the champion it would replace. Used by `./rankops demo`; reads the stack's variables from the
environment. With --no-approve it stops at the approval wait for a person to decide.

    demo_run.py --start 2026-11-01 --days 7 [--world demo] [--no-approve]
"""

from __future__ import annotations

import argparse
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

from rankops_world.simulate_traffic import TrafficSimulator  # noqa: E402
from rankops_world.synthetic import WORLD_PRESETS, WorldConfig  # noqa: E402

API = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_API_PORT']}"
PASSWORD = os.environ["RANKOPS_DEMO_PASSWORD"]
BAR = 30
WAIT_LIMIT_S = 1800
RANKER = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_RANKER_PORT']}"
# Demo-sized canary: the synthetic world has 3 000 buyers, so 5 % of them could never reach the
# production floor of 200 users per arm; bakes are seconds, not hours.
DEMO_ROLLOUT = {"bakeSeconds": 15, "stepsPercent": [20, 50, 100], "minUsersPerArm": 100}


MODEL = "rankops-ranker"


def call(method: str, path: str, user: str, body: dict | None = None, allow_404: bool = False) -> dict:
    request = urllib.request.Request(API + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode())
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        if allow_404 and e.code == 404:
            return {}
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
    parser.add_argument("--world", choices=sorted(WORLD_PRESETS), default="demo",
                        help="the world preset the events were seeded from (its buyers shop in the canary)")
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
    plan = next((a.get("plan") for a in call("GET", "/api/approvals", "rita") if a["run"]["id"] == run_id), None) or {}
    against = f"champion v{plan['championVersion']}" if plan.get("championVersion") else "the baseline (no champion yet)"
    call("POST", f"/api/runs/{run_id}/decision", "rita", {"approved": True, "comment": "demo approval"})
    print(f"    rita (release-manager) approved; the canary against {against} starts, simulated buyers shop:")
    watch_rollout(run_id, registered.get("version"), WORLD_PRESETS[args.world]())


def describe_reference(decision: dict) -> str:
    if decision.get("comparedWith") == "baseline":
        return "baseline (no champion yet)"
    version = decision.get("championVersion")
    return f"champion v{version}" if version else "champion"


def watch_rollout(run_id: str, version: str, world: WorldConfig) -> None:
    """Follows the canary through the API (the run page reads the same view) until it ends."""
    stop = threading.Event()
    simulator = TrafficSimulator(RANKER, dt.date(2026, 11, 8), world)
    shoppers = threading.Thread(target=simulator.run, args=(WAIT_LIMIT_S,), kwargs={"stop": stop}, daemon=True)
    shoppers.start()
    shown_decisions, shown_traffic, status = 0, None, {}
    deadline = time.monotonic() + WAIT_LIMIT_S
    try:
        while time.monotonic() < deadline:
            status = call("GET", f"/api/runs/{run_id}/rollout", "rita", allow_404=True)
            if not status:  # the child is not started yet
                time.sleep(1)
                continue
            # Before its first step the canary reports 0 %: nothing to say yet.
            if status["trafficPercent"] != shown_traffic and (shown_traffic is not None or status["trafficPercent"] > 0):
                shown_traffic = status["trafficPercent"]
                print(f"    traffic to the candidate: {shown_traffic:g} %", flush=True)
            for decision in status["decisions"][shown_decisions:]:
                print(f"      {decision['verdict']:<9} at {decision['trafficPercent']:g} % vs {describe_reference(decision)}: "
                      + "; ".join(decision["reasons"]), flush=True)
            shown_decisions = len(status["decisions"])
            if status.get("outcome"):
                break
            time.sleep(1)
        else:
            sys.exit(f"the canary of run {run_id} did not end within {WAIT_LIMIT_S}s")
    finally:
        stop.set()
        shoppers.join(timeout=30)
    run = call("GET", f"/api/runs/{run_id}", "rita")["run"]
    stats = simulator.stats.summary()
    print(f"\n    simulated buyers: {stats['requests']} requests, orders per request by arm "
          + ", ".join(f"{arm} {v:.3f}" for arm, v in sorted(stats["orders_per_request_by_arm"].items())))
    models = call("GET", f"/api/models/{MODEL}/versions", "rita")
    champion = models.get("aliases", {}).get("champion")
    last = (status.get("decisions") or [{}])[-1]
    evidence = (f"orders/user {last.get('candidateOrdersPerUser') or 0:.4f} ({last.get('candidateUsers')} users) vs "
                f"{describe_reference(last)} {last.get('championOrdersPerUser') or 0:.4f} ({last.get('championUsers')} users)"
                if last else "no step judged")
    if status.get("outcome") == "PROMOTED":
        print(f"    PROMOTED: version {version} is champion ({evidence})")
    else:
        print(f"    {status.get('outcome')}: version {version} is not served; champion "
              f"{'v' + champion if champion else 'none (buyers keep the baseline order)'}. {run['reason']}")


if __name__ == "__main__":
    main()
