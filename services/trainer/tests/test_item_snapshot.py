"""The item snapshot evaluation scores with, and the feature-source contract with the Java ranker."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rankops_trainer.contract import DatasetManifest
from rankops_trainer.data.item_snapshot import (apply_item_snapshot, default_row, served_item_features)
from rankops_trainer.data.schema import CategoricalFeature, FeatureSpec
from rankops_world.synthetic import WorldConfig, synthetic_feature_spec

VECTORS = Path(__file__).parent / "vectors"
sys.path.insert(0, str(VECTORS))
from generate_feature_sources import source_of  # noqa: E402

SPEC = FeatureSpec(
    categorical=(CategoricalFeature("item_id", 100), CategoricalFeature("seller_id", 10),
                 CategoricalFeature("region_code", 2)),
    numerical=("log_price", "text_relevance"),
    region_column="region_code", regions=("US", "FR"),
    item_features=("seller_id", "log_price"), candidate_features=("text_relevance",), overridable=("log_price",),
)


def snapshot() -> pd.DataFrame:
    return pd.DataFrame({"item_id": np.array([1, 2, 3, 4], dtype=np.int64),
                         "seller_id": np.array([7, 5, 5, 7], dtype=np.int64),
                         "log_price": np.array([4.0, 1.0, 3.0, 2.0], dtype=np.float32)})


def test_feature_source_vectors_are_what_python_says_today() -> None:
    vectors = json.loads((VECTORS / "feature_sources.json").read_text())
    spec = FeatureSpec.from_dict(vectors["feature_spec"])
    assert FeatureSpec.from_dict(spec.to_dict()) == spec
    assert {n: source_of(spec, n) for n in spec.feature_names} == vectors["sources"]
    today = synthetic_feature_spec(WorldConfig.small())
    assert {n: source_of(today, n) for n in today.feature_names} == vectors["sources"], \
        "the world's feature sources changed: run tests/vectors/generate_feature_sources.py"


def test_old_specs_load_with_every_feature_per_candidate() -> None:
    raw = SPEC.to_dict()
    for key in ("item_features", "candidate_features", "overridable"):
        raw.pop(key)
    old = FeatureSpec.from_dict(raw)
    assert old.item_features == () and old.candidate_features == ()
    assert old.context_features == ("seller_id", "region_code", "log_price", "text_relevance")


@pytest.mark.parametrize("change, message", [
    ({"item_features": ("nope",)}, "item_features names unknown features"),
    ({"candidate_features": ("log_price",)}, "both item_features and candidate_features"),
    ({"overridable": ("text_relevance",)}, "overridable must be item_features"),
    ({"item_features": ("item_id",), "overridable": ()}, "come from the request itself"),
])
def test_inconsistent_sources_are_refused(change, message) -> None:
    raw = {**SPEC.__dict__, **change}
    with pytest.raises(ValueError, match=message):
        FeatureSpec(**raw)


def test_default_row_is_the_rankers_lower_median_and_most_frequent_smaller_id() -> None:
    assert default_row(SPEC, snapshot()) == {"seller_id": 5, "log_price": 2.0}


def test_test_split_is_scored_with_the_snapshots_values_and_unknown_items_get_the_default_row() -> None:
    logged = pd.DataFrame({"item_id": [3, 9, 1], "seller_id": [0, 0, 0], "log_price": [9.0, 9.0, 9.0],
                           "text_relevance": [0.5, 0.25, 0.125], "region_code": [0, 1, 0]})
    served = apply_item_snapshot(logged, snapshot(), SPEC)
    assert served["seller_id"].tolist() == [5, 5, 7]
    assert served["log_price"].tolist() == [9.0, 9.0, 9.0], "an overridable feature keeps the live, logged value"
    not_overridable = FeatureSpec.from_dict({**SPEC.to_dict(), "overridable": []})
    assert apply_item_snapshot(logged, snapshot(), not_overridable)["log_price"].tolist() == [3.0, 2.0, 4.0]
    assert served["text_relevance"].tolist() == [0.5, 0.25, 0.125], "candidate features stay as logged"
    assert logged["log_price"].tolist() == [9.0, 9.0, 9.0], "the input frame is not changed"


class DirStore:
    """s3://bucket/key mapped onto files under one directory (as tests/test_activities.py's FakeStore)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, uri: str) -> Path:
        return self.root / uri.removeprefix("s3://")

    def exists(self, uri: str) -> bool:
        return self._path(uri).exists()

    def download(self, uri: str, target) -> Path:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._path(uri), target)
        return Path(target)


def test_served_item_features_checks_the_manifests_hash(tmp_path: Path) -> None:
    store = DirStore(tmp_path / "store")
    prefix = tmp_path / "store" / "rankops" / "datasets" / "ds-1"
    prefix.mkdir(parents=True)
    snapshot().to_parquet(prefix / "item_features.parquet")
    import hashlib
    digest = hashlib.sha256((prefix / "item_features.parquet").read_bytes()).hexdigest()
    uri = "s3://rankops/datasets/ds-1/item_features.parquet"
    (prefix / "manifest.json").write_text(json.dumps({"itemSnapshot": {"uri": uri, "sha256": digest}}))
    manifest = DatasetManifest(datasetId="ds-1", uri="s3://rankops/datasets/ds-1/", contentHash="x", schemaHash="y",
                               rowCounts={}, labelRates={})
    frames = {"test": pd.DataFrame({"item_id": [2], "seller_id": [0], "log_price": [0.0], "text_relevance": [1.0],
                                    "region_code": [0]})}
    served = served_item_features(store, manifest, SPEC, frames, tmp_path / "work")
    assert served["test"]["seller_id"].tolist() == [5]
    assert served["test"]["log_price"].tolist() == [0.0], "overridable: the logged live value"

    (prefix / "manifest.json").write_text(json.dumps({"itemSnapshot": {"uri": uri, "sha256": "0" * 64}}))
    with pytest.raises(ValueError, match="the manifest records"):
        served_item_features(store, manifest, SPEC, frames, tmp_path / "work2")

    (prefix / "manifest.json").write_text(json.dumps({}))
    assert served_item_features(store, manifest, SPEC, frames, tmp_path / "work3") is frames


def test_simulated_buyers_compact_body_leaves_the_item_features_to_the_snapshot() -> None:
    import datetime as dt

    from rankops_world.simulate_traffic import REQUEST_FEATURES, rank_request
    from rankops_world.synthetic import build_world, simulate_day

    world = build_world(WorldConfig.small(seed=3))
    frame = simulate_day(world, dt.date(2026, 11, 8))
    rows = next(rows for _, rows in frame.groupby("request_id", sort=False)).drop_duplicates("item_id")
    spec = synthetic_feature_spec(WorldConfig.small())
    body = rank_request(rows, compact=True)
    assert "candidates" not in body and body["probabilities"] is False
    assert body["itemIds"] == [int(i) for i in rows["item_id"]]
    assert set(body["candidateFeatures"]) == set(spec.candidate_features)
    assert all(len(column) == len(rows) for column in body["candidateFeatures"].values())
    sent = set(body["context"]) | set(body["candidateFeatures"]) | set(spec.item_features) | {"item_id"}
    assert set(spec.feature_names) <= sent, "every feature comes from the request or the snapshot"
    assert set(REQUEST_FEATURES) == set(spec.context_features), "the simulator's context is the spec's"
