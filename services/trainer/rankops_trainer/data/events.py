"""Reading event partitions and splitting them by time."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

SPLIT_NAMES = ("train", "validation", "test")


class EventsError(ValueError):
    """Bad or missing event data; the message names the file or column."""


def partition_files(root: str | os.PathLike[str], start: dt.date | str | None = None,
                    end: dt.date | str | None = None) -> list[Path]:
    """Parquet files under `root/dt=YYYY-MM-DD/`, oldest first, within [start, end]."""
    root = Path(root)
    if not root.is_dir():
        raise EventsError(f"events directory {root} does not exist")
    start_s = str(start) if start is not None else None
    end_s = str(end) if end is not None else None
    files: list[Path] = []
    for part in sorted(root.glob("dt=*")):
        day = part.name[len("dt="):]
        if (start_s and day < start_s) or (end_s and day > end_s):
            continue
        files.extend(sorted(part.glob("*.parquet")))
    return files


def load_events(path: str | os.PathLike[str], start: dt.date | str | None = None,
                end: dt.date | str | None = None) -> pd.DataFrame:
    """Load events from a single Parquet file, a directory of Parquet files, or a
    directory of `dt=YYYY-MM-DD/` partitions. Rows come back in time order."""
    path = Path(path)
    if path.is_file():
        files = [path]
    elif any(path.glob("dt=*")):
        files = partition_files(path, start, end)
    elif path.is_dir():
        files = sorted(path.glob("*.parquet"))
    else:
        raise EventsError(f"no events at {path}")
    if not files:
        raise EventsError(f"no Parquet files under {path} for dates [{start}, {end}]")
    tables = []
    for file in files:
        try:
            tables.append(pq.read_table(file))
        except (pa.ArrowInvalid, OSError) as exc:
            raise EventsError(f"cannot read {file}: {exc}") from exc
    frame = pa.concat_tables(tables, promote_options="default").to_pandas()
    if "ts" in frame.columns:
        frame = frame.sort_values(["ts", "request_id", "position"] if "position" in frame
                                  else ["ts", "request_id"], kind="stable").reset_index(drop=True)
    return frame


@dataclass
class EventSplits:
    train: pd.DataFrame
    validation: pd.DataFrame
    test: pd.DataFrame

    def sizes(self) -> dict[str, int]:
        return {"train": len(self.train), "validation": len(self.validation), "test": len(self.test)}


def time_split(frame: pd.DataFrame, validation_fraction: float = 0.15,
               test_fraction: float = 0.15) -> EventSplits:
    """Split by time at request granularity: the newest requests are the test set.

    With a `dt` column and at least three days the cut falls on day boundaries (whole days
    per split, at least one each), which is what the extract step does too. Otherwise
    requests are ordered by `ts` (or file order when there is no `ts`) and cut by count.
    """
    if not 0 < validation_fraction < 1 or not 0 < test_fraction < 1 \
            or validation_fraction + test_fraction >= 1:
        raise ValueError("fractions must be in (0, 1) and sum to less than 1")
    if "dt" in frame.columns and frame["dt"].nunique() >= 3:
        days = sorted(frame["dt"].unique())
        n = len(days)
        n_test = max(1, round(n * test_fraction))
        n_val = max(1, round(n * validation_fraction))
        if n_test + n_val >= n:
            n_test, n_val = 1, 1
        test_days = set(days[n - n_test:])
        val_days = set(days[n - n_test - n_val:n - n_test])
        split = frame["dt"].map(lambda d: 2 if d in test_days else 1 if d in val_days else 0)
    else:
        first_seen = frame.groupby("request_id", sort=False).cumcount() == 0
        key = frame["ts"] if "ts" in frame.columns else pd.Series(range(len(frame)), index=frame.index)
        order = key[first_seen].rank(method="first")
        n = len(order)
        bucket = pd.Series(0, index=order.index)
        bucket[order > n * (1 - test_fraction - validation_fraction)] = 1
        bucket[order > n * (1 - test_fraction)] = 2
        by_request = pd.Series(bucket.to_numpy(), index=frame.loc[first_seen, "request_id"].to_numpy())
        split = frame["request_id"].map(by_request)
    parts = [frame[split.to_numpy() == i].reset_index(drop=True) for i in range(3)]
    if any(len(p) == 0 for p in parts):
        raise EventsError(f"time split left an empty part: sizes {[len(p) for p in parts]}")
    return EventSplits(*parts)


def load_splits(root: str | os.PathLike[str], validation_fraction: float = 0.15,
                test_fraction: float = 0.15) -> EventSplits:
    """Splits from `root/{train,validation,test}` when the extract step wrote them
    (each a Parquet file or a directory of them), else a time split of all events in root."""
    root = Path(root)
    named = {}
    for name in SPLIT_NAMES:
        for candidate in (root / name, root / f"{name}.parquet"):
            if candidate.exists():
                named[name] = candidate
                break
    if len(named) == len(SPLIT_NAMES):
        return EventSplits(*(load_events(named[n]) for n in SPLIT_NAMES))
    if named:
        raise EventsError(f"{root} has only the splits {sorted(named)}; need {list(SPLIT_NAMES)}")
    return time_split(load_events(root), validation_fraction, test_fraction)
