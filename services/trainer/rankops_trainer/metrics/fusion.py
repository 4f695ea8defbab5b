"""Combining per-task probabilities into one ranking score.

additive:        score = sum_t w_t * p_t
multiplicative:  score = prod_t p_t ** w_t   (ranked via sum_t w_t * log p_t; same order)

Weights are chosen by grid search on the validation split; `select_fusion_weights` takes
only validation arrays, so test data cannot influence the choice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

from rankops_trainer.metrics.ranking import weighted_recall_at_k

FusionKind = Literal["additive", "multiplicative"]
FUSION_KINDS: tuple[FusionKind, ...] = ("additive", "multiplicative")
DEFAULT_GRID: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0)
_EPS = 1e-12


def fuse(probs: np.ndarray, weights: Sequence[float], kind: FusionKind) -> np.ndarray:
    """probs: [N, T] in task order; weights: T non-negative values."""
    probs = np.asarray(probs, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[1] != len(w):
        raise ValueError(f"probs shape {probs.shape} does not match {len(w)} weights")
    if kind == "additive":
        return probs @ w
    if kind == "multiplicative":
        return np.log(np.clip(probs, _EPS, 1.0)) @ w
    raise ValueError(f"unknown fusion kind {kind!r}")


@dataclass(frozen=True)
class FusionChoice:
    kind: FusionKind
    weights: tuple[float, ...]
    validation_wr: float


def candidate_weights(n_tasks: int, grid: Sequence[float] = DEFAULT_GRID) -> list[tuple[float, ...]]:
    """Grid over the non-final tasks with the final (purchase) weight fixed to 1: the
    ranking only depends on weight ratios, and purchase is what WR@K counts."""
    return [tuple(float(x) for x in combo) + (1.0,) for combo in itertools.product(grid, repeat=n_tasks - 1)]


def select_fusion_weights(val_probs: np.ndarray, val_orders: np.ndarray, val_request_ids: np.ndarray,
                          k: int, kind: FusionKind, grid: Sequence[float] = DEFAULT_GRID) -> FusionChoice:
    """Best weights for `kind` by validation WR@K. Ties keep the first (smallest) weights."""
    best: FusionChoice | None = None
    for weights in candidate_weights(val_probs.shape[1], grid):
        value = weighted_recall_at_k(fuse(val_probs, weights, kind), val_orders, val_request_ids, k)
        value = -1.0 if np.isnan(value) else value
        if best is None or value > best.validation_wr + 1e-12:
            best = FusionChoice(kind, weights, value)
    assert best is not None
    return best
