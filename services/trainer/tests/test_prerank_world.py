"""The pre-rank world's invariants (docs/data.md, "The pre-rank world")."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from rankops_trainer.data.schema import (DISPLAY_POSITION, PRERANK_KEPT, PROPENSITY, PROPENSITY_KEPT, SHOWN,
                                         TRUTH_DOWNSTREAM_SCORE, TRUTH_IF_EXAMINED)
from rankops_world.synthetic import (PRERANK_EVENTS_SCHEMA, PrerankConfig, WorldConfig, build_world,
                                     draw_logged_lists, expected_orders_prerank, generate_events,
                                     shown_propensities, simulate_day, write_partitions)

DAY = dt.date(2026, 11, 1)
LABELS = ("click", "add_to_cart", "purchase")


@pytest.fixture(scope="module")
def small_world():
    return build_world(WorldConfig.small_prerank(seed=3))


@pytest.fixture(scope="module")
def small_events(small_world) -> pd.DataFrame:
    return generate_events(small_world, DAY, 3)


@pytest.fixture(scope="module")
def full_world():
    return build_world(WorldConfig.prerank_world())


@pytest.fixture(scope="module")
def full_day(full_world) -> pd.DataFrame:
    # One day of the frozen preset (~600 000 rows, a few seconds): the funnel figures are its own.
    return simulate_day(full_world, DAY)


def test_every_request_holds_its_whole_candidate_set(small_events, small_world) -> None:
    cfg = small_world.config
    per_request = small_events.groupby("request_id")
    assert (per_request.size() == cfg.candidates_per_request).all()
    assert (per_request["item_id"].nunique() == cfg.candidates_per_request).all()
    assert (per_request[PRERANK_KEPT].sum() == cfg.prerank.keep).all()
    assert (per_request[SHOWN].sum() == cfg.prerank.shown).all()
    assert (per_request["position"].apply(lambda p: sorted(p) == list(range(cfg.candidates_per_request)))).all()


def test_labels_only_on_shown_rows_and_the_funnel_holds(small_events) -> None:
    unshown = small_events[small_events[SHOWN] == 0]
    for label in LABELS:
        assert (unshown[label] == 0).all()
    assert (small_events["purchase"] <= small_events["add_to_cart"]).all()
    assert (small_events["add_to_cart"] <= small_events["click"]).all()
    assert small_events["click"].sum() > 0
    # Shown rows are kept rows, at display positions 0..shown-1 that equal the logged position.
    shown = small_events[small_events[SHOWN] == 1]
    assert (shown[PRERANK_KEPT] == 1).all()
    assert (shown[DISPLAY_POSITION] == shown["position"]).all()
    assert (unshown[DISPLAY_POSITION] == -1).all()
    assert (unshown["truth_examination"] == 0).all() and (unshown["truth_p_click"] == 0).all()


def test_propensities_sum_to_the_shown_count_and_are_positive(small_events, small_world) -> None:
    pre = small_world.config.prerank
    sums = small_events.groupby("request_id")[PROPENSITY].sum()
    np.testing.assert_allclose(sums, pre.shown, rtol=0, atol=1e-9)
    np.testing.assert_allclose(small_events.groupby("request_id")[PROPENSITY_KEPT].sum(), pre.keep, atol=1e-9)
    assert ((small_events[PROPENSITY] > 0) & (small_events[PROPENSITY] <= small_events[PROPENSITY_KEPT])).all()
    assert (small_events[PROPENSITY_KEPT] <= 1).all()


@pytest.mark.parametrize("pre", [PrerankConfig(keep=12, explore=5, shown=5, shown_explore=1),
                                 PrerankConfig(keep=10, explore=0, shown=4, shown_explore=0),
                                 PrerankConfig(keep=12, explore=12, shown=6, shown_explore=2)])
def test_exact_propensities_match_repeated_draws(pre) -> None:
    rng = np.random.default_rng(0)
    prerank, downstream = rng.normal(size=(4, 30)), rng.normal(size=(4, 30))
    p_kept, p_shown = shown_propensities(prerank, downstream, pre)
    draws = 20_000
    kept_freq, shown_freq = np.zeros_like(p_kept), np.zeros_like(p_shown)
    batch = np.repeat(prerank, draws // 4, axis=0), np.repeat(downstream, draws // 4, axis=0)
    for seed in range(4):
        kept, shown = draw_logged_lists(*batch, pre, np.random.default_rng([1, seed]))
        kept_freq += kept.reshape(4, -1, 30).mean(axis=1)
        shown_freq += shown.reshape(4, -1, 30).mean(axis=1)
    n = draws // 4 * 4
    for exact, freq in ((p_kept, kept_freq / 4), (p_shown, shown_freq / 4)):
        tolerance = 5 * np.sqrt(exact * (1 - exact) / n) + 1e-9
        assert (np.abs(freq - exact) <= tolerance).all(), np.abs(freq - exact).max()
    np.testing.assert_allclose(p_shown.sum(axis=1), pre.shown, atol=1e-9)


def test_generation_is_deterministic_by_seed_and_day(small_world) -> None:
    a = simulate_day(small_world, DAY)
    b = simulate_day(build_world(WorldConfig.small_prerank(seed=3)), DAY)
    pd.testing.assert_frame_equal(a, b)
    c = simulate_day(build_world(WorldConfig.small_prerank(seed=4)), DAY)
    assert not a["item_id"].equals(c["item_id"])


def test_partitions_carry_the_candidate_set_schema(small_world, tmp_path) -> None:
    [path] = write_partitions(small_world, tmp_path, DAY, 1)
    assert pq.read_schema(path).remove_metadata() == PRERANK_EVENTS_SCHEMA


def test_the_frozen_preset_has_a_sparse_funnel_markets_and_a_long_tail(full_day, full_world) -> None:
    cfg = full_world.config
    assert cfg.candidates_per_request >= 300 and 60 <= cfg.prerank.keep <= 100 and cfg.prerank.shown == 20
    shown = full_day[full_day[SHOWN] == 1]
    purchase_rate = shown["truth_p_purchase"].mean()
    assert 0.001 <= purchase_rate <= 0.003, purchase_rate
    assert 0.001 <= shown["purchase"].mean() <= 0.004
    # Ten markets, Zipf shares: the largest gets several times the smallest's traffic.
    traffic = full_day.groupby("region")["request_id"].nunique()
    assert len(traffic) == len(cfg.regions) >= 8 and traffic.max() > 5 * traffic.min()
    # Long tail: the top 1 % of items take a large share of retrieved candidates, yet most items appear.
    counts = full_day["item_id"].value_counts()
    assert counts.iloc[:cfg.n_items // 100].sum() > 0.15 * len(full_day)
    assert len(counts) > 0.5 * cfg.n_items


def test_clickbait_attracts_clicks_but_converts_worse(full_day, full_world) -> None:
    bait = full_world.item_clickbait[full_day["item_id"].to_numpy()]
    click = full_day[TRUTH_IF_EXAMINED["click"]]
    buy_given_click = full_day[TRUTH_IF_EXAMINED["purchase"]] / click
    assert click[bait].mean() > 1.3 * click[~bait].mean()
    assert buy_given_click[bait].mean() < 0.5 * buy_given_click[~bait].mean()


def test_the_discount_effect_changes_sign_between_markets(full_day) -> None:
    cart_given_click = full_day[TRUTH_IF_EXAMINED["cart"]] / full_day[TRUTH_IF_EXAMINED["click"]]
    slope = {}
    for region in ("US", "DE"):
        part = full_day["region"] == region
        slope[region] = np.corrcoef(full_day.loc[part, "discount"], np.log(cart_given_click[part]))[0, 1]
    assert slope["US"] > 0 > slope["DE"]


def test_markets_drift_mildly_across_days(full_world) -> None:
    small = build_world(WorldConfig.small_prerank(seed=3))
    first, later = (simulate_day(small, DAY + dt.timedelta(days=d)) for d in (0, 7))
    # Same item, same market, a week apart: the click propensity moved, but only a little.
    key = ["region", "item_id"]
    merged = first.groupby(key)[TRUTH_IF_EXAMINED["click"]].mean().to_frame("a").join(
        later.groupby(key)[TRUTH_IF_EXAMINED["click"]].mean().to_frame("b"), how="inner")
    ratio = (merged["b"] / merged["a"]).median()
    assert ratio != 1.0 and 0.7 < ratio < 1.4


def test_expected_orders_prerank_orders_policies_sensibly(full_day, full_world) -> None:
    oracle = expected_orders_prerank(full_world, full_day, full_day[TRUTH_IF_EXAMINED["purchase"]].to_numpy())
    logged = expected_orders_prerank(full_world, full_day, -full_day["position"].to_numpy(dtype=float))
    random = expected_orders_prerank(full_world, full_day, np.random.default_rng(0).random(len(full_day)))
    assert oracle > 1.1 * logged > 1.1 * random > 0


def test_expected_orders_prerank_by_hand() -> None:
    world = build_world(WorldConfig.small_prerank(seed=3))
    frame = pd.DataFrame({
        "request_id": ["a"] * 4,
        TRUTH_IF_EXAMINED["purchase"]: [0.1, 0.2, 0.3, 0.4],
        TRUTH_DOWNSTREAM_SCORE: [4.0, 3.0, 2.0, 1.0],
    })
    # Keep the 3 best by score (rows 3, 2, 1); downstream orders them 1, 2, 3; two are shown.
    got = expected_orders_prerank(world, frame, np.array([0.0, 1.0, 2.0, 3.0]), keep_k=3, shown=2)
    assert got == pytest.approx(0.2 * world.examination(np.array(0.0)) + 0.3 * world.examination(np.array(1.0)))
    with pytest.raises(ValueError, match="shown <= keep_k"):
        expected_orders_prerank(world, frame, np.zeros(4), keep_k=1, shown=2)
    with pytest.raises(ValueError, match="finite"):
        expected_orders_prerank(world, frame, np.array([0.0, np.nan, 0.0, 0.0]))


def test_simulated_buyers_shop_the_pre_rank_way(small_world) -> None:
    from rankops_world.simulate_traffic import displayed_list, draw_events

    pre = small_world.config.prerank
    day = simulate_day(small_world, DAY)
    requests = [rows for _, rows in day.groupby("request_id", sort=False)][:20]
    frame = pd.concat(requests, ignore_index=True)
    # A "ranker" that reverses the logged order: its top keep are the logging pre-ranker's last picks.
    scores = frame["position"].to_numpy(dtype=float)
    expected = expected_orders_prerank(small_world, frame, scores)
    rng = np.random.default_rng(0)
    orders, reps = 0, 150
    for rows in requests:
        ranked = rows.sort_values("position", ascending=False)["item_id"].tolist()
        page = displayed_list(rows, ranked, pre)
        assert len(page) == pre.shown and set(page) <= set(ranked[:pre.keep])
        downstream = rows.set_index("item_id")[TRUTH_DOWNSTREAM_SCORE]
        assert list(downstream[page]) == sorted(downstream[page], reverse=True)
        for _ in range(reps):
            orders += sum(event == "purchase" for _, event in draw_events(rows, page, small_world.examination, rng))
    observed = orders / (reps * len(requests))
    assert abs(observed - expected) < 4 * np.sqrt(expected / (reps * len(requests))), (observed, expected)
