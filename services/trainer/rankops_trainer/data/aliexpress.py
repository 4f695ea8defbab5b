"""Loader for the public AliExpress search-log dataset format.

Each country file (train_US.csv, test_NL.csv, ... or AliExpress_US/train.csv) has columns
search_id, categorical_1..16, numerical_1..63, click, conversion. The country in the file
name is the region. Rows are mapped to the rankops event layout: request_id, region,
region_code, ts (file row order, the only time signal the files carry), position,
the features, click and purchase (= conversion). There is no add-to-cart label, so the
spec has the two tasks click and purchase.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from rankops_trainer.data.schema import TASKS_2, CategoricalFeature, FeatureSpec

N_CATEGORICAL = 16
N_NUMERICAL = 63
CATEGORICAL_NAMES = tuple(f"categorical_{i}" for i in range(1, N_CATEGORICAL + 1))
NUMERICAL_NAMES = tuple(f"numerical_{i}" for i in range(1, N_NUMERICAL + 1))
EXPECTED_COLUMNS = ("search_id", *CATEGORICAL_NAMES, *NUMERICAL_NAMES, "click", "conversion")
KNOWN_COUNTRIES = ("US", "NL", "ES", "FR", "RU")

_COUNTRY = re.compile(r"(?:^|[_\-./\\])([A-Z]{2})(?=$|[_\-./\\])")


class AliExpressFormatError(ValueError):
    pass


def country_from_path(path: str | os.PathLike[str]) -> str:
    """`.../train_US.csv` -> "US"; `.../AliExpress_NL/test.csv` -> "NL"."""
    text = str(path)
    found = [m for m in _COUNTRY.findall(text)]
    if not found:
        raise AliExpressFormatError(f"cannot tell the country from file name {path}")
    return found[-1]


def read_country_file(path: str | os.PathLike[str], nrows: int | None = None) -> pd.DataFrame:
    raw = pd.read_csv(path, nrows=nrows)
    missing = [c for c in EXPECTED_COLUMNS if c not in raw.columns]
    if missing:
        raise AliExpressFormatError(f"{path}: missing columns {missing[:5]}{'...' if len(missing) > 5 else ''}")
    labels = raw[["click", "conversion"]]
    if not labels.isin([0, 1]).all().all():
        raise AliExpressFormatError(f"{path}: click/conversion must be 0 or 1")
    if (raw["conversion"] > raw["click"]).any():
        raise AliExpressFormatError(f"{path}: a conversion without a click violates the funnel")
    return raw


def load_aliexpress(paths: Sequence[str | os.PathLike[str]], regions: Sequence[str] | None = None,
                    nrows: int | None = None) -> pd.DataFrame:
    """Concatenate country files into one frame in the rankops event layout."""
    if not paths:
        raise AliExpressFormatError("no AliExpress files given")
    countries = [country_from_path(p) for p in paths]
    region_list = tuple(regions) if regions is not None else tuple(sorted(set(countries)))
    frames = []
    offset = 0
    for path, country in zip(paths, countries):
        if country not in region_list:
            raise AliExpressFormatError(f"{path}: country {country} not in regions {region_list}")
        raw = read_country_file(path, nrows)
        out = pd.DataFrame({
            "request_id": country + "-" + Path(path).stem + "-" + raw["search_id"].astype(str),
            "ts": np.arange(offset, offset + len(raw), dtype=np.int64),
            "region": country,
            "region_code": np.int64(region_list.index(country)),
        })
        offset += len(raw)
        out["position"] = out.groupby("request_id").cumcount().astype(np.int32)
        for name in CATEGORICAL_NAMES:
            out[name] = raw[name].fillna(0).astype(np.int64)
        numeric = raw[list(NUMERICAL_NAMES)].astype(np.float32).fillna(0.0)
        out = pd.concat([out, numeric.reset_index(drop=True)], axis=1)
        out["click"] = raw["click"].astype(np.int32)
        out["purchase"] = raw["conversion"].astype(np.int32)
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def aliexpress_feature_spec(frame: pd.DataFrame, regions: Sequence[str],
                            region_dependent: Sequence[str] = NUMERICAL_NAMES,
                            max_cardinality: int = 100_000) -> FeatureSpec:
    """Cardinalities from the data (max id + 1, capped); ids beyond wrap by modulo.

    The features are anonymous, so by default the region mask gates the numerical group.
    Compute the spec on the training split only.
    """
    cats = [CategoricalFeature(n, int(min(max_cardinality, max(2, frame[n].max() + 1))))
            for n in CATEGORICAL_NAMES]
    cats.append(CategoricalFeature("region_code", len(regions)))
    return FeatureSpec(
        categorical=tuple(cats),
        numerical=NUMERICAL_NAMES,
        region_column="region_code",
        regions=tuple(regions),
        region_dependent=tuple(region_dependent),
        tasks=TASKS_2,
    )


def write_sample_csv(path: str | os.PathLike[str], n_searches: int = 50, seed: int = 0,
                     items_per_search: tuple[int, int] = (5, 15)) -> Path:
    """Write a small file in the AliExpress format (for tests and demos; no real data).

    Click depends on numerical_1 and categorical_1 so a model has something to learn.
    """
    rng = np.random.default_rng(seed)
    sizes = rng.integers(items_per_search[0], items_per_search[1] + 1, n_searches)
    n = int(sizes.sum())
    data: dict[str, np.ndarray] = {"search_id": np.repeat(np.arange(1, n_searches + 1) * 7, sizes)}
    field_dims = [8, 4, 7, 2, 19, 7, 50, 8, 8, 2, 2, 2, 2, 2, 2, 2]
    for name, dim in zip(CATEGORICAL_NAMES, field_dims):
        data[name] = rng.integers(0, dim, n)
    for name in NUMERICAL_NAMES:
        data[name] = rng.normal(0.0, 1.0, n).round(6)
    logit = -2.0 + 1.5 * data["numerical_1"] + 0.5 * (data["categorical_1"] % 2)
    click = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    conversion = click & (rng.random(n) < 0.2)
    data["click"] = click.astype(int)
    data["conversion"] = conversion.astype(int)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(data).to_csv(path, index=False)
    return path
