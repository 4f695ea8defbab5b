"""Regenerates weighted_recall_at_k.json from hand-written cases plus seeded random ones.

Expected values come from `reference_wr`, a deliberately naive loop (not the vectorized
implementation under test), so the vectors are an independent oracle.
Run: python tests/vectors/generate_weighted_recall_vectors.py
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


def main() -> None:
    cases = []
    for case in HAND_CASES + random_cases(seed=20261123, n_cases=6):
        expected, per_request = reference_wr(case["requests"], case["k"])
        cases.append({**case, "expected": expected, "expected_per_request": per_request})
    doc = {
        "metric": "weighted_recall_at_k",
        "definition": "docs/metrics.md",
        "formula": "sum over requests of purchases ranked in the top k / sum over requests of purchases",
        "tie_break": "descending score; equal scores keep the original order of the candidates in the request (earlier ranks higher)",
        "undefined": "expected is null when no request has a purchase; per-request recall is null for requests without purchases (weight 0)",
        "tolerance": 1e-12,
        "cases": cases,
    }
    out = Path(__file__).with_name("weighted_recall_at_k.json")
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
