"""Pre-rank Weighted Recall@K against its committed vectors, and the engagement weights."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from rankops_trainer.metrics.prerank import (PRERANK_KS, EngagementWeights, engagement, prerank_ks,
                                             prerank_recall_from_lists, prerank_weighted_recall_at_k)
from rankops_trainer.metrics.ranking import weighted_recall_at_k

VECTORS = json.loads((Path(__file__).parent / "vectors" / "prerank_weighted_recall_at_k.json").read_text())


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_prerank_wr_matches_committed_vectors(case: dict) -> None:
    weights = EngagementWeights.from_dict(case["weights"])
    got = prerank_recall_from_lists(case["requests"], case["k"], weights)
    if case["expected"] is None:
        assert math.isnan(got)
    else:
        assert got == pytest.approx(case["expected"], abs=VECTORS["tolerance"])
    for req, expected in zip(case["requests"], case["expected_per_request"]):
        single = prerank_recall_from_lists([req], case["k"], weights)
        assert math.isnan(single) if expected is None else single == pytest.approx(expected, abs=1e-12)


def test_vectors_hold_the_docs_example_and_the_edge_cases() -> None:
    by_name = {c["name"]: c for c in VECTORS["cases"]}
    assert {"unshown_candidates_take_slots", "no_engagement_is_undefined", "all_tied_first_candidates_win",
            "k_beyond_candidate_set", "weights_change_the_winner"} <= set(by_name)
    # The values derived by hand in docs/metrics.md.
    assert by_name["worked_example_docs"]["expected"] == pytest.approx(1 / 3)
    assert by_name["worked_example_docs_weighted"]["expected"] == pytest.approx(2.0 / 4.8)


def test_orders_only_over_a_fully_shown_list_is_the_displayed_metric() -> None:
    rng = np.random.default_rng(0)
    ids = np.repeat(np.arange(40), 12)
    scores = rng.random(len(ids))
    click = (rng.random(len(ids)) < 0.3).astype(float)
    cart = click * (rng.random(len(ids)) < 0.5)
    order = cart * (rng.random(len(ids)) < 0.5)
    for k in (1, 3, 12):
        assert prerank_weighted_recall_at_k(scores, click, cart, order, ids, k) == \
            weighted_recall_at_k(scores, order, ids, k)


def test_engagement_weights_are_checked_by_name() -> None:
    assert EngagementWeights().as_dict() == {"click": 0.0, "cart": 0.0, "order": 1.0}
    assert EngagementWeights.from_dict({"click": 0.5}).as_dict() == {"click": 0.5, "cart": 0.0, "order": 1.0}
    with pytest.raises(ValueError, match="engagement_weights.cart"):
        EngagementWeights(cart=-1.0)
    with pytest.raises(ValueError, match="engagement_weights.order"):
        EngagementWeights.from_dict({"order": float("nan")})
    with pytest.raises(ValueError, match="unknown kinds \\['purchase'\\]"):
        EngagementWeights.from_dict({"purchase": 1.0})
    with pytest.raises(ValueError, match="at least one"):
        EngagementWeights(order=0.0)
    with pytest.raises(ValueError, match="engagement_weights.click must be a number"):
        EngagementWeights.from_dict({"click": "1"})


def test_engagement_refuses_bad_labels() -> None:
    ok = np.zeros(3)
    with pytest.raises(ValueError, match="cart labels"):
        engagement(ok, np.array([0.0, -1.0, 0.0]), ok)
    with pytest.raises(ValueError, match="differ in length"):
        engagement(ok, ok, np.zeros(2))
    np.testing.assert_allclose(engagement(np.ones(3), np.ones(3), np.zeros(3), EngagementWeights(0.1, 0.3, 1.0)),
                               np.full(3, 0.4))


def test_prerank_ks_include_the_keep_k() -> None:
    assert prerank_ks(None) == PRERANK_KS
    assert prerank_ks(80) == tuple(sorted(set(PRERANK_KS) | {80}))
    with pytest.raises(ValueError):
        prerank_ks(0)
