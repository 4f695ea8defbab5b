"""Multi-task ranking models, one file per family, chosen by name with `build_model`."""

from __future__ import annotations

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.models.base import ModelConfig, MultiTaskModel, RegionMask
from rankops_trainer.models.esmm import ESMM
from rankops_trainer.models.mmoe import MMoE
from rankops_trainer.models.ple import PLE
from rankops_trainer.models.resflow import ResFlow
from rankops_trainer.models.seq_md import SeqMD, monotonic_penalty
from rankops_trainer.models.shared_bottom import SharedBottom

MODEL_REGISTRY: dict[str, type[MultiTaskModel]] = {
    "shared_bottom": SharedBottom,
    "mmoe": MMoE,
    "ple": PLE,
    "esmm": ESMM,
    "resflow": ResFlow,
    "seq_md": SeqMD,
}
MODEL_NAMES = tuple(MODEL_REGISTRY)


def canonical_name(name: str) -> str:
    """Accept display names too: "Shared-Bottom", "SEQ+MD", "ResFlow" ..."""
    key = name.strip().lower().replace("-", "_").replace("+", "_").replace(" ", "_")
    if key not in MODEL_REGISTRY:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    return key


def build_model(name: str, config: ModelConfig, spec: FeatureSpec,
                stats: NumericStats | None = None) -> MultiTaskModel:
    return MODEL_REGISTRY[canonical_name(name)](config, spec, stats)


__all__ = ["MODEL_NAMES", "MODEL_REGISTRY", "ModelConfig", "MultiTaskModel", "RegionMask",
           "build_model", "canonical_name", "monotonic_penalty"]
