"""Load: the ranker holds a fixed request rate for 60 s with zero errors.

Open loop: request i is sent at t0 + i / RATE whatever happened to the earlier ones, and its
latency is measured from that planned instant, so a stalled server shows up in the tail instead
of silently slowing the client down (coordinated omission). Bodies are real search requests
from the synthetic world (one day, its candidates and features), built before the clock starts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

import aiohttp
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from conftest import MLFLOW, RANKER, ROOT, ranker_admin, record_figure
from rankops_trainer.config import StackSettings
from rankops_trainer.storage import ObjectStore
from rankops_world.simulate_traffic import TrafficSimulator, rank_request

RATE = 50  # requests per second
SECONDS = 60
BODIES = 400
MODEL_NAME = os.environ.get("RANKOPS_RANKER_MODEL_NAME", "rankops-ranker")
# The parity model the ranker's own tests use: trained on the synthetic world's feature spec.
FALLBACK_MODEL = ROOT / "services/ranker/src/test/resources/models/shared_bottom.onnx"


def ensure_champion() -> str:
    """The version the ranker serves; on a fresh stack, the committed parity model becomes champion."""
    models = ranker_admin().get(f"{RANKER}/admin/models", timeout=30).json()
    if models["champion"]:
        return models["champion"]["version"]
    stack = StackSettings.from_env()
    uri = ObjectStore(stack).upload(Path(FALLBACK_MODEL), f"s3://{stack.bucket}/models/reliability-load/model.onnx")
    mlflow = MlflowClient(MLFLOW)
    try:
        mlflow.create_registered_model(MODEL_NAME)
    except MlflowException:
        pass  # registered by an earlier run
    version = mlflow.create_model_version(MODEL_NAME, uri, tags={"rankops.test": "reliability-load"}).version
    mlflow.set_registered_model_alias(MODEL_NAME, "champion", version)
    reloaded = ranker_admin().post(f"{RANKER}/admin/models/reload", timeout=60).json()
    assert reloaded["champion"]["version"] == version, reloaded
    return version


async def fixed_rate(bodies: list[bytes]) -> tuple[list[float], list[str], float]:
    """(latencies in ms, error descriptions, achieved seconds) for RATE * SECONDS requests."""
    latencies: list[float] = []
    errors: list[str] = []
    timeout = aiohttp.ClientTimeout(total=10)
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        async def one(planned: float, body: bytes) -> None:
            try:
                async with session.post(f"{RANKER}/v1/rank", data=body,
                                        headers={"Content-Type": "application/json"}) as response:
                    payload = await response.read()
                    if response.status != 200:
                        errors.append(f"HTTP {response.status}: {payload[:200]!r}")
                        return
                    if not json.loads(payload)["items"]:
                        errors.append("empty ranking")
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                errors.append(f"{type(e).__name__}: {e}")
                return
            latencies.append((time.perf_counter() - planned) * 1000)

        started = time.perf_counter()
        tasks = []
        for i in range(RATE * SECONDS):
            planned = started + i / RATE
            delay = planned - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(planned, bodies[i % len(bodies)])))
        await asyncio.gather(*tasks)
        return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]


def test_ranker_holds_a_fixed_rate_for_a_minute_without_errors() -> None:
    version = ensure_champion()
    simulator = TrafficSimulator(RANKER, dt.date(2026, 11, 8), seed=1)
    requests_of_day = simulator.requests[:BODIES]
    bodies = [json.dumps(rank_request(rows)).encode() for rows in requests_of_day]
    candidates = [len(rows) for rows in requests_of_day]

    latencies, errors, elapsed = asyncio.run(fixed_rate(bodies))

    assert errors == [], f"{len(errors)} errors, first: {errors[:5]}"
    assert len(latencies) == RATE * SECONDS
    record_figure("ranker_fixed_rate_60s", {
        "ratePerSecond": RATE, "seconds": SECONDS, "requests": len(latencies), "errors": len(errors),
        "achievedSeconds": round(elapsed, 2), "championVersion": version,
        "candidatesPerRequestMedian": statistics.median(candidates),
        "latencyMs": {"p50": round(percentile(latencies, 0.50), 2), "p90": round(percentile(latencies, 0.90), 2),
                      "p99": round(percentile(latencies, 0.99), 2), "max": round(max(latencies), 2)},
    })
