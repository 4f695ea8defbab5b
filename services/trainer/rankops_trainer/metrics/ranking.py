"""Weighted Recall@K (definition and worked example: docs/metrics.md).

Per request r with orders o_r = sum of its items' purchase labels and hits h_r = the
purchase labels inside the model's top K:

    recall_r = h_r / o_r,   WR@K = sum_r o_r * recall_r / sum_r o_r = sum_r h_r / sum_r o_r

Requests without an order carry weight 0. Ties in score are broken by the original order
of the candidates within the request (the earlier row ranks higher), so the result is
deterministic and reproducible by the Java implementation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def _as_request_codes(request_ids: np.ndarray) -> np.ndarray:
    ids = np.asarray(request_ids)
    if ids.dtype.kind in "iu":
        return ids.astype(np.int64)
    _, codes = np.unique(ids, return_inverse=True)
    return codes.astype(np.int64)


def rank_within_requests(scores: np.ndarray, request_ids: np.ndarray) -> np.ndarray:
    """0-based rank of each row inside its request, by descending score, ties by row order.

    Rows of one request need not be contiguous; "original order" is their order in the input.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if np.isnan(scores).any():
        raise ValueError("scores contain NaN")
    codes = _as_request_codes(request_ids)
    n = len(scores)
    # lexsort: last key is primary -> request, then -score, then input position.
    order = np.lexsort((np.arange(n), -scores, codes))
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    lengths = np.diff(np.r_[starts, n])
    rank_sorted = np.arange(n) - np.repeat(starts, lengths)
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = rank_sorted
    return ranks


@dataclass(frozen=True)
class RecallParts:
    hits: float
    orders: float
    requests_with_orders: int

    @property
    def value(self) -> float:
        return self.hits / self.orders if self.orders > 0 else math.nan


def weighted_recall_parts(scores: np.ndarray, labels: np.ndarray, request_ids: np.ndarray,
                          k: int) -> RecallParts:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    labels = np.asarray(labels, dtype=np.float64)
    if labels.shape != np.asarray(scores).shape or labels.shape[0] != len(request_ids):
        raise ValueError("scores, labels and request_ids must have the same length")
    if (labels < 0).any():
        raise ValueError("labels are order counts and must be >= 0")
    ranks = rank_within_requests(scores, request_ids)
    codes = _as_request_codes(request_ids)
    orders_per_request = np.bincount(codes, weights=labels)
    return RecallParts(
        hits=float(labels[ranks < k].sum()),
        orders=float(labels.sum()),
        requests_with_orders=int((orders_per_request > 0).sum()),
    )


def weighted_recall_at_k(scores: np.ndarray, labels: np.ndarray, request_ids: np.ndarray,
                         k: int) -> float:
    """WR@K; NaN when no request has an order (the metric is undefined, not zero)."""
    return weighted_recall_parts(scores, labels, request_ids, k).value


def weighted_recall_from_lists(requests: list[tuple[list[float], list[float]]], k: int) -> float:
    """Same metric over explicit per-request lists (the test-vector format)."""
    scores, labels, ids = [], [], []
    for i, (s, y) in enumerate(requests):
        if len(s) != len(y):
            raise ValueError(f"request {i}: {len(s)} scores but {len(y)} labels")
        scores.extend(s)
        labels.extend(y)
        ids.extend([i] * len(s))
    if not scores:
        return math.nan
    return weighted_recall_at_k(np.array(scores), np.array(labels), np.array(ids), k)
