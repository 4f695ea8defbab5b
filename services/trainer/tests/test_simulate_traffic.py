"""The simulated buyer reacts to the shown order through examination and obeys the funnel."""

import base64
import datetime as dt

import numpy as np

from rankops_world.simulate_traffic import ITEM_FEATURES, REQUEST_FEATURES, FeedbackCredentials, draw_events, \
    feedback_event, rank_request
from rankops_world.synthetic import WorldConfig, build_world, simulate_day


def _one_request():
    world = build_world(WorldConfig.small(seed=3))
    frame = simulate_day(world, dt.date(2026, 11, 8))
    rows = next(rows for _, rows in frame.groupby("request_id", sort=False)).drop_duplicates("item_id")
    return world, rows


def test_rank_request_carries_every_feature_once() -> None:
    _, rows = _one_request()
    body = rank_request(rows)
    assert set(body["context"]) == set(REQUEST_FEATURES)
    assert all(set(c["features"]) == set(ITEM_FEATURES) for c in body["candidates"])
    assert len(body["candidates"]) == len(rows)
    assert body["region"] in ("US", "NL", "ES", "FR")


def test_events_obey_the_funnel_and_favour_the_top_positions() -> None:
    world, rows = _one_request()
    item = int(rows.iloc[0]["item_id"])
    others = [int(i) for i in rows["item_id"] if int(i) != item]
    rng = np.random.default_rng(0)
    top = bottom = 0
    for _ in range(3000):
        for order, counter in (([item] + others, "top"), (others + [item], "bottom")):
            events = [e for i, e in draw_events(rows, order, world.examination, rng) if i == item]
            if "purchase" in events:
                assert "add_to_cart" in events and "click" in events
            if "add_to_cart" in events:
                assert "click" in events
            if "click" in events:
                if counter == "top":
                    top += 1
                else:
                    bottom += 1
    assert top > 1.5 * bottom, (top, bottom)


def test_feedback_carries_the_lists_token_and_the_feedback_credential() -> None:
    ranked = {"requestId": "r-1", "feedbackToken": "tok", "arm": "champion", "items": [{"itemId": 7}]}
    assert feedback_event(ranked, 7, "click") == {"requestId": "r-1", "feedbackToken": "tok", "itemId": 7,
                                                  "event": "click"}
    header = FeedbackCredentials("events", "secret").header()
    assert header.startswith("Basic ") and base64.b64decode(header[6:]).decode() == "events:secret"
    # a rank request never chooses its own id: the ranker picks one (a chosen one can be refused as reused)
    _, rows = _one_request()
    assert rank_request(rows)["requestId"] is None
