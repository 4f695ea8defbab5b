"""Column names and the feature specification shared by data, models, export and evaluation.

The FeatureSpec is the contract between the Parquet events, the model's input tensors and
the Java ranker: the order of `categorical` and `numerical` is the column order of the
ONNX inputs `cat_features` and `num_features`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

# Task name -> label column in the events. 2-task datasets (AliExpress) have no cart label.
TASK_LABEL_COLUMNS: dict[str, str] = {
    "click": "click",
    "cart": "add_to_cart",
    "purchase": "purchase",
}
TASKS_3 = ("click", "cart", "purchase")
TASKS_2 = ("click", "purchase")

LABEL_COLUMNS = ("click", "add_to_cart", "purchase", "conversion")
# Ground-truth probabilities of the synthetic world: evaluation only, never model input.
TRUTH_COLUMNS = ("truth_p_click", "truth_p_cart", "truth_p_purchase", "truth_examination")
# Identifiers and bookkeeping columns that are never features.
KEY_COLUMNS = ("request_id", "ts", "dt", "region", "position")

# The candidate-set schema (docs/data.md, "Candidate-set events"): every retrieved candidate of a
# request is a row, shown or not. These columns describe the logging policy; none is a feature
# (a model must not learn "was shown"), and labels are 0 wherever SHOWN is 0. The worker's
# extraction checks the same names (EventSchema.java; tests/test_names.py compares them).
SHOWN = "shown"  # 0/1: the row reached the displayed list
DISPLAY_POSITION = "display_position"  # 0-based slot in the displayed list, -1 when not shown
PRERANK_KEPT = "prerank_kept"  # 0/1: the logging pre-ranker kept it for the downstream ranker
PRERANK_POSITION = "prerank_position"  # rank by the logging pre-ranker's score, 0 = best
PROPENSITY = "propensity"  # P(reaching the displayed list) under the logging policy
PROPENSITY_KEPT = "propensity_kept"  # P(being kept by the logging pre-ranker)
CANDIDATE_SET_COLUMNS = (SHOWN, DISPLAY_POSITION, PRERANK_KEPT, PRERANK_POSITION, PROPENSITY, PROPENSITY_KEPT)
# Pre-rank world truth, evaluation only: the task's probability if the item were examined
# (position-free; truth_p_* = truth_examination * these) and the fixed downstream ranker's score.
TRUTH_IF_EXAMINED = {"click": "truth_p_click_if_examined", "cart": "truth_p_cart_if_examined",
                     "purchase": "truth_p_purchase_if_examined"}
TRUTH_DOWNSTREAM_SCORE = "truth_downstream_score"
# The key of the item feature snapshot (one row per item) and of a request's candidates.
ITEM_KEY = "item_id"

# Substrings that would betray a label or the truth if they appeared in a feature name.
_LEAKY_TOKENS = ("click", "cart", "purchase", "conversion", "truth", "label", "order")


class LeakageError(ValueError):
    """A feature column is, or is derived by name from, a label or a truth column."""


@dataclass(frozen=True)
class CategoricalFeature:
    name: str
    # Raw integer ids are mapped to `id mod cardinality`, inside the model, so the ranker can
    # pass raw ids and never needs a vocabulary file.
    cardinality: int


@dataclass(frozen=True)
class FeatureSpec:
    categorical: tuple[CategoricalFeature, ...]
    numerical: tuple[str, ...]
    # The categorical column holding the region code (index into `regions`).
    region_column: str
    regions: tuple[str, ...]
    # Features whose effect differs by region: the region mask gates exactly these.
    region_dependent: tuple[str, ...] = ()
    tasks: tuple[str, ...] = TASKS_3
    # Feature sources (docs/architecture.md, "Serving"): `item_features` are served by the ranker
    # from the item snapshot keyed by `item_id` (the key itself comes from the request);
    # `candidate_features` are sent per candidate by the caller (they depend on the query or the
    # buyer); `overridable` item features may be overridden per candidate (a live price). Every
    # other feature is context. A spec without them (older models) has every feature per candidate.
    item_features: tuple[str, ...] = ()
    candidate_features: tuple[str, ...] = ()
    overridable: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = self.feature_names
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate feature names in {names}")
        self._check_sources(names)
        if self.region_column not in self.categorical_names:
            raise ValueError(f"region column {self.region_column!r} must be categorical")
        unknown = set(self.region_dependent) - set(names)
        if unknown:
            raise ValueError(f"region_dependent names unknown features: {sorted(unknown)}")
        for task in self.tasks:
            if task not in TASK_LABEL_COLUMNS:
                raise ValueError(f"unknown task {task!r}; known: {sorted(TASK_LABEL_COLUMNS)}")
        assert_no_label_leakage(names)

    def _check_sources(self, names: tuple[str, ...]) -> None:
        for field_name in ("item_features", "candidate_features", "overridable"):
            unknown = set(getattr(self, field_name)) - set(names)
            if unknown:
                raise ValueError(f"{field_name} names unknown features: {sorted(unknown)}")
        both = set(self.item_features) & set(self.candidate_features)
        if both:
            raise ValueError(f"features cannot be both item_features and candidate_features: {sorted(both)}")
        not_item = set(self.overridable) - set(self.item_features)
        if not_item:
            raise ValueError(f"overridable must be item_features: {sorted(not_item)}")
        keyed = {ITEM_KEY, self.region_column} & (set(self.item_features) | set(self.candidate_features))
        if keyed:
            raise ValueError(f"{sorted(keyed)} come from the request itself, not from a feature source")

    @property
    def context_features(self) -> tuple[str, ...]:
        """Features neither item nor candidate: the same for every candidate of a request."""
        per_item = {ITEM_KEY, *self.item_features, *self.candidate_features}
        return tuple(n for n in self.feature_names if n not in per_item)

    @property
    def categorical_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categorical)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.categorical_names + self.numerical

    @property
    def cardinalities(self) -> tuple[int, ...]:
        return tuple(c.cardinality for c in self.categorical)

    @property
    def region_index(self) -> int:
        return self.categorical_names.index(self.region_column)

    @property
    def label_columns(self) -> tuple[str, ...]:
        return tuple(TASK_LABEL_COLUMNS[t] for t in self.tasks)

    def region_dependent_mask(self) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
        """(categorical flags, numerical flags): which inputs the region mask gates."""
        dep = set(self.region_dependent)
        return (
            tuple(n in dep for n in self.categorical_names),
            tuple(n in dep for n in self.numerical),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "FeatureSpec":
        return cls(
            categorical=tuple(CategoricalFeature(**c) for c in raw["categorical"]),
            numerical=tuple(raw["numerical"]),
            region_column=raw["region_column"],
            regions=tuple(raw["regions"]),
            region_dependent=tuple(raw.get("region_dependent", ())),
            tasks=tuple(raw.get("tasks", TASKS_3)),
            item_features=tuple(raw.get("item_features", ())),
            candidate_features=tuple(raw.get("candidate_features", ())),
            overridable=tuple(raw.get("overridable", ())),
        )


FEATURE_SPEC_FILE = "feature_spec.json"


def load_feature_spec(path: str | os.PathLike[str]) -> FeatureSpec:
    """Read a feature spec JSON file, or `feature_spec.json` inside a directory."""
    path = Path(path)
    if path.is_dir():
        path = path / FEATURE_SPEC_FILE
    try:
        return FeatureSpec.from_dict(json.loads(path.read_text()))
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: not a usable feature spec: {exc}") from exc


def assert_no_label_leakage(feature_names: Sequence[str]) -> None:
    """Refuse feature columns that are labels, truth columns, or named after them.

    A name check is cheap and catches the classic bug of a label (or `p_click` truth)
    riding along in a `select *`; the shuffled-label test catches subtler leaks.
    """
    forbidden = (set(LABEL_COLUMNS) | set(TRUTH_COLUMNS) | set(CANDIDATE_SET_COLUMNS) | set(TRUTH_IF_EXAMINED.values())
                 | {TRUTH_DOWNSTREAM_SCORE, "p_click", "p_cart", "p_purchase"})
    bad = []
    for name in feature_names:
        lowered = name.lower()
        if lowered in forbidden or any(tok in lowered for tok in _LEAKY_TOKENS):
            bad.append(name)
    if bad:
        raise LeakageError(f"feature columns look like labels or ground truth: {bad}")
