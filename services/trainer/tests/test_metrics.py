from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest

from rankops_trainer.metrics import (candidate_weights, dead_task_reason, fuse, rank_within_requests, roc_auc,
                                     select_fusion_weights, split_metrics, weighted_recall_at_k,
                                     weighted_recall_from_lists, weighted_recall_parts)

VECTORS = json.loads((Path(__file__).parent / "vectors" / "displayed_weighted_recall_at_k.json").read_text())


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[c["name"] for c in VECTORS["cases"]])
def test_weighted_recall_matches_committed_vectors(case: dict) -> None:
    requests = [(r["scores"], r["labels"]) for r in case["requests"]]
    got = weighted_recall_from_lists(requests, case["k"])
    if case["expected"] is None:
        assert math.isnan(got)
    else:
        assert got == pytest.approx(case["expected"], abs=VECTORS["tolerance"])
    for req, expected in zip(requests, case["expected_per_request"]):
        single = weighted_recall_from_lists([req], case["k"])
        assert (math.isnan(single) if expected is None else single == pytest.approx(expected, abs=1e-12))


def test_vectors_cover_ties_undefined_and_quantities() -> None:
    names = {c["name"] for c in VECTORS["cases"]}
    assert {"all_tied_first_rows_win", "no_orders_is_undefined", "worked_example_docs"} <= names
    worked = next(c for c in VECTORS["cases"] if c["name"] == "worked_example_docs")
    assert worked["expected"] == 0.5  # the value derived by hand in docs/metrics.md


def test_ties_break_by_original_order_within_request() -> None:
    ranks = rank_within_requests(np.array([0.5, 0.5, 0.9, 0.5]), np.array([0, 0, 0, 0]))
    assert ranks.tolist() == [1, 2, 0, 3]


def test_interleaved_requests_are_ranked_separately() -> None:
    ids = np.array(["b", "a", "b", "a"])
    ranks = rank_within_requests(np.array([0.1, 0.2, 0.3, 0.4]), ids)
    assert ranks.tolist() == [1, 1, 0, 0]


def test_wr_is_invariant_to_row_permutation_without_ties() -> None:
    rng = np.random.default_rng(0)
    n = 500
    ids = rng.integers(0, 40, n)
    scores = rng.random(n)
    labels = (rng.random(n) < 0.2).astype(float)
    base = weighted_recall_at_k(scores, labels, ids, 3)
    perm = rng.permutation(n)
    assert weighted_recall_at_k(scores[perm], labels[perm], ids[perm], 3) == pytest.approx(base)


def test_wr_weights_requests_by_orders_and_matches_brute_force() -> None:
    rng = np.random.default_rng(1)
    ids = np.repeat(np.arange(30), 8)
    scores = rng.random(len(ids))
    labels = rng.integers(0, 3, len(ids)) * (rng.random(len(ids)) < 0.3)
    hits = orders = 0.0
    for r in range(30):
        rows = np.flatnonzero(ids == r)
        top = rows[np.argsort(-scores[rows], kind="stable")[:4]]
        hits += labels[top].sum()
        orders += labels[rows].sum()
    parts = weighted_recall_parts(scores, labels, ids, 4)
    assert parts.hits == hits and parts.orders == orders
    assert parts.value == pytest.approx(hits / orders)


def test_perfect_scores_reach_one_and_reversed_scores_do_worse() -> None:
    ids = np.repeat(np.arange(50), 10)
    rng = np.random.default_rng(2)
    labels = np.zeros(len(ids))
    labels[np.arange(50) * 10 + rng.integers(0, 10, 50)] = 1
    assert weighted_recall_at_k(labels + 1e-3 * rng.random(len(ids)), labels, ids, 1) == 1.0
    assert weighted_recall_at_k(-labels, labels, ids, 3) < 0.5


def test_wr_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        weighted_recall_at_k(np.array([0.1]), np.array([1.0]), np.array([0]), 0)
    with pytest.raises(ValueError):
        weighted_recall_at_k(np.array([np.nan]), np.array([1.0]), np.array([0]), 1)
    with pytest.raises(ValueError):
        weighted_recall_at_k(np.array([0.1, 0.2]), np.array([1.0]), np.array([0, 0]), 1)


def _pairwise_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    pos, neg = scores[labels == 1], scores[labels == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


def test_auc_matches_pairwise_definition_with_ties() -> None:
    rng = np.random.default_rng(3)
    labels = (rng.random(300) < 0.3).astype(int)
    scores = np.round(rng.random(300) + 0.3 * labels, 1)  # coarse grid: many ties
    assert roc_auc(labels, scores) == pytest.approx(_pairwise_auc(labels, scores), abs=1e-12)


def test_auc_edge_cases() -> None:
    y = np.array([0, 0, 1, 1])
    assert roc_auc(y, np.array([0.1, 0.2, 0.3, 0.4])) == 1.0
    assert roc_auc(y, np.array([0.4, 0.3, 0.2, 0.1])) == 0.0
    assert roc_auc(y, np.full(4, 0.5)) == 0.5
    assert math.isnan(roc_auc(np.ones(4), np.arange(4.0)))


def test_dead_task_detection() -> None:
    rng = np.random.default_rng(4)
    labels = (rng.random(20000) < 0.1).astype(int)
    assert "constant" in dead_task_reason(labels, np.full(len(labels), 0.1))
    assert "chance" in dead_task_reason(labels, rng.random(len(labels)))
    assert dead_task_reason(labels, 0.5 * labels + rng.random(len(labels))) is None
    assert "no positive" in dead_task_reason(np.zeros(100), rng.random(100))


def test_fusion_formulas() -> None:
    probs = np.array([[0.5, 0.2, 0.1], [0.4, 0.3, 0.05]])
    np.testing.assert_allclose(fuse(probs, (1.0, 0.5, 2.0), "additive"), [0.5 + 0.1 + 0.2, 0.4 + 0.15 + 0.1])
    mult = fuse(probs, (1.0, 0.0, 1.0), "multiplicative")
    # Ranked by the log of the product: same order as p_click * p_purchase.
    assert (mult[0] > mult[1]) == (0.5 * 0.1 > 0.4 * 0.05)
    with pytest.raises(ValueError):
        fuse(probs, (1.0, 1.0), "additive")


def test_candidate_weights_fix_purchase_weight() -> None:
    grid = candidate_weights(3, (0.0, 1.0))
    assert len(grid) == 4 and all(w[-1] == 1.0 for w in grid)


def test_fusion_selection_uses_the_signal_in_validation() -> None:
    # Purchase probabilities are uninformative; clicks carry the signal -> the chosen
    # additive weights must put weight on click.
    rng = np.random.default_rng(5)
    ids = np.repeat(np.arange(200), 10)
    orders = np.zeros(len(ids))
    orders[np.arange(200) * 10 + rng.integers(0, 10, 200)] = 1
    probs = np.column_stack([0.3 * orders + 0.1 * rng.random(len(ids)), np.full(len(ids), 0.01)])
    choice = select_fusion_weights(probs, orders, ids, 1, "additive")
    assert choice.weights[0] > 0
    assert choice.validation_wr == pytest.approx(1.0)


def test_split_metrics_per_region_adds_up_to_global() -> None:
    rng = np.random.default_rng(6)
    n_req, per = 120, 8
    ids = np.repeat(np.arange(n_req), per)
    region = np.repeat(rng.integers(0, 3, n_req), per)
    labels = np.column_stack([(rng.random(len(ids)) < p).astype(float) for p in (0.3, 0.1)])
    probs = np.clip(labels * 0.3 + rng.random(labels.shape) * 0.5, 0, 1)
    report = split_metrics(probs, labels, ids, region, ("click", "purchase"), ("US", "NL", "ES"),
                           probs[:, 1], ks=(2, 4))
    for k in ("2", "4"):
        hits = sum(r["wr_at_k"][k] * r["n_orders"] for r in report["per_region"].values())
        assert hits / report["n_orders"] == pytest.approx(report["wr_at_k"][k])
    assert set(report["per_region"]) == {"US", "NL", "ES"}
    assert report["dead_tasks"] == {}
