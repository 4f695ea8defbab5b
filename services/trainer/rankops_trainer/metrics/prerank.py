"""Weighted Recall@K for the pre-rank stage (definition and worked example: docs/metrics.md).

The pre-ranker sees a request's whole candidate set (a few hundred items) and keeps its top
K for the downstream ranker. Its metric is computed over that full set:

    e_i = w_click * click_i + w_cart * cart_i + w_order * order_i      (engagement of item i)
    prerank WR@K = sum_r sum_{i in top K of r} e_i / sum_r sum_i e_i

Candidates nobody was shown carry no behaviour (e_i = 0): they count in the ranking (a model
that puts them in its top K spends a slot) but add nothing to either sum. Ties break by the
candidates' order in the request, as for the displayed-list metric (`ranking.py`), whose
implementation this reuses: the two metrics differ in the rows (full candidate set vs the
displayed list) and the labels (weighted engagement vs orders), not in the arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from rankops_trainer.metrics.ranking import weighted_recall_at_k

# The report's K values for the pre-rank metric (the logging pre-ranker of the synthetic world
# keeps 100, the downstream ranker shows 20). `prerank_ks` adds the keep K of a split when it
# is not among them.
PRERANK_KS: tuple[int, ...] = (20, 50, 100)
ENGAGEMENT_KINDS: tuple[str, ...] = ("click", "cart", "order")


@dataclass(frozen=True)
class EngagementWeights:
    """How much one click, add-to-cart and order count. Orders only by default."""

    click: float = 0.0
    cart: float = 0.0
    order: float = 1.0

    def __post_init__(self) -> None:
        for kind in ENGAGEMENT_KINDS:
            value = getattr(self, kind)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"engagement_weights.{kind} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"engagement_weights.{kind} must be finite and >= 0, got {value!r}")
        if self.click == 0 and self.cart == 0 and self.order == 0:
            raise ValueError("engagement_weights: at least one of click, cart, order must be > 0")

    @classmethod
    def from_dict(cls, values: Mapping[str, Any] | None) -> "EngagementWeights":
        if values is None:
            return cls()
        if not isinstance(values, Mapping):
            raise ValueError(f"engagement_weights must be an object, got {type(values).__name__}")
        unknown = sorted(set(values) - set(ENGAGEMENT_KINDS))
        if unknown:
            raise ValueError(f"engagement_weights: unknown kinds {unknown}; known are {list(ENGAGEMENT_KINDS)}")
        return cls(**{k: values.get(k, getattr(cls(), k)) for k in ENGAGEMENT_KINDS})

    def as_dict(self) -> dict[str, float]:
        return {kind: float(getattr(self, kind)) for kind in ENGAGEMENT_KINDS}


def engagement(click: np.ndarray, cart: np.ndarray, order: np.ndarray,
               weights: EngagementWeights = EngagementWeights()) -> np.ndarray:
    """Per-row engagement e_i; every label array must be non-negative and of one length."""
    arrays = {}
    for name, values in (("click", click), ("cart", cart), ("order", order)):
        a = np.asarray(values, dtype=np.float64)
        if a.ndim != 1:
            raise ValueError(f"{name} labels must be one-dimensional, got shape {a.shape}")
        if not np.isfinite(a).all() or (a < 0).any():
            raise ValueError(f"{name} labels must be finite and >= 0")
        arrays[name] = a
    if len({len(a) for a in arrays.values()}) != 1:
        raise ValueError(f"click, cart and order labels differ in length: "
                         f"{[len(a) for a in arrays.values()]}")
    return weights.click * arrays["click"] + weights.cart * arrays["cart"] + weights.order * arrays["order"]


def prerank_weighted_recall_at_k(scores: np.ndarray, click: np.ndarray, cart: np.ndarray, order: np.ndarray,
                                 request_ids: np.ndarray, k: int,
                                 weights: EngagementWeights = EngagementWeights()) -> float:
    """Pre-rank WR@K over the full candidate set; NaN when no candidate has engagement."""
    return weighted_recall_at_k(scores, engagement(click, cart, order, weights), request_ids, k)


def prerank_ks(keep_k: int | None, ks: Sequence[int] = PRERANK_KS) -> tuple[int, ...]:
    """The report's K values: `ks` plus the split's keep K."""
    out = set(int(k) for k in ks)
    if keep_k is not None:
        out.add(int(keep_k))
    if any(k < 1 for k in out):
        raise ValueError(f"pre-rank K values must be >= 1, got {sorted(out)}")
    return tuple(sorted(out))


def prerank_recall_from_lists(requests: list[dict[str, list[float]]], k: int,
                              weights: EngagementWeights = EngagementWeights()) -> float:
    """The metric over explicit per-request lists (the test-vector format): each request has
    `scores`, `click`, `cart`, `order`, one value per candidate in the request's order."""
    scores, click, cart, order, ids = [], [], [], [], []
    for i, req in enumerate(requests):
        n = len(req["scores"])
        for name in ("click", "cart", "order"):
            if len(req[name]) != n:
                raise ValueError(f"request {i}: {n} scores but {len(req[name])} {name} labels")
        scores.extend(req["scores"])
        click.extend(req["click"])
        cart.extend(req["cart"])
        order.extend(req["order"])
        ids.extend([i] * n)
    if not scores:
        return math.nan
    return prerank_weighted_recall_at_k(np.array(scores, dtype=float), np.array(click, dtype=float),
                                        np.array(cart, dtype=float), np.array(order, dtype=float),
                                        np.array(ids), k, weights)
