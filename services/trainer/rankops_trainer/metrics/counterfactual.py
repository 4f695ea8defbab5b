"""Counterfactual estimates of online orders per request from logged pre-rank data
(definition, assumptions and a worked example: docs/metrics.md, "Counterfactual estimates").

The logging pre-ranker is stochastic: it keeps a random top K of each request's candidates,
and the events record each candidate's propensity pi_i = P(the logging policy keeps i). A new
model is a deterministic policy: it keeps its own top K (the target set T_r). Item-level
inverse propensity scoring estimates the orders per request the new model would bring:

    w_i   = min(1 / pi_i, clip)                      for i kept by the logger and in T_r, else 0
    IPS   = (1 / N) sum_r sum_i w_i * y_i            (y_i: the item's logged orders)
    SNIPS = IPS * mean_r |T_r| / ((1 / N) sum_r sum_i w_i)

Unclipped, IPS is unbiased when an item's orders depend only on whether it is kept (not on
which other items are kept beside it); the control variate sum_i w_i has expectation |T_r|,
so SNIPS divides out its noise. Clipping trades variance for a downward bias. The 95 %
interval is for SNIPS: the normal approximation over requests (independent draws), its
variance by the delta method on the ratio of the three request means.

The unit a propensity belongs to is the caller's: "kept by the logging pre-ranker" (the
target set is the model's top K) or "shown" (the target set is what the fixed downstream
ranker would show of the model's top K); the arithmetic is the same.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from rankops_trainer.metrics.ranking import _as_request_codes, rank_within_requests

# Largest importance weight: a candidate the logger keeps with probability below 1/50 counts
# as if it were kept with 1/50.
DEFAULT_IPS_CLIP = 50.0
_Z95 = 1.959963984540054


@dataclass(frozen=True)
class CounterfactualEstimate:
    ips: float
    snips: float
    ci95_low: float
    ci95_high: float
    clip: float
    logged: float  # orders per request the logging policy actually got
    n_requests: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def target_kept(scores: np.ndarray, request_ids: np.ndarray, keep_k: int) -> np.ndarray:
    """Rows a deterministic pre-ranker keeps: its top `keep_k` per request (ties by row order)."""
    if keep_k < 1:
        raise ValueError(f"keep_k must be >= 1, got {keep_k}")
    return rank_within_requests(scores, request_ids) < keep_k


def ips_orders_per_request(target: np.ndarray, logged_kept: np.ndarray, propensity: np.ndarray,
                           reward: np.ndarray, request_ids: np.ndarray,
                           clip: float = DEFAULT_IPS_CLIP) -> CounterfactualEstimate:
    """IPS and SNIPS estimates of the target policy's orders per request.

    target: bool [N], rows the new policy keeps; logged_kept: bool [N], rows the logger kept;
    propensity: [N], P(logger keeps the row), needed in (0, 1] on kept rows (ignored elsewhere);
    reward: [N] logged orders, zero on rows the logger did not keep.
    """
    target = np.asarray(target, dtype=bool)
    logged_kept = np.asarray(logged_kept, dtype=bool)
    propensity = np.asarray(propensity, dtype=np.float64)
    reward = np.asarray(reward, dtype=np.float64)
    n = len(target)
    for name, a in (("logged_kept", logged_kept), ("propensity", propensity), ("reward", reward),
                    ("request_ids", np.asarray(request_ids))):
        if a.shape != (n,):
            raise ValueError(f"{name} has shape {a.shape}, expected ({n},) like target")
    if n == 0:
        raise ValueError("no rows")
    if not (isinstance(clip, (int, float)) and math.isfinite(clip) and clip >= 1.0):
        raise ValueError(f"clip must be a finite number >= 1 (a weight of 1/propensity >= 1), got {clip!r}")
    kept_p = propensity[logged_kept]
    if not np.isfinite(kept_p).all() or (kept_p <= 0).any() or (kept_p > 1).any():
        raise ValueError("propensity must be in (0, 1] on every row the logging policy kept")
    if not np.isfinite(reward).all() or (reward < 0).any():
        raise ValueError("reward must be finite and >= 0")
    if (reward[~logged_kept] != 0).any():
        raise ValueError("reward is non-zero on a row the logging policy did not keep (nobody saw it)")

    codes = _as_request_codes(request_ids)
    _, codes = np.unique(codes, return_inverse=True)
    n_req = int(codes.max()) + 1
    both = target & logged_kept
    w = np.zeros(n)
    w[both] = np.minimum(1.0 / propensity[both], clip)
    per_request = np.bincount(codes, weights=w * reward, minlength=n_req)
    weight_sum = np.bincount(codes, weights=w, minlength=n_req)
    target_size = np.bincount(codes, weights=target.astype(np.float64), minlength=n_req)

    a, b, c = per_request.mean(), weight_sum.mean(), target_size.mean()
    ips = float(a)
    if b > 0:
        snips = float(a * c / b)
        # Influence of each request on a * c / b (delta method).
        influence = c / b * (per_request - a) - a * c / b ** 2 * (weight_sum - b) + a / b * (target_size - c)
        half = _Z95 * float(influence.std(ddof=1)) / math.sqrt(n_req) if n_req > 1 else math.nan
    else:
        snips = half = math.nan
    return CounterfactualEstimate(ips=ips, snips=snips, ci95_low=snips - half, ci95_high=snips + half,
                                  clip=float(clip), logged=float(reward.sum() / n_req), n_requests=n_req)
