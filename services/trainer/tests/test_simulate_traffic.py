"""The simulated buyer reacts to the shown order through examination and obeys the funnel."""

import datetime as dt

import numpy as np

from rankops_world.simulate_traffic import ITEM_FEATURES, REQUEST_FEATURES, draw_events, rank_request
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
