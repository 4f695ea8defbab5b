"""The item feature snapshot a model is evaluated with and served with.

Extraction (the worker's ItemSnapshotWriter) writes `item_features.parquet` beside a dataset's
splits: one row per `item_id`, the latest value in the window of each feature the spec lists in
`item_features`; its URI and SHA-256 are in the dataset's `manifest.json` under `itemSnapshot`, and
registration tags the model version with both. The ranker fills a compact request's item features
from that file, so evaluation scores the test split with the same values (`served_item_features`):
the gate scores what will be served. Features the spec marks `overridable` (a live price, say)
are the caller's to send with each request (the ranker's `overrides`; the simulated buyers do,
since a price differs by market); evaluation keeps their logged, live values, as the ranker
scores them when the caller sends them. An item the snapshot lacks gets its default row, as in the
ranker (services/ranker/.../ItemSnapshot.java): per numerical feature the lower median, per
categorical one the most frequent id (ties to the smaller).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from rankops_trainer.data.schema import ITEM_KEY, FeatureSpec

if TYPE_CHECKING:
    from rankops_trainer.contract import DatasetManifest
    from rankops_trainer.storage import ObjectStore

ITEM_SNAPSHOT_FILE = "item_features.parquet"
MANIFEST_FIELD = "itemSnapshot"


def served_columns(spec: FeatureSpec, snapshot: pd.DataFrame) -> tuple[str, ...]:
    """The features the snapshot serves: the spec's item features, or (older specs) its feature columns."""
    if spec.item_features:
        missing = [c for c in spec.item_features if c not in snapshot.columns]
        if missing:
            raise ValueError(f"item snapshot has no column(s) {missing}, item features of the model")
        return spec.item_features
    return tuple(c for c in snapshot.columns
                 if c in spec.feature_names and c not in (ITEM_KEY, spec.region_column))


def default_row(spec: FeatureSpec, snapshot: pd.DataFrame) -> dict[str, float | int]:
    """What an item the snapshot lacks is scored with (the ranker computes the same row)."""
    row: dict[str, float | int] = {}
    for name in served_columns(spec, snapshot):
        values = snapshot[name].to_numpy()
        if name in spec.categorical_names:
            ids, counts = np.unique(values.astype(np.int64), return_counts=True)  # sorted: ties go to the smaller
            row[name] = int(ids[np.argmax(counts)]) if ids.size else 0
        else:
            ordered = np.sort(values.astype(np.float32))
            row[name] = float(ordered[(ordered.size - 1) // 2]) if ordered.size else 0.0
    return row


def apply_item_snapshot(frame: pd.DataFrame, snapshot: pd.DataFrame, spec: FeatureSpec) -> pd.DataFrame:
    """`frame` with every served item feature replaced by the snapshot's value for its item_id,
    except the overridable ones the frame has: those are the live values a caller sends."""
    if snapshot[ITEM_KEY].duplicated().any():
        raise ValueError("item snapshot lists an item_id twice")
    out = frame.copy()
    indexed = snapshot.set_index(ITEM_KEY)
    defaults = default_row(spec, snapshot)
    for name in served_columns(spec, snapshot):
        if name in spec.overridable and name in out.columns:
            continue
        values = out[ITEM_KEY].map(indexed[name])
        values = values.fillna(defaults[name])
        out[name] = values.astype(np.int64 if name in spec.categorical_names else np.float32)
    return out


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def served_item_features(store: "ObjectStore", manifest: "DatasetManifest", spec: FeatureSpec,
                         frames: dict[str, pd.DataFrame], into: Path) -> dict[str, pd.DataFrame]:
    """The dataset's frames with the item features its snapshot serves (unchanged when it has none).

    The snapshot's bytes must be the ones the manifest records: those are the bytes registration
    tags and the ranker loads.
    """
    from rankops_trainer.storage import join_uri

    manifest_uri = join_uri(manifest.uri, "manifest.json")
    if not store.exists(manifest_uri):
        return frames
    document = json.loads(store.download(manifest_uri, Path(into) / "manifest.json").read_text())
    entry = document.get(MANIFEST_FIELD)
    if not entry:
        return frames
    path = store.download(entry["uri"], Path(into) / ITEM_SNAPSHOT_FILE)
    actual = sha256(path)
    if actual != entry["sha256"]:
        raise ValueError(f"item snapshot {entry['uri']} has sha256 {actual}, the manifest records {entry['sha256']}")
    snapshot = pd.read_parquet(path)
    return {name: apply_item_snapshot(frame, snapshot, spec) for name, frame in frames.items()}
