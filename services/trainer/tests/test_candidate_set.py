"""Candidate-set events on the trainer's side: names shared with the worker's extraction, what
a model trains on, and what evaluation keeps (docs/data.md, "Candidate-set events")."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rankops_trainer.data import displayed_rows, frame_to_data, load_splits, training_candidates
from rankops_trainer.data.schema import (CANDIDATE_SET_COLUMNS, DISPLAY_POSITION, PROPENSITY, SHOWN,
                                         TRUTH_IF_EXAMINED, CategoricalFeature, FeatureSpec, LeakageError)
from rankops_world.synthetic import WorldConfig, build_world, generate_events, synthetic_feature_spec, write_partitions

EVENT_SCHEMA_JAVA = (Path(__file__).resolve().parents[2]
                     / "worker/src/main/java/io/rankops/worker/extraction/EventSchema.java")


@pytest.fixture(scope="module")
def prerank_world():
    return build_world(WorldConfig.small_prerank(seed=9))


@pytest.fixture(scope="module")
def candidate_events(prerank_world) -> pd.DataFrame:
    return generate_events(prerank_world, "2026-11-01", 3)


def test_the_worker_checks_the_columns_the_trainer_names() -> None:
    java = dict(re.findall(r'static final String (\w+) = "([^"]*)";', EVENT_SCHEMA_JAVA.read_text(encoding="utf-8")))
    (listed,) = re.findall(r"CANDIDATE_SET_COLUMNS = List\.of\(([^)]*)\)", EVENT_SCHEMA_JAVA.read_text(encoding="utf-8"))
    assert tuple(java[name.strip()] for name in listed.split(",")) == CANDIDATE_SET_COLUMNS


def test_training_keeps_every_shown_row_and_a_fixed_number_of_unshown_ones(candidate_events, prerank_world) -> None:
    events = candidate_events
    sample = training_candidates(events, unshown_per_request=7, seed=1)
    per_request = sample.groupby("request_id")
    assert (per_request[SHOWN].sum() == prerank_world.config.prerank.shown).all()
    assert ((per_request.size() - per_request[SHOWN].sum()) == 7).all()
    assert sample[SHOWN].sum() == events[SHOWN].sum()
    for label in ("click", "add_to_cart", "purchase"):
        assert sample[label].sum() == events[label].sum(), "no label is dropped"
    # Same seed, same rows; another seed, other negatives; the frame's order is kept.
    pd.testing.assert_frame_equal(sample, training_candidates(events, unshown_per_request=7, seed=1))
    assert not sample["item_id"].equals(training_candidates(events, unshown_per_request=7, seed=2)["item_id"])
    merged = sample.merge(events.reset_index()[["request_id", "item_id", "index"]], on=["request_id", "item_id"])
    assert merged["index"].is_monotonic_increasing
    assert training_candidates(events, unshown_per_request=0)[SHOWN].all()
    with pytest.raises(ValueError, match="unshown_per_request"):
        training_candidates(events, unshown_per_request=-1)


def test_displayed_lists_train_on_every_row(events) -> None:
    # conftest's displayed-list world: no `shown` column, every row is an impression.
    assert training_candidates(events) is events
    assert displayed_rows(events) is events


def test_validation_is_over_the_shown_rows_only(candidate_events, prerank_world) -> None:
    shown = displayed_rows(candidate_events)
    assert shown[SHOWN].all() and len(shown) == int(candidate_events[SHOWN].sum())
    assert (shown.groupby("request_id").size() == prerank_world.config.prerank.shown).all()
    for label in ("click", "add_to_cart", "purchase"):
        assert shown[label].sum() == candidate_events[label].sum(), "every label is on a shown row"


def test_evaluation_keeps_the_whole_candidate_set_with_its_logging_columns(prerank_world, tmp_path) -> None:
    write_partitions(prerank_world, tmp_path, "2026-11-01", 3)
    splits = load_splits(tmp_path)
    cfg = prerank_world.config
    for part in (splits.train, splits.validation, splits.test):
        assert (part.groupby("request_id").size() == cfg.candidates_per_request).all()
        assert set(CANDIDATE_SET_COLUMNS) <= set(part.columns)
    data = frame_to_data(splits.test, synthetic_feature_spec(cfg))
    assert len(data) == len(splits.test)
    # The oracle of a candidate set is position-free: an unshown row's logged truth is 0.
    purchase = data.spec.tasks.index("purchase")
    assert (data.truth[:, purchase] > 0).all()
    np.testing.assert_allclose(np.sort(data.truth[:, purchase]),
                               np.sort(splits.test[TRUTH_IF_EXAMINED["purchase"]].to_numpy()))


@pytest.mark.parametrize("column", [SHOWN, PROPENSITY, DISPLAY_POSITION, "prerank_kept"])
def test_logging_columns_can_never_be_features(column) -> None:
    with pytest.raises(LeakageError, match=column):
        FeatureSpec(categorical=(CategoricalFeature("region_code", 2),), numerical=(column,),
                    region_column="region_code", regions=("A", "B"))
