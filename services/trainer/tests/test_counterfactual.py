"""IPS / SNIPS against a brute-force reference on a tiny world where the true value is known.

The tiny world: each request has the same 5 candidates; the logging pre-ranker keeps 2 of them
by Plackett-Luce sampling (the propensities are computed here by enumerating every ordered
draw, not by the code under test); a kept candidate is ordered with a known probability q_i
whatever else is kept. The true orders per request of a policy that keeps the set T is then
sum_{i in T} q_i.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rankops_trainer.metrics.counterfactual import ips_orders_per_request, target_kept

LOGITS = np.array([2.0, 1.5, 0.5, -0.5, -1.5])
Q = np.array([0.05, 0.10, 0.20, 0.30, 0.40])
KEEP = 2
N_ITEMS = len(LOGITS)


def kept_set_probabilities() -> dict[frozenset[int], float]:
    """P(logger keeps exactly S), by enumerating ordered Plackett-Luce draws of KEEP items."""
    weights = np.exp(LOGITS)
    out: dict[frozenset[int], float] = {}
    for draw in itertools.permutations(range(N_ITEMS), KEEP):
        p, left = 1.0, weights.sum()
        for i in draw:
            p *= weights[i] / left
            left -= weights[i]
        out[frozenset(draw)] = out.get(frozenset(draw), 0.0) + p
    return out


SETS = kept_set_probabilities()
PROPENSITY = np.array([sum(p for s, p in SETS.items() if i in s) for i in range(N_ITEMS)])


def one_request(kept: frozenset[int], target: set[int], reward: np.ndarray):
    mask = np.array([i in kept for i in range(N_ITEMS)])
    return dict(target=np.array([i in target for i in range(N_ITEMS)]), logged_kept=mask,
                propensity=PROPENSITY, reward=np.where(mask, reward, 0.0), request_ids=np.zeros(N_ITEMS, int))


def exact_expectation(target: set[int], clip: float) -> tuple[float, float]:
    """E[IPS] and E[sum of weights] over every kept set, rewards at their expectation q_i."""
    ips = weight_sum = 0.0
    for kept, p in SETS.items():
        est = ips_orders_per_request(**one_request(kept, target, Q), clip=clip)
        ips += p * est.ips
        both = [i for i in kept if i in target]
        weight_sum += p * sum(min(1 / PROPENSITY[i], clip) for i in both)
    return ips, weight_sum


def test_the_tiny_world_is_what_the_test_assumes() -> None:
    assert sum(SETS.values()) == pytest.approx(1.0)
    assert PROPENSITY.sum() == pytest.approx(KEEP)
    assert PROPENSITY[-1] < 0.05  # the target below leans on items the logger rarely keeps


@pytest.mark.parametrize("target", [{3, 4}, {0, 4}, {0, 1}, {2}])
def test_unclipped_ips_is_unbiased_and_its_weights_average_to_the_target_size(target: set[int]) -> None:
    expected, weight_sum = exact_expectation(target, clip=1e9)
    assert expected == pytest.approx(Q[list(target)].sum(), rel=1e-12)
    assert weight_sum == pytest.approx(len(target), rel=1e-12)


def test_clipping_biases_downwards_by_exactly_the_clipped_mass() -> None:
    clip = 5.0
    expected, _ = exact_expectation({3, 4}, clip)
    by_hand = sum(Q[i] * PROPENSITY[i] * min(1 / PROPENSITY[i], clip) for i in (3, 4))
    assert expected == pytest.approx(by_hand, rel=1e-12)
    assert expected < Q[[3, 4]].sum()


def simulate(rng: np.random.Generator, n_req: int):
    # Gumbel top-k is Plackett-Luce sampling without replacement.
    keys = LOGITS + rng.gumbel(size=(n_req, N_ITEMS))
    kept = np.argsort(-keys, axis=1)[:, :KEEP]
    logged = np.zeros((n_req, N_ITEMS), bool)
    np.put_along_axis(logged, kept, True, axis=1)
    reward = (logged & (rng.random((n_req, N_ITEMS)) < Q)).astype(float)
    ids = np.repeat(np.arange(n_req), N_ITEMS)
    return logged, reward, ids


def test_the_snips_interval_covers_the_truth_about_95_times_in_100() -> None:
    rng = np.random.default_rng(12)
    truth, covered, trials = Q[[3, 4]].sum(), 0, 300
    for _ in range(trials):
        logged, reward, ids = simulate(rng, 2000)
        target = np.tile(np.arange(N_ITEMS) >= 3, 2000)
        est = ips_orders_per_request(target, logged.ravel(), np.tile(PROPENSITY, 2000), reward.ravel(), ids, clip=1e9)
        covered += est.ci95_low <= truth <= est.ci95_high
    assert 0.90 <= covered / trials <= 0.99


def test_monte_carlo_estimates_cover_the_truth() -> None:
    n_req = 20000
    logged, reward, ids = simulate(np.random.default_rng(11), n_req)
    scores = np.tile(np.arange(N_ITEMS, dtype=float), n_req)  # a model that prefers items 4 and 3
    target = target_kept(scores, ids, KEEP)
    assert target.reshape(n_req, N_ITEMS)[0].tolist() == [False, False, False, True, True]
    est = ips_orders_per_request(target, logged.ravel(), np.tile(PROPENSITY, n_req), reward.ravel(), ids,
                                 clip=1e9)
    truth = Q[[3, 4]].sum()
    assert est.ci95_low <= truth <= est.ci95_high
    assert est.ci95_low < est.snips < est.ci95_high
    assert abs(est.ips - truth) < 0.1 * truth
    assert est.logged == pytest.approx(reward.sum() / n_req)
    assert est.n_requests == n_req
    # What the stochastic logger itself earns: sum_i q_i pi_i.
    assert est.logged == pytest.approx((Q * PROPENSITY).sum(), rel=0.05)
    assert est.logged < truth


def test_bad_input_names_the_field() -> None:
    base = one_request(frozenset({0, 1}), {0, 1}, Q)
    with pytest.raises(ValueError, match="propensity must be in"):
        ips_orders_per_request(**{**base, "propensity": np.zeros(N_ITEMS)})
    with pytest.raises(ValueError, match="reward is non-zero on a row the logging policy did not keep"):
        ips_orders_per_request(**{**base, "reward": np.ones(N_ITEMS)})
    with pytest.raises(ValueError, match="reward has shape"):
        ips_orders_per_request(**{**base, "reward": np.ones(2)})
    with pytest.raises(ValueError, match="clip must be"):
        ips_orders_per_request(**base, clip=0.5)
    with pytest.raises(ValueError, match="keep_k"):
        target_kept(np.zeros(3), np.zeros(3), 0)
