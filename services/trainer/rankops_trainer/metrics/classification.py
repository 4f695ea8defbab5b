"""Per-task AUC and the dead-task check."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC via the Mann-Whitney rank statistic, ties sharing the average rank.

    NaN when only one class is present (AUC is undefined there).
    """
    y = np.asarray(labels, dtype=np.float64).ravel()
    s = np.asarray(scores, dtype=np.float64).ravel()
    if y.shape != s.shape:
        raise ValueError("labels and scores differ in length")
    pos = y > 0.5
    n_pos = int(pos.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    # Average 1-based rank per run of equal scores.
    boundaries = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1, len(s)]
    run_avg = (boundaries[:-1] + boundaries[1:] + 1) / 2.0
    ranks = np.empty(len(s))
    ranks[order] = np.repeat(run_avg, np.diff(boundaries))
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


@dataclass(frozen=True)
class DeadTaskPolicy:
    # AUC this close to 0.5 means the task learned nothing useful.
    auc_margin: float = 0.02
    # Predictions this flat mean the tower collapsed to a constant.
    min_prediction_std: float = 1e-4


def dead_task_reason(labels: np.ndarray, probs: np.ndarray,
                     policy: DeadTaskPolicy = DeadTaskPolicy()) -> str | None:
    """Why a task looks dead, or None when it looks alive."""
    probs = np.asarray(probs, dtype=np.float64)
    if not np.isfinite(probs).all():
        return "non-finite predictions"
    if probs.std() < policy.min_prediction_std:
        return f"constant predictions (std {probs.std():.2e})"
    auc = roc_auc(labels, probs)
    if math.isnan(auc):
        return "no positive or no negative labels"
    if abs(auc - 0.5) < policy.auc_margin:
        return f"AUC {auc:.3f} is within {policy.auc_margin} of chance"
    return None
