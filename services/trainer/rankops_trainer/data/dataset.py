"""Tensors for training and list-wise evaluation.

Rows are grouped by request (contiguous, in time order) so ranking metrics can be computed
per request and batches can be whole requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pandas as pd
import torch
from torch.utils.data import Dataset

from rankops_trainer.data.events import EventsError
from rankops_trainer.data.schema import SHOWN, TRUTH_IF_EXAMINED, FeatureSpec, assert_no_label_leakage

TRUTH_FOR_TASK = {"click": "truth_p_click", "cart": "truth_p_cart", "purchase": "truth_p_purchase"}

# Training on candidate sets: every shown row plus this many unshown candidates per request,
# drawn uniformly (docs/data.md, "What a model trains on"). Unshown rows carry label 0: they are
# the candidates the pre-ranker must learn to push down, at a fraction of the full set's cost.
UNSHOWN_PER_REQUEST = 20


def training_candidates(frame: pd.DataFrame, unshown_per_request: int = UNSHOWN_PER_REQUEST,
                        seed: int = 0) -> pd.DataFrame:
    """The rows a model trains on. Displayed-list events (no `shown` column) come back as they
    are; for candidate sets, the shown rows and up to `unshown_per_request` unshown candidates
    per request, chosen uniformly with a generator seeded by `seed` (same seed, same rows),
    in the frame's row order. Evaluation keeps every candidate: call this on training data only."""
    if SHOWN not in frame.columns:
        return frame
    if unshown_per_request < 0:
        raise ValueError(f"unshown_per_request must be >= 0, got {unshown_per_request}")
    shown = frame[SHOWN].to_numpy() != 0
    unshown_rows = np.flatnonzero(~shown)
    request = pd.factorize(frame["request_id"], sort=False)[0][unshown_rows]
    keys = np.random.default_rng(seed).random(len(unshown_rows))
    order = np.lexsort((keys, request))
    grouped = request[order]
    starts = np.r_[0, np.flatnonzero(np.diff(grouped)) + 1] if len(grouped) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(grouped)) - np.repeat(starts, np.diff(np.r_[starts, len(grouped)]))
    keep = shown.copy()
    keep[unshown_rows[order[rank < unshown_per_request]]] = True
    return frame[keep].reset_index(drop=True)


def displayed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The impressions: for candidate sets the shown rows (in order), displayed lists as they are.

    Training's validation metrics (early stopping, the run page's curves) are over these, as the
    report's displayed-list WR@K and AUC are: an unshown row was never seen, so its zero labels are
    no evidence, and counting them inflates AUC and measures the pre-rank WR@K that ranks models
    against online orders (docs/benchmarks.md).
    """
    if SHOWN not in frame.columns:
        return frame
    return frame[frame[SHOWN].to_numpy() != 0].reset_index(drop=True)


@dataclass
class RankingData:
    """One split as tensors. `cat` holds raw ids (the model applies `mod cardinality`),
    `num` raw values (the model standardizes with stats baked in at training time)."""

    spec: FeatureSpec
    cat: torch.Tensor  # int64 [N, n_cat]
    num: torch.Tensor  # float32 [N, n_num]
    labels: torch.Tensor  # float32 [N, n_tasks], in spec.tasks order
    request_index: np.ndarray  # int64 [N], 0..R-1, contiguous runs
    request_offsets: np.ndarray  # int64 [R + 1]
    region: np.ndarray  # int64 [N] region code
    # float64 [N, n_tasks] true probabilities (synthetic only): at the logged position for displayed
    # lists, if examined (position-free) for candidate sets
    truth: np.ndarray | None
    request_ids: np.ndarray  # [R] original request ids

    def __len__(self) -> int:
        return int(self.cat.shape[0])

    @property
    def n_requests(self) -> int:
        return len(self.request_offsets) - 1

    def features(self, rows: slice | torch.Tensor | np.ndarray = slice(None)) -> dict[str, torch.Tensor]:
        return {"cat_features": self.cat[rows], "num_features": self.num[rows]}

    def task_labels(self, task: str) -> np.ndarray:
        return self.labels[:, self.spec.tasks.index(task)].numpy()


def frame_to_data(frame: pd.DataFrame, spec: FeatureSpec) -> RankingData:
    """Select exactly the spec's feature columns (never labels or truth) and group by request."""
    assert_no_label_leakage(spec.feature_names)
    needed = list(spec.feature_names) + list(spec.label_columns) + ["request_id"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise EventsError(f"events are missing columns {missing}")
    if len(frame) == 0:
        raise EventsError("no rows")
    # Stable grouping that keeps the first-seen (time) order of requests and the row order
    # (logged position) inside each request.
    codes, uniques = pd.factorize(frame["request_id"], sort=False)
    order = np.argsort(codes, kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    codes = codes[order]
    offsets = np.r_[0, np.flatnonzero(np.diff(codes)) + 1, len(codes)].astype(np.int64)

    cat = torch.from_numpy(frame[list(spec.categorical_names)].to_numpy(dtype=np.int64, copy=True))
    num_np = frame[list(spec.numerical)].to_numpy(dtype=np.float32, copy=True)
    if not np.isfinite(num_np).all():
        bad = [c for c in spec.numerical if not np.isfinite(frame[c].to_numpy(dtype=np.float64)).all()]
        raise EventsError(f"non-finite values in numerical columns {bad}")
    labels_np = frame[list(spec.label_columns)].to_numpy(dtype=np.float32, copy=True)
    if not np.isin(labels_np, (0.0, 1.0)).all():
        raise EventsError(f"labels {spec.label_columns} must be 0/1")
    truth = None
    truth_cols = [TRUTH_FOR_TASK[t] for t in spec.tasks]
    # Candidate sets log the position-free probabilities: an unshown row's truth_p_* is 0 (it was
    # never examined), which would make "was it shown" the oracle. Rank by what the item is worth.
    if all(TRUTH_IF_EXAMINED[t] in frame.columns for t in spec.tasks):
        truth_cols = [TRUTH_IF_EXAMINED[t] for t in spec.tasks]
    if all(c in frame.columns for c in truth_cols):
        truth = frame[truth_cols].to_numpy(dtype=np.float64, copy=True)
    return RankingData(
        spec=spec,
        cat=cat,
        num=torch.from_numpy(num_np),
        labels=torch.from_numpy(labels_np),
        request_index=codes.astype(np.int64),
        request_offsets=offsets,
        region=frame[spec.region_column].to_numpy(dtype=np.int64, copy=True),
        truth=truth,
        request_ids=np.asarray(uniques),
    )


@dataclass
class Batch:
    cat: torch.Tensor
    num: torch.Tensor
    labels: torch.Tensor

    def to(self, device: torch.device) -> "Batch":
        return Batch(self.cat.to(device, non_blocking=True), self.num.to(device, non_blocking=True),
                     self.labels.to(device, non_blocking=True))


def iter_request_batches(data: RankingData, requests_per_batch: int, *, shuffle: bool,
                         generator: torch.Generator | None = None) -> Iterator[Batch]:
    """Batches of whole requests. Shuffling permutes requests, not rows, so every batch
    holds complete candidate lists (what a list-wise loss or metric needs)."""
    n_req = data.n_requests
    order = torch.randperm(n_req, generator=generator).numpy() if shuffle else np.arange(n_req)
    starts, ends = data.request_offsets[:-1], data.request_offsets[1:]
    lengths = (ends - starts)[order]
    # Row ids of the permuted requests, laid end to end: start of each request plus 0..len-1.
    rows = np.repeat(starts[order] - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(lengths.sum())
    bounds = np.r_[0, np.cumsum(lengths)]
    for first in range(0, n_req, requests_per_batch):
        last = min(first + requests_per_batch, n_req)
        idx = torch.from_numpy(rows[bounds[first]:bounds[last]])
        yield Batch(data.cat[idx], data.num[idx], data.labels[idx])


def shard_rows(data: RankingData, order: np.ndarray, rank: int, world_size: int) -> tuple[np.ndarray, int]:
    """Row ids of one rank's requests in one global batch (`order` = the batch's request ids,
    in permuted order): requests rank, rank + W, rank + 2W, ... Returns (rows, rows in the whole
    batch). With world_size 1 the rows are the whole batch, in `iter_request_batches`' order."""
    starts, ends = data.request_offsets[:-1], data.request_offsets[1:]
    global_rows = int((ends[order] - starts[order]).sum())
    mine = order[rank::world_size]
    lengths = ends[mine] - starts[mine]
    rows = np.repeat(starts[mine] - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(lengths.sum())
    return rows.astype(np.int64), global_rows


def iter_request_shards(data: RankingData, requests_per_batch: int, generator: torch.Generator, rank: int = 0,
                        world_size: int = 1) -> Iterator[tuple[torch.Tensor, int]]:
    """The global batches of `iter_request_batches(..., shuffle=True)` (same permutation for the
    same generator), each as (this rank's row ids, rows in the global batch)."""
    order = torch.randperm(data.n_requests, generator=generator).numpy()
    for first in range(0, data.n_requests, requests_per_batch):
        rows, global_rows = shard_rows(data, order[first:first + requests_per_batch], rank, world_size)
        yield torch.from_numpy(rows), global_rows


class RequestDataset(Dataset):
    """torch Dataset view: item i is request i (all its candidates). Use with
    `collate_requests` in a DataLoader when a sampler over requests is wanted."""

    def __init__(self, data: RankingData) -> None:
        self.data = data

    def __len__(self) -> int:
        return self.data.n_requests

    def __getitem__(self, i: int) -> Batch:
        rows = slice(int(self.data.request_offsets[i]), int(self.data.request_offsets[i + 1]))
        return Batch(self.data.cat[rows], self.data.num[rows], self.data.labels[rows])


def collate_requests(requests: list[Batch]) -> Batch:
    return Batch(torch.cat([r.cat for r in requests]), torch.cat([r.num for r in requests]),
                 torch.cat([r.labels for r in requests]))


@dataclass(frozen=True)
class NumericStats:
    mean: tuple[float, ...]
    std: tuple[float, ...]

    @classmethod
    def fit(cls, data: RankingData) -> "NumericStats":
        num = data.num.double()
        std = num.std(dim=0, unbiased=False).clamp_min(1e-6)
        return cls(tuple(num.mean(dim=0).tolist()), tuple(std.tolist()))

    @classmethod
    def identity(cls, n: int) -> "NumericStats":
        return cls((0.0,) * n, (1.0,) * n)
