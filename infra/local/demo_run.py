"""The demo's main job: a training pipeline run triggered through the API, watched to the
approval wait. Used by `./rankops demo`; reads the stack's variables from the environment.

    demo_run.py --start 2026-11-01 --days 7
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import sys
import time
import urllib.error
import urllib.request

API = f"http://{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_API_PORT']}"
PASSWORD = os.environ["RANKOPS_DEMO_PASSWORD"]
BAR = 30
WAIT_LIMIT_S = 1800


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
    args = parser.parse_args()
    end = args.start + dt.timedelta(days=args.days - 1)
    run = call("POST", "/api/runs", "erin", {
        "modelFamily": "resflow", "regionMask": True, "trigger": "api",
        "window": {"start": args.start.isoformat(), "end": end.isoformat()},
        "params": {"epochs": 3, "batchSize": 64, "learningRate": 0.002, "embeddingDim": 12, "patience": 2, "seed": 7},
        "gate": {"k": 10, "minWeightedRecall": 0.5, "maxRegression": 0.02},
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
    if live.get("step") == "AWAIT_APPROVAL":
        registered = live.get("registered") or {}
        print(f"    model {registered.get('modelName')} version {registered.get('version')} awaits a release manager.")
        print(f"    Approve as rita in the UI ({API}/) or:\n"
              f"      curl -u rita:{PASSWORD} -H 'Content-Type: application/json' "
              f"-d '{{\"approved\": true, \"comment\": \"demo\"}}' {API}/api/runs/{run_id}/decision")


if __name__ == "__main__":
    main()
