"""Traffic simulator: synthetic-world buyers search, the ranker orders, buyers react.

    python -m rankops_world.simulate_traffic --ranker http://127.0.0.1:8082 --day 2026-11-08 \
        --seconds 60 --rate 50

Each simulated request is a real request of the synthetic world (same user, query and
candidates, `simulate_day`). The ranker's order decides the positions (in the pre-rank world,
--world prerank, the ranker gets the whole candidate set and acts as the pre-ranker: its top K
go to the world's fixed downstream ranker, which shows 20; `displayed_list`); the buyer's click,
add-to-cart and purchase are drawn from the world's true probabilities at those positions
(only examination depends on position, so p_t(new) = p_t(logged) / exam(logged) · exam(new)),
one uniform draw per item so the funnel holds. Every event goes back as feedback, so a
better model really earns more orders online: with the list's feedbackToken, as the feedback
source (HTTP Basic, RANKOPS_RANKER_FEEDBACK_USER / _PASSWORD), the way an event pipeline would
report it (services/ranker/README.md). Bounded by --seconds and --requests; loopback only by
default.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rankops_trainer.data.schema import TRUTH_DOWNSTREAM_SCORE, TRUTH_IF_EXAMINED
from rankops_world.synthetic import (CATEGORICAL_COLUMNS, NUMERICAL_COLUMNS, WORLD_PRESETS, PrerankConfig, WorldConfig,
                                     build_world, simulate_day, synthetic_feature_spec)

# Features that describe the request; the rest describe the candidate item.
REQUEST_FEATURES = ("user_id", "query_id", "query_category_id", "device", "user_segment", "region_code",
                    "user_activity", "user_price_level", "hour_of_day")
ITEM_FEATURES = tuple(c for c in CATEGORICAL_COLUMNS + NUMERICAL_COLUMNS if c not in REQUEST_FEATURES)
# Sent per candidate in the compact form (they depend on the query or the buyer's address).
CANDIDATE_FEATURES = synthetic_feature_spec(WorldConfig.small()).candidate_features
OVERRIDABLE = synthetic_feature_spec(WorldConfig.small()).overridable
EVENTS = ("click", "add_to_cart", "purchase")


@dataclass
class SimulationStats:
    requests: int = 0
    errors: int = 0
    events: Counter = field(default_factory=Counter)
    orders_by_arm: Counter = field(default_factory=Counter)
    requests_by_arm: Counter = field(default_factory=Counter)
    # Feedback the ranker refused, by HTTP status: none is expected from an honest buyer.
    feedback_refused: Counter = field(default_factory=Counter)

    def summary(self) -> dict:
        return {
            "requests": self.requests, "errors": self.errors, "events": dict(self.events),
            "orders_by_arm": dict(self.orders_by_arm),
            "orders_per_request_by_arm": {arm: self.orders_by_arm[arm] / n for arm, n in self.requests_by_arm.items()},
            "requests_by_arm": dict(self.requests_by_arm),
            "feedback_refused": {str(status): n for status, n in self.feedback_refused.items()},
        }


@dataclass(frozen=True)
class FeedbackCredentials:
    """The ranker's feedback source account (the event pipeline's in production)."""

    user: str
    password: str

    @classmethod
    def from_env(cls) -> "FeedbackCredentials":
        missing = [name for name in ("RANKOPS_RANKER_FEEDBACK_USER", "RANKOPS_RANKER_FEEDBACK_PASSWORD")
                   if not os.environ.get(name)]
        if missing:
            raise SystemExit(f"{', '.join(missing)} not set: export infra/local/rankops.env "
                             "(set -a && . infra/local/rankops.env && set +a)")
        return cls(os.environ["RANKOPS_RANKER_FEEDBACK_USER"], os.environ["RANKOPS_RANKER_FEEDBACK_PASSWORD"])

    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()


def post(url: str, body: dict, timeout: float = 10.0, authorization: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
        return json.loads(raw) if raw else {}


def feedback_event(ranked: dict, item_id: int, event: str) -> dict:
    """POST /v1/feedback's body for an event on an item of the list `ranked` (POST /v1/rank's answer)."""
    return {"requestId": ranked["requestId"], "feedbackToken": ranked["feedbackToken"], "itemId": int(item_id),
            "event": event}


def rank_request(rows: pd.DataFrame, compact: bool = False) -> dict:
    """POST /v1/rank's body: readable (every item feature per candidate) or compact (item ids and the
    per-candidate columns; the ranker serves the item features from the model's item snapshot)."""
    first = rows.iloc[0]
    body = {
        "requestId": None,
        "userId": int(first["user_id"]),
        "region": str(first["region"]),
        "context": {name: float(first[name]) for name in REQUEST_FEATURES},
    }
    if compact:
        body["itemIds"] = [int(i) for i in rows["item_id"]]
        body["candidateFeatures"] = {name: [float(v) for v in rows[name]] for name in CANDIDATE_FEATURES}
        # A buyer's market sets the live price: the snapshot's value is some other market's.
        body["overrides"] = {name: [float(v) for v in rows[name]] for name in OVERRIDABLE}
        body["probabilities"] = False
        return body
    body["candidates"] = [{"itemId": int(row["item_id"]), "features": {name: float(row[name]) for name in ITEM_FEATURES}}
                          for _, row in rows.iterrows()]
    return body


# The ranker's 400s that mean "send the readable form": a model registered without an item snapshot,
# or a ranker from before the compact form (it refuses the unknown field).
NO_SNAPSHOT = ("has no item snapshot", "unknown field 'itemIds'")
# After such a 400, the readable form for this long before the compact one is tried again.
COMPACT_RETRY_SECONDS = 30.0


def displayed_list(rows: pd.DataFrame, ranked: list[int], prerank: PrerankConfig | None) -> list[int]:
    """What the buyer sees (item ids, top first) when the ranker returned `ranked`. Displayed-list
    world: the ranker's order. Pre-rank world: the ranker is the pre-ranker: its top `keep` go
    to the world's fixed downstream ranker, which shows its first `shown` (as
    `expected_orders_prerank` computes it, without the logging policy's exploration slots)."""
    if prerank is None:
        return list(ranked)
    downstream = rows.set_index("item_id")[TRUTH_DOWNSTREAM_SCORE]
    kept = list(ranked[:prerank.keep])
    return sorted(kept, key=lambda item: -float(downstream.loc[item]))[:prerank.shown]


def draw_events(rows: pd.DataFrame, shown_order: list[int], examination, rng: np.random.Generator) -> list[tuple[int, str]]:
    """(item_id, event) the buyer produces for the list in `shown_order` (item ids)."""
    by_item = rows.set_index("item_id")
    position_free = TRUTH_IF_EXAMINED["click"] in rows.columns
    events = []
    for position, item_id in enumerate(shown_order):
        row = by_item.loc[item_id]
        exam = float(examination(float(position)))
        if position_free:  # the pre-rank world logs P(task | examined)
            p_click, p_cart, p_buy = (float(row[TRUTH_IF_EXAMINED[t]]) * exam for t in ("click", "cart", "purchase"))
        else:
            scale = exam / float(row["truth_examination"])
            p_click, p_cart, p_buy = (float(row[c]) * scale for c in ("truth_p_click", "truth_p_cart", "truth_p_purchase"))
        u = rng.random()
        if u < p_click:
            events.append((item_id, "click"))
            if u < p_cart:
                events.append((item_id, "add_to_cart"))
                if u < p_buy:
                    events.append((item_id, "purchase"))
    return events


class TrafficSimulator:
    """One synthetic day's requests, replayed against a ranker for as long as asked."""

    def __init__(self, ranker_url: str, day: dt.date, world_config: WorldConfig = WorldConfig(), seed: int = 0,
                 credentials: FeedbackCredentials | None = None) -> None:
        self.ranker_url = ranker_url
        self._authorization = (credentials or FeedbackCredentials.from_env()).header()
        self.world = build_world(world_config)
        frame = simulate_day(self.world, day)
        # A result list shows an item once; the world's retrieval can draw one twice.
        self.requests = [rows.drop_duplicates("item_id") for _, rows in frame.groupby("request_id", sort=False)]
        self.rng = np.random.default_rng(seed)
        self.stats = SimulationStats()
        self._next = 0
        self._readable_until = 0.0

    def run(self, seconds: float, rate: float = 0.0, max_requests: int | None = None,
            stop: threading.Event | None = None) -> SimulationStats:
        """Replays requests until `seconds` pass, `max_requests` are sent or `stop` is set."""
        deadline = time.monotonic() + seconds
        interval = 1.0 / rate if rate > 0 else 0.0
        next_at = time.monotonic()
        sent = 0
        while time.monotonic() < deadline and (max_requests is None or sent < max_requests) \
                and not (stop is not None and stop.is_set()):
            rows = self.requests[self._next % len(self.requests)]
            self._next += 1
            sent += 1
            self._one(rows)
            if interval:
                next_at += interval
                time.sleep(max(0.0, next_at - time.monotonic()))
        return self.stats

    def _rank(self, rows: pd.DataFrame) -> dict:
        """The compact form while the served model has an item snapshot, else the readable one."""
        if time.monotonic() >= self._readable_until:
            try:
                return post(f"{self.ranker_url}/v1/rank", rank_request(rows, compact=True))
            except urllib.error.HTTPError as refused:
                message = refused.read().decode(errors="replace")
                if refused.code != 400 or not any(reason in message for reason in NO_SNAPSHOT):
                    raise
                self._readable_until = time.monotonic() + COMPACT_RETRY_SECONDS
        return post(f"{self.ranker_url}/v1/rank", rank_request(rows))

    def _one(self, rows: pd.DataFrame) -> None:
        stats = self.stats
        stats.requests += 1
        try:
            ranked = self._rank(rows)
        except (urllib.error.URLError, OSError, ValueError):
            stats.errors += 1
            return
        arm = ranked.get("arm", "?")
        stats.requests_by_arm[arm] += 1
        order = displayed_list(rows, [item["itemId"] for item in ranked["items"]], self.world.config.prerank)
        for item_id, event in draw_events(rows, order, self.world.examination, self.rng):
            try:
                post(f"{self.ranker_url}/v1/feedback", feedback_event(ranked, item_id, event),
                     authorization=self._authorization)
            except urllib.error.HTTPError as refused:
                stats.feedback_refused[refused.code] += 1
                continue
            except (urllib.error.URLError, OSError, ValueError):
                stats.errors += 1
                continue
            stats.events[event] += 1
            if event == "purchase":
                stats.orders_by_arm[arm] += 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ranker", default=f"http://{os.environ.get('RANKOPS_HOST', '127.0.0.1')}:"
                                            f"{os.environ.get('RANKOPS_RANKER_PORT', '8082')}",
                        help="the ranker's base URL (default: RANKOPS_HOST and RANKOPS_RANKER_PORT)")
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2026, 11, 8),
                        help="synthetic day whose requests are replayed (after the training window)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=50, help="requests per second; 0 = as fast as possible")
    parser.add_argument("--requests", type=int, help="stop after this many requests")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--world", choices=sorted(WORLD_PRESETS), default="default",
                        help="the world preset whose buyers shop (the one the model was trained on; the demo's is prerank)")
    args = parser.parse_args(argv)
    stats = TrafficSimulator(args.ranker, args.day, WORLD_PRESETS[args.world](), seed=args.seed).run(
        args.seconds, args.rate, args.requests)
    print(json.dumps(stats.summary(), indent=2))


if __name__ == "__main__":
    main()
