"""Regenerates the Weighted Recall@K test vectors from hand-written cases plus seeded random ones:

- displayed_weighted_recall_at_k.json: the displayed-list metric (orders in the list shown),
- prerank_weighted_recall_at_k.json: the pre-rank metric (weighted engagement over the full
  candidate set, docs/metrics.md "Pre-rank Weighted Recall@K").

Expected values come from `reference_wr` and `reference_prerank_wr`, deliberately naive loops
(not the vectorized implementation under test), so the vectors are an independent oracle.
Run: python tests/vectors/generate_vectors.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path


def reference_wr(requests: list[dict], k: int) -> tuple[float | None, list[float | None]]:
    hits_total, orders_total, per_request = 0.0, 0.0, []
    for req in requests:
        # Descending score; Python's sort is stable, so ties keep the original order.
        ranked = sorted(range(len(req["scores"])), key=lambda i: -req["scores"][i])
        top = set(ranked[:k])
        orders = float(sum(req["labels"]))
        hits = float(sum(req["labels"][i] for i in top))
        per_request.append(hits / orders if orders > 0 else None)
        hits_total += hits
        orders_total += orders
    return (hits_total / orders_total if orders_total > 0 else None), per_request


HAND_CASES = [
    {"name": "worked_example_docs", "k": 2, "requests": [
        {"scores": [0.9, 0.8, 0.3, 0.1], "labels": [0, 1, 0, 1]},
        {"scores": [0.2, 0.7, 0.5], "labels": [1, 0, 0]},
        {"scores": [0.4, 0.6], "labels": [0, 0]},
        {"scores": [0.5, 0.9, 0.1], "labels": [0, 2, 1]}]},
    {"name": "all_tied_first_rows_win", "k": 2, "requests": [
        {"scores": [0.5, 0.5, 0.5], "labels": [0, 0, 1]}]},
    {"name": "all_tied_purchase_first", "k": 2, "requests": [
        {"scores": [0.5, 0.5, 0.5], "labels": [1, 0, 0]}]},
    {"name": "partial_tie_at_cutoff", "k": 2, "requests": [
        {"scores": [0.9, 0.4, 0.4, 0.4], "labels": [0, 0, 1, 1]},
        {"scores": [0.1, 0.3, 0.3], "labels": [0, 0, 1]}]},
    {"name": "k_larger_than_list", "k": 10, "requests": [
        {"scores": [0.1, 0.2], "labels": [1, 0]},
        {"scores": [0.3], "labels": [1]}]},
    {"name": "no_orders_is_undefined", "k": 3, "requests": [
        {"scores": [0.1, 0.2, 0.3], "labels": [0, 0, 0]}]},
    {"name": "k_one_negative_scores", "k": 1, "requests": [
        {"scores": [-1.5, -0.2, -3.0], "labels": [0, 1, 0]},
        {"scores": [-0.1, -0.2], "labels": [0, 1]}]},
    {"name": "weighting_by_orders_not_requests", "k": 1, "requests": [
        {"scores": [0.9, 0.1], "labels": [1, 0]},
        {"scores": [0.9, 0.8, 0.7, 0.6], "labels": [0, 1, 1, 1]}]},
]


def random_cases(seed: int, n_cases: int) -> list[dict]:
    rng = random.Random(seed)
    cases = []
    for c in range(n_cases):
        requests = []
        for _ in range(rng.randint(3, 8)):
            n = rng.randint(1, 12)
            # Scores on a coarse grid so ties are common.
            scores = [rng.randint(0, 6) / 6 for _ in range(n)]
            labels = [1 if rng.random() < 0.2 else 0 for _ in range(n)]
            requests.append({"scores": scores, "labels": labels})
        cases.append({"name": f"random_seed{seed}_{c}", "k": rng.randint(1, 5), "requests": requests})
    return cases


def reference_prerank_wr(requests: list[dict], k: int, weights: dict[str, float]) -> tuple[float | None, list[float | None]]:
    hit_total, all_total, per_request = 0.0, 0.0, []
    for req in requests:
        value = [weights["click"] * c + weights["cart"] * a + weights["order"] * o
                 for c, a, o in zip(req["click"], req["cart"], req["order"])]
        ranked = sorted(range(len(req["scores"])), key=lambda i: -req["scores"][i])
        hit = sum(value[i] for i in ranked[:k])
        total = sum(value)
        per_request.append(hit / total if total > 0 else None)
        hit_total += hit
        all_total += total
    return (hit_total / all_total if all_total > 0 else None), per_request


ORDERS_ONLY = {"click": 0.0, "cart": 0.0, "order": 1.0}


def _candidates(scores: list[float], shown: dict[int, tuple[int, int, int]]) -> dict:
    """A candidate set where only the rows in `shown` were displayed: (click, cart, order)."""
    rows = [shown.get(i, (0, 0, 0)) for i in range(len(scores))]
    return {"scores": scores, "click": [r[0] for r in rows], "cart": [r[1] for r in rows],
            "order": [r[2] for r in rows]}


PRERANK_HAND_CASES = [
    # Worked example of docs/metrics.md: two requests of 6 candidates, K = 3, orders only,
    # then the same with click 0.1 / cart 0.3 / order 1.
    {"name": "worked_example_docs", "k": 3, "weights": ORDERS_ONLY, "requests": [
        _candidates([0.9, 0.7, 0.6, 0.5, 0.3, 0.1], {0: (1, 0, 0), 2: (1, 1, 1), 4: (1, 1, 1)}),
        _candidates([0.2, 0.8, 0.4, 0.9, 0.1, 0.6], {0: (1, 1, 1), 1: (1, 0, 0), 5: (1, 1, 0)})]},
    {"name": "worked_example_docs_weighted", "k": 3, "weights": {"click": 0.1, "cart": 0.3, "order": 1.0},
     "requests": [
        _candidates([0.9, 0.7, 0.6, 0.5, 0.3, 0.1], {0: (1, 0, 0), 2: (1, 1, 1), 4: (1, 1, 1)}),
        _candidates([0.2, 0.8, 0.4, 0.9, 0.1, 0.6], {0: (1, 1, 1), 1: (1, 0, 0), 5: (1, 1, 0)})]},
    {"name": "unshown_candidates_take_slots", "k": 2, "weights": ORDERS_ONLY, "requests": [
        _candidates([0.9, 0.8, 0.1, 0.05], {2: (1, 1, 1), 3: (1, 1, 1)})]},
    {"name": "no_engagement_is_undefined", "k": 2, "weights": ORDERS_ONLY, "requests": [
        _candidates([0.3, 0.2, 0.1], {0: (1, 1, 0)})]},
    {"name": "clicks_only_defined_with_click_weight", "k": 1, "weights": {"click": 1.0, "cart": 0.0, "order": 0.0},
     "requests": [_candidates([0.3, 0.2, 0.1], {0: (1, 1, 0), 2: (1, 0, 0)})]},
    {"name": "all_tied_first_candidates_win", "k": 2, "weights": ORDERS_ONLY, "requests": [
        _candidates([0.5, 0.5, 0.5, 0.5], {3: (1, 1, 1)})]},
    {"name": "k_beyond_candidate_set", "k": 50, "weights": ORDERS_ONLY, "requests": [
        _candidates([0.1, 0.2], {0: (1, 1, 1)}), _candidates([0.3], {0: (1, 1, 1)})]},
    {"name": "weights_change_the_winner", "k": 1, "weights": {"click": 1.0, "cart": 0.0, "order": 0.0}, "requests": [
        _candidates([0.9, 0.1, 0.2, 0.3], {0: (1, 1, 1), 1: (1, 0, 0), 2: (1, 0, 0), 3: (1, 0, 0)})]},
    {"name": "order_counts_above_one", "k": 2, "weights": {"click": 0.0, "cart": 0.5, "order": 2.0}, "requests": [
        _candidates([0.4, 0.3, 0.2], {0: (1, 1, 1), 2: (2, 2, 3)})]},
]


def random_prerank_cases(seed: int, n_cases: int) -> list[dict]:
    rng = random.Random(seed)
    cases = []
    for c in range(n_cases):
        requests = []
        for _ in range(rng.randint(2, 5)):
            n = rng.randint(5, 40)
            scores = [rng.randint(0, 8) / 8 for _ in range(n)]  # coarse grid: many ties
            shown = {}
            for i in rng.sample(range(n), min(n, rng.randint(1, 10))):
                click = int(rng.random() < 0.4)
                cart = int(click and rng.random() < 0.5)
                shown[i] = (click, cart, int(cart and rng.random() < 0.6))
            requests.append(_candidates(scores, shown))
        weights = rng.choice([ORDERS_ONLY, {"click": 0.2, "cart": 0.5, "order": 1.0},
                              {"click": 1.0, "cart": 1.0, "order": 1.0}])
        cases.append({"name": f"random_seed{seed}_{c}", "k": rng.randint(1, 12), "weights": weights,
                      "requests": requests})
    return cases


def write_prerank() -> None:
    cases = []
    for case in PRERANK_HAND_CASES + random_prerank_cases(seed=20261201, n_cases=8):
        expected, per_request = reference_prerank_wr(case["requests"], case["k"], case["weights"])
        cases.append({**case, "expected": expected, "expected_per_request": per_request})
    doc = {
        "metric": "prerank_weighted_recall_at_k",
        "definition": "docs/metrics.md, Pre-rank Weighted Recall@K",
        "formula": "sum over requests of the weighted engagement (w_click*click + w_cart*cart + w_order*order) "
                   "of the candidates ranked in the top k / sum over requests of the weighted engagement of all candidates",
        "rows": "every candidate of the request (the full candidate set); candidates nobody was shown have zero labels",
        "tie_break": "descending score; equal scores keep the original order of the candidates in the request (earlier ranks higher)",
        "undefined": "expected is null when no candidate has engagement under the case's weights; per-request recall is null for requests without engagement",
        "tolerance": 1e-12,
        "cases": cases,
    }
    out = Path(__file__).with_name("prerank_weighted_recall_at_k.json")
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


def main() -> None:
    write_displayed()
    write_prerank()


def write_displayed() -> None:
    cases = []
    for case in HAND_CASES + random_cases(seed=20261123, n_cases=6):
        expected, per_request = reference_wr(case["requests"], case["k"])
        cases.append({**case, "expected": expected, "expected_per_request": per_request})
    doc = {
        "metric": "displayed_weighted_recall_at_k",
        "definition": "docs/metrics.md",
        "formula": "sum over requests of purchases ranked in the top k / sum over requests of purchases",
        "tie_break": "descending score; equal scores keep the original order of the candidates in the request (earlier ranks higher)",
        "undefined": "expected is null when no request has a purchase; per-request recall is null for requests without purchases (weight 0)",
        "tolerance": 1e-12,
        "cases": cases,
    }
    out = Path(__file__).with_name("displayed_weighted_recall_at_k.json")
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
