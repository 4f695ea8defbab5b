from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import torch
from torch.utils.data import DataLoader

from rankops_trainer.data import (TASKS_2, CategoricalFeature, EventsError, FeatureSpec, LeakageError,
                                  RequestDataset, aliexpress_feature_spec, collate_requests, frame_to_data,
                                  iter_request_batches, load_aliexpress, load_events, load_feature_spec, load_splits,
                                  time_split, write_sample_csv)
from rankops_trainer.data.aliexpress import AliExpressFormatError, country_from_path
from rankops_trainer.data.schema import LABEL_COLUMNS, TRUTH_COLUMNS
from rankops_world.synthetic import (EVENTS_SCHEMA, WorldConfig, build_world, expected_orders_per_request,
                                     generate_events, write_partitions)


def test_labels_obey_the_funnel(events: pd.DataFrame) -> None:
    assert (events["purchase"] <= events["add_to_cart"]).all()
    assert (events["add_to_cart"] <= events["click"]).all()
    # ... and the funnel is not trivially empty.
    assert events["purchase"].sum() > 50
    assert events["add_to_cart"].sum() > events["purchase"].sum()


def test_truth_probabilities_obey_the_funnel(events: pd.DataFrame) -> None:
    p_click, p_cart, p_buy = (events[c].to_numpy() for c in ("truth_p_click", "truth_p_cart", "truth_p_purchase"))
    assert ((0 < p_buy) & (p_buy <= p_cart) & (p_cart <= p_click) & (p_click < 1)).all()


def test_sampled_rates_match_truth(events: pd.DataFrame) -> None:
    for label, truth in (("click", "truth_p_click"), ("purchase", "truth_p_purchase")):
        observed, expected = events[label].mean(), events[truth].mean()
        assert abs(observed - expected) < 4 * np.sqrt(expected / len(events)) + 1e-3


def test_position_bias_lowers_click_rate_down_the_list(events: pd.DataFrame) -> None:
    by_pos = events.groupby("position")["truth_examination"].mean()
    assert by_pos.is_monotonic_decreasing
    clicks = events.groupby("position")["click"].mean()
    assert clicks.iloc[:3].mean() > 2 * clicks.iloc[-3:].mean()


def test_regions_weigh_shipping_time_differently() -> None:
    # Conditional purchase rate (purchase | cart) on fast vs slow shipping, per region:
    # US buyers (high shipping sensitivity) drop more than ES buyers (low sensitivity).
    world = build_world(WorldConfig(seed=3, requests_per_day=3000))
    frame = generate_events(world, "2026-01-01", 1)
    frame["buy_given_cart"] = frame["truth_p_purchase"] / frame["truth_p_cart"]
    drops = {}
    for region in ("US", "ES"):
        part = frame[frame["region"] == region]
        fast = part[part["shipping_days"] <= part["shipping_days"].quantile(0.25)]["buy_given_cart"].mean()
        slow = part[part["shipping_days"] >= part["shipping_days"].quantile(0.75)]["buy_given_cart"].mean()
        drops[region] = fast - slow
    assert drops["US"] > 2 * drops["ES"] > 0
    assert set(frame["region"]) == {"US", "NL", "ES", "FR"}


def test_generation_is_deterministic_by_seed() -> None:
    a = generate_events(build_world(WorldConfig.small(seed=5)), "2026-01-01", 2)
    b = generate_events(build_world(WorldConfig.small(seed=5)), "2026-01-01", 2)
    c = generate_events(build_world(WorldConfig.small(seed=6)), "2026-01-01", 2)
    pd.testing.assert_frame_equal(a, b)
    assert not a["purchase"].equals(c["purchase"]) or not a["item_id"].equals(c["item_id"])


def test_a_day_does_not_depend_on_which_days_are_generated_with_it() -> None:
    world = build_world(WorldConfig.small(seed=5))
    both = generate_events(world, "2026-01-01", 2)
    second = generate_events(world, "2026-01-02", 1)
    pd.testing.assert_frame_equal(both[both["dt"] == "2026-01-02"].reset_index(drop=True), second)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_write_partitions_layout_schema_and_idempotence(tmp_path, world) -> None:
    files = write_partitions(world, tmp_path, dt.date(2026, 3, 1), 3)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        f"dt=2026-03-0{d}/part-00000.parquet" for d in (1, 2, 3)]
    assert pq.read_schema(files[0]).remove_metadata() == EVENTS_SCHEMA
    table = pq.read_table(files[1]).to_pandas()
    assert (table["dt"] == "2026-03-02").all()
    assert (table["ts"].dt.strftime("%Y-%m-%d") == "2026-03-02").all()
    assert load_feature_spec(tmp_path) == world.feature_spec
    assert load_feature_spec(tmp_path / "feature_spec.json") == world.feature_spec
    with pytest.raises(ValueError, match="feature spec"):
        load_feature_spec(tmp_path / "dt=2026-03-01")
    before = [_digest(f) for f in files]
    write_partitions(world, tmp_path, "2026-03-01", 3)
    assert [_digest(f) for f in files] == before
    assert not list(tmp_path.rglob("*.tmp"))


def test_load_events_reads_partitions_in_time_order_and_filters_dates(tmp_path, world) -> None:
    write_partitions(world, tmp_path, "2026-03-01", 4)
    frame = load_events(tmp_path)
    assert frame["ts"].is_monotonic_increasing
    assert frame["dt"].nunique() == 4
    window = load_events(tmp_path, start="2026-03-02", end="2026-03-03")
    assert sorted(window["dt"].unique()) == ["2026-03-02", "2026-03-03"]
    with pytest.raises(EventsError, match="no Parquet files"):
        load_events(tmp_path, start="2027-01-01")
    with pytest.raises(EventsError, match="does not exist|no events"):
        load_events(tmp_path / "missing")


def test_time_split_is_by_whole_days_and_disjoint(splits, events) -> None:
    train_days, val_days, test_days = (set(p["dt"]) for p in (splits.train, splits.validation, splits.test))
    assert max(train_days) < min(val_days) <= max(val_days) < min(test_days)
    ids = [set(p["request_id"]) for p in (splits.train, splits.validation, splits.test)]
    assert not (ids[0] & ids[1] or ids[1] & ids[2] or ids[0] & ids[2])
    assert sum(splits.sizes().values()) == len(events)


def test_time_split_without_days_cuts_by_request_order(events) -> None:
    one_day = events[events["dt"] == events["dt"].min()]
    parts = time_split(one_day, 0.2, 0.2)
    assert parts.train["ts"].max() <= parts.validation["ts"].min()
    assert parts.validation["ts"].max() <= parts.test["ts"].min()
    assert not set(parts.train["request_id"]) & set(parts.test["request_id"])


def test_load_splits_prefers_extracted_split_directories(tmp_path, splits) -> None:
    for name, frame in (("train", splits.train), ("validation", splits.validation), ("test", splits.test)):
        frame.to_parquet(tmp_path / f"{name}.parquet")
    loaded = load_splits(tmp_path)
    assert loaded.sizes() == splits.sizes()
    (tmp_path / "test.parquet").unlink()
    with pytest.raises(EventsError, match="only the splits"):
        load_splits(tmp_path)


def test_frame_to_data_groups_requests_and_keeps_labels_out_of_features(splits, spec) -> None:
    frame = splits.train
    data = frame_to_data(frame, spec)
    assert data.cat.shape == (len(frame), len(spec.categorical))
    assert data.num.shape == (len(frame), len(spec.numerical))
    assert data.n_requests == frame["request_id"].nunique()
    assert (np.diff(data.request_index) >= 0).all()  # contiguous groups
    # Changing labels and truth must not change a single feature value.
    tampered = frame.copy()
    for col in ("click", "add_to_cart", "purchase"):
        tampered[col] = 1 - tampered[col]
    for col in TRUTH_COLUMNS:
        tampered[col] = 0.123
    other = frame_to_data(tampered, spec)
    assert torch.equal(data.cat, other.cat) and torch.equal(data.num, other.num)
    assert not torch.equal(data.labels, other.labels)


def test_feature_names_never_overlap_labels_or_truth(spec) -> None:
    names = {n.lower() for n in spec.feature_names}
    assert not names & {c.lower() for c in LABEL_COLUMNS + TRUTH_COLUMNS}


@pytest.mark.parametrize("bad", ["click", "purchase", "truth_p_click", "p_cart", "user_click_count",
                                 "conversion", "order_label"])
def test_leakage_guard_rejects_label_like_features(bad: str) -> None:
    with pytest.raises(LeakageError):
        FeatureSpec(categorical=(CategoricalFeature("region_code", 4),), numerical=(bad,),
                    region_column="region_code", regions=("US", "NL", "ES", "FR"))


def test_request_batches_cover_every_row_once_with_whole_requests(train_data) -> None:
    gen = torch.Generator().manual_seed(0)
    seen = []
    for batch in iter_request_batches(train_data, 16, shuffle=True, generator=gen):
        seen.append(batch.labels)
        assert len(batch.cat) == len(batch.num) == len(batch.labels)
    total = torch.cat(seen)
    assert len(total) == len(train_data)
    assert torch.equal(total.sum(0), train_data.labels.sum(0))
    # Every batch of whole requests has a multiple of the list length (12 in the small world).
    assert all(len(b) % 12 == 0 for b in seen)
    again = [b.labels for b in iter_request_batches(train_data, 16, shuffle=True,
                                                     generator=torch.Generator().manual_seed(0))]
    assert all(torch.equal(x, y) for x, y in zip(seen, again))


def test_request_dataset_with_dataloader(train_data) -> None:
    loader = DataLoader(RequestDataset(train_data), batch_size=5, collate_fn=collate_requests)
    first = next(iter(loader))
    assert first.cat.shape[0] == int(train_data.request_offsets[5])


def test_expected_orders_prefer_the_oracle_ranking(events, world) -> None:
    oracle = expected_orders_per_request(world, events, events["truth_p_purchase"].to_numpy())
    logged = expected_orders_per_request(world, events, -events["position"].to_numpy().astype(float))
    reverse = expected_orders_per_request(world, events, events["position"].to_numpy().astype(float))
    per_request_logged = events["truth_p_purchase"].sum() / events["request_id"].nunique()
    assert logged == pytest.approx(per_request_logged)
    assert oracle > logged > reverse


# ---- AliExpress format -------------------------------------------------------------------

def test_country_from_file_name() -> None:
    assert country_from_path("/data/train_US.csv") == "US"
    assert country_from_path("/data/AliExpress_NL/test.csv") == "NL"
    with pytest.raises(AliExpressFormatError):
        country_from_path("/data/train.csv")


def test_aliexpress_loader_on_generated_sample(tmp_path) -> None:
    us = write_sample_csv(tmp_path / "train_US.csv", n_searches=30, seed=1)
    nl = write_sample_csv(tmp_path / "train_NL.csv", n_searches=20, seed=2)
    raw_us = pd.read_csv(us)
    frame = load_aliexpress([us, nl], regions=("US", "NL", "ES", "FR"))
    assert len(frame) == len(raw_us) + len(pd.read_csv(nl))
    assert set(frame["region"]) == {"US", "NL"}
    assert frame.loc[frame["region"] == "NL", "region_code"].eq(1).all()
    # The same search_id in two countries must stay two requests.
    assert frame["request_id"].nunique() == 50
    assert frame["purchase"].sum() == raw_us["conversion"].sum() + pd.read_csv(nl)["conversion"].sum()
    assert (frame["purchase"] <= frame["click"]).all()
    spec = aliexpress_feature_spec(frame, ("US", "NL", "ES", "FR"))
    assert spec.tasks == TASKS_2 and len(spec.categorical) == 17 and len(spec.numerical) == 63
    data = frame_to_data(frame, spec)
    assert data.labels.shape == (len(frame), 2)
    np.testing.assert_allclose(data.num[: len(raw_us), 0].numpy(), raw_us["numerical_1"].to_numpy(), rtol=1e-6)
    assert data.n_requests == 50
    parts = time_split(frame, 0.2, 0.2)
    assert min(len(parts.train), len(parts.validation), len(parts.test)) > 0


def test_aliexpress_loader_rejects_bad_files(tmp_path) -> None:
    path = write_sample_csv(tmp_path / "train_ES.csv", n_searches=5)
    raw = pd.read_csv(path)
    raw.drop(columns=["numerical_7"]).to_csv(tmp_path / "broken_ES.csv", index=False)
    with pytest.raises(AliExpressFormatError, match="numerical_7"):
        load_aliexpress([tmp_path / "broken_ES.csv"])
    raw.assign(conversion=1, click=0).to_csv(tmp_path / "funnel_ES.csv", index=False)
    with pytest.raises(AliExpressFormatError, match="funnel"):
        load_aliexpress([tmp_path / "funnel_ES.csv"])
