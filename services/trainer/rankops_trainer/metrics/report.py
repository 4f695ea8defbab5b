"""Metric bundles over one split: WR@K, per-task AUC, per-region breakdown, dead tasks."""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from rankops_trainer.metrics.classification import DeadTaskPolicy, dead_task_reason, roc_auc
from rankops_trainer.metrics.prerank import EngagementWeights, engagement
from rankops_trainer.metrics.ranking import weighted_recall_at_k

PURCHASE_TASK = "purchase"


def jsonable(value: Any) -> Any:
    """NaN/inf -> None and numpy scalars -> Python, recursively (strict JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def wr_by_k(score: np.ndarray, orders: np.ndarray, request_index: np.ndarray,
            ks: Sequence[int]) -> dict[str, float]:
    return {str(k): weighted_recall_at_k(score, orders, request_index, k) for k in ks}


def split_metrics(probs: np.ndarray, labels: np.ndarray, request_index: np.ndarray,
                  region: np.ndarray, tasks: Sequence[str], regions: Sequence[str],
                  score: np.ndarray, ks: Sequence[int], truth: np.ndarray | None = None,
                  dead_policy: DeadTaskPolicy = DeadTaskPolicy()) -> dict[str, Any]:
    """Everything the gate and the report need for one model on one split.

    probs/labels/truth: [N, T] in `tasks` order; score: the ranking score for WR@K.
    """
    tasks = list(tasks)
    orders = labels[:, tasks.index(PURCHASE_TASK)]
    out: dict[str, Any] = {
        "n_rows": int(len(score)),
        "n_requests": int(len(np.unique(request_index))),
        "n_orders": float(orders.sum()),
        "wr_at_k": wr_by_k(score, orders, request_index, ks),
        "auc": {t: roc_auc(labels[:, i], probs[:, i]) for i, t in enumerate(tasks)},
    }
    dead = {t: dead_task_reason(labels[:, i], probs[:, i], dead_policy) for i, t in enumerate(tasks)}
    out["dead_tasks"] = {t: reason for t, reason in dead.items() if reason is not None}
    if truth is not None:
        oracle = wr_by_k(truth[:, tasks.index(PURCHASE_TASK)], orders, request_index, ks)
        out["oracle_wr_at_k"] = oracle
        out["pct_of_oracle"] = {k: 100.0 * out["wr_at_k"][k] / v if v and v > 0 else math.nan
                                for k, v in oracle.items()}
    per_region: dict[str, Any] = {}
    for code, name in enumerate(regions):
        rows = region == code
        if not rows.any():
            continue
        per_region[name] = {
            "n_requests": int(len(np.unique(request_index[rows]))),
            "n_orders": float(orders[rows].sum()),
            "wr_at_k": wr_by_k(score[rows], orders[rows], request_index[rows], ks),
            "auc": {t: roc_auc(labels[rows, i], probs[rows, i]) for i, t in enumerate(tasks)},
        }
    out["per_region"] = per_region
    return out


def prerank_metrics(score: np.ndarray, click: np.ndarray, cart: np.ndarray, order: np.ndarray,
                    request_index: np.ndarray, region: np.ndarray, regions: Sequence[str], ks: Sequence[int],
                    weights: EngagementWeights = EngagementWeights()) -> dict[str, Any]:
    """Pre-rank WR@K over the full candidate set, globally and per region (rows: every candidate)."""
    value = engagement(click, cart, order, weights)
    out: dict[str, Any] = {"prerank_wr_at_k": wr_by_k(score, value, request_index, ks), "per_region": {}}
    for code, name in enumerate(regions):
        rows = region == code
        if rows.any():
            out["per_region"][name] = wr_by_k(score[rows], value[rows], request_index[rows], ks)
    return out
