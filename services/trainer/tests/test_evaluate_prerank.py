"""The evaluation report on events with whole candidate sets (the pre-rank world's schema)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rankops_trainer.data import time_split
from rankops_trainer.data.schema import SHOWN
from rankops_trainer.evaluate import evaluate_onnx
from rankops_trainer.export_onnx import export_onnx
from rankops_trainer.metrics import EngagementWeights, prerank_weighted_recall_at_k
from rankops_trainer.metrics.prerank import PRERANK_KS
from rankops_trainer.models import ModelConfig, build_model
from rankops_world.synthetic import WorldConfig, build_world, generate_events

SMALL = ModelConfig(embedding_dim=4, hidden_dims=(16, 8), tower_dims=(8,))
WEIGHTS = EngagementWeights(click=0.1, cart=0.3, order=1.0)


@pytest.fixture(scope="module")
def prerank_splits():
    world = build_world(WorldConfig.small_prerank(seed=3))
    return world, time_split(generate_events(world, "2026-03-01", 5), validation_fraction=0.2, test_fraction=0.2)


@pytest.fixture(scope="module")
def report(prerank_splits, tmp_path_factory):
    world, splits = prerank_splits
    path = export_onnx(build_model("shared_bottom", SMALL, world.feature_spec),
                       tmp_path_factory.mktemp("m") / "m.onnx").path
    return evaluate_onnx(path, splits.test, validation=splits.validation, champion_path=path, ks=(3, 5),
                         engagement_weights=WEIGHTS)


def test_candidate_set_report_has_the_contract_keys(report, prerank_splits) -> None:
    world, splits = prerank_splits
    keep = world.config.prerank.keep
    for role in ("candidate", "champion"):
        metrics = report[role]["metrics"]
        # Every K the workflow asked for is there too, so a pre-rank gate at the run's K finds its value.
        assert set(metrics["prerank_wr_at_k"]) == {str(k) for k in set(PRERANK_KS) | {keep} | set(report["ks"])}
        assert {"3", "5"} <= set(metrics["prerank_wr_at_k"])
        assert metrics["engagement_weights"] == {"click": 0.1, "cart": 0.3, "order": 1.0}
        for region in metrics["per_region"].values():
            assert set(region["prerank_wr_at_k"]) == set(metrics["prerank_wr_at_k"])
        estimate = metrics["counterfactual"]["orders_per_request"]
        assert set(estimate) == {"ips", "snips", "ci95_low", "ci95_high", "clip", "logged", "n_requests"}
        assert estimate["n_requests"] == splits.test["request_id"].nunique()
        assert estimate["logged"] == pytest.approx(splits.test["purchase"].sum() / estimate["n_requests"])
    assert json.loads(json.dumps(report, allow_nan=False)) == report  # strict JSON


def test_displayed_metrics_are_over_the_shown_rows_and_prerank_over_all(report, prerank_splits) -> None:
    world, splits = prerank_splits
    test = splits.test
    metrics = report["candidate"]["metrics"]
    assert metrics["n_rows"] == int(test[SHOWN].sum())
    # K beyond the candidate set: every candidate is in the top K.
    assert world.config.candidates_per_request < 100
    assert metrics["prerank_wr_at_k"]["100"] == 1.0
    assert all(v == 0.0 for v in report["delta_prerank_wr_at_k"].values())


def test_prerank_value_matches_the_metric_on_the_frame(prerank_splits, tmp_path) -> None:
    from rankops_trainer.evaluate import OnnxRanker

    world, splits = prerank_splits
    path = export_onnx(build_model("mmoe", SMALL, world.feature_spec), tmp_path / "m.onnx").path
    got = evaluate_onnx(path, splits.test, ks=(3,), engagement_weights=WEIGHTS)["candidate"]["metrics"]
    ranker = OnnxRanker(path)
    # The frame's own row order (frame_to_data groups by request stably, which keeps it here).
    _, score = ranker.predict(ranker.data_for(splits.test))
    test = splits.test
    ids = test["request_id"].to_numpy()
    for k in ("20", "50"):
        expected = prerank_weighted_recall_at_k(score, test["click"].to_numpy(float), test["add_to_cart"].to_numpy(float),
                                                test["purchase"].to_numpy(float), ids, int(k), WEIGHTS)
        assert got["prerank_wr_at_k"][k] == pytest.approx(expected)


def test_events_without_candidate_sets_have_no_prerank_keys(trained_onnx, splits) -> None:
    metrics = evaluate_onnx(trained_onnx, splits.test, ks=(3,))["candidate"]["metrics"]
    assert "prerank_wr_at_k" not in metrics and "counterfactual" not in metrics
    assert metrics["engagement_weights"] == {"click": 0.0, "cart": 0.0, "order": 1.0}
    assert all("prerank_wr_at_k" not in r for r in metrics["per_region"].values())


@pytest.fixture(scope="module")
def trained_onnx(spec, tmp_path_factory):
    return export_onnx(build_model("shared_bottom", SMALL, spec), tmp_path_factory.mktemp("d") / "m.onnx").path


def test_shown_rows_keep_request_grouping(prerank_splits) -> None:
    from rankops_trainer.data import frame_to_data
    from rankops_trainer.evaluate import shown_rows

    world, splits = prerank_splits
    data = frame_to_data(splits.test, world.feature_spec)
    shown = np.zeros(len(data), bool)
    shown[::7] = True
    sub = shown_rows(data, shown)
    assert len(sub) == shown.sum()
    assert (np.diff(sub.request_index) >= 0).all() and sub.request_offsets[-1] == len(sub)
    assert list(sub.request_ids) == list(dict.fromkeys(data.request_ids[data.request_index[shown]]))
