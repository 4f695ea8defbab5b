"""What every model family shares: config, feature embedding, region mask, outputs.

A model takes two named tensors, `cat_features` (int64 [B, n_cat], raw ids) and
`num_features` (float32 [B, n_num], raw values), in the FeatureSpec's column order, and
returns per-task logits and probabilities plus the fused ranking score. Id hashing
(`id mod cardinality`) and numeric standardization live inside the model so the exported
ONNX graph takes raw feature values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Sequence

import torch
from torch import nn

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec

# Additive score weights per task when none are given: purchase counts most, upstream
# tasks break ties among items with similar purchase probability.
DEFAULT_SCORE_WEIGHTS = {"click": 0.1, "cart": 0.3, "purchase": 1.0}


@dataclass(frozen=True)
class ModelConfig:
    embedding_dim: int = 12
    hidden_dims: tuple[int, ...] = (128, 64)  # bottom / expert / tower depth and widths
    tower_dims: tuple[int, ...] = (32,)  # per-task head MLP on top of the shared part
    dropout: float = 0.1
    n_experts: int = 4  # MMoE
    n_shared_experts: int = 2  # PLE
    n_task_experts: int = 1  # PLE, per task
    seq_hidden: int = 64  # SEQ+MD recurrent state
    # None = the family's default (on for SEQ+MD, off elsewhere).
    region_mask: bool | None = None
    region_embedding_dim: int = 8
    region_mask_hidden: int = 32
    # Weight of the penalty on p_{t+1} > p_t; None = family default (SEQ+MD 0.1, else 0).
    monotonic_penalty: float | None = None
    # Additive fusion weights baked into the `score` output; None = DEFAULT_SCORE_WEIGHTS.
    score_weights: tuple[float, ...] | None = None
    # ResFlow's tower layers only: activation ("relu" or "prelu") and a BatchNorm after each
    # Linear. The official ResFlow code uses PReLU + BatchNorm (ModelConfig.resflow_official).
    tower_activation: str = "relu"
    tower_batchnorm: bool = False

    @classmethod
    def resflow_official(cls, **overrides: Any) -> "ModelConfig":
        """ResFlow as the official code builds it where it differs from rankops' default: PReLU +
        BatchNorm in the towers and no extra head layer (the tower's last layer feeds the logit).
        Its positive-class weights for the sparse tasks are a training choice (TrainConfig.pos_weights)."""
        return replace(cls(tower_activation="prelu", tower_batchnorm=True, tower_dims=()), **overrides)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "ModelConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown model config keys: {sorted(unknown)}")
        values = dict(raw)
        for key in ("hidden_dims", "tower_dims", "score_weights"):
            if values.get(key) is not None:
                values[key] = tuple(values[key])
        return cls(**values)


def mlp(in_dim: int, dims: Sequence[int], dropout: float) -> nn.Sequential:
    layers: list[nn.Module] = []
    for width in dims:
        layers += [nn.Linear(in_dim, width), nn.ReLU(), nn.Dropout(dropout)]
        in_dim = width
    return nn.Sequential(*layers)


def task_head(in_dim: int, dims: Sequence[int], dropout: float) -> nn.Sequential:
    """Tower MLP ending in one logit."""
    body = mlp(in_dim, dims, dropout)
    out_dim = dims[-1] if dims else in_dim
    return nn.Sequential(*body, nn.Linear(out_dim, 1))


class FeatureEmbedding(nn.Module):
    """Every field becomes a d-dim vector: categorical ids via one shared table with
    per-field offsets, numerical values as value * w_f + b_f after standardization."""

    def __init__(self, spec: FeatureSpec, dim: int, stats: NumericStats | None) -> None:
        super().__init__()
        cards = torch.tensor(spec.cardinalities, dtype=torch.int64)
        offsets = torch.cat([torch.zeros(1, dtype=torch.int64), cards.cumsum(0)[:-1]])
        self.register_buffer("cardinalities", cards)
        self.register_buffer("offsets", offsets)
        self.table = nn.Embedding(int(cards.sum()), dim)
        nn.init.normal_(self.table.weight, std=0.05)
        n_num = len(spec.numerical)
        stats = stats or NumericStats.identity(n_num)
        if len(stats.mean) != n_num:
            raise ValueError(f"numeric stats for {len(stats.mean)} columns, spec has {n_num}")
        self.register_buffer("num_mean", torch.tensor(stats.mean, dtype=torch.float32))
        self.register_buffer("num_std", torch.tensor(stats.std, dtype=torch.float32))
        self.num_weight = nn.Parameter(torch.randn(n_num, dim) * 0.1)
        self.num_bias = nn.Parameter(torch.zeros(n_num, dim))
        self.n_fields = len(spec.categorical) + n_num
        self.dim = dim

    def forward(self, cat_features: torch.Tensor, num_features: torch.Tensor) -> torch.Tensor:
        ids = torch.remainder(cat_features, self.cardinalities) + self.offsets
        cat_emb = self.table(ids)  # [B, C, d]
        # Clamp so one absurd raw value cannot saturate the whole network at serving time.
        z = ((num_features - self.num_mean) / self.num_std).clamp(-8.0, 8.0)
        num_emb = z.unsqueeze(-1) * self.num_weight + self.num_bias  # [B, F, d]
        return torch.cat([cat_emb, num_emb], dim=1)


class RegionMask(nn.Module):
    """Gates the region-dependent feature group by a mask generated from the region.

    gate = 2 * sigmoid(MLP(region embedding)) per dependent field and embedding dim; the
    last layer starts at zero so the gate starts as the identity (gate = 1) and training
    only moves it where regions really differ.
    """

    def __init__(self, spec: FeatureSpec, dim: int, region_dim: int, hidden: int) -> None:
        super().__init__()
        cat_flags, num_flags = spec.region_dependent_mask()
        flags = list(cat_flags) + list(num_flags)
        dep = [i for i, f in enumerate(flags) if f]
        if not dep:
            raise ValueError("region mask requested but the spec has no region_dependent features")
        select = torch.zeros(len(dep), len(flags))
        select[torch.arange(len(dep)), torch.tensor(dep)] = 1.0
        self.register_buffer("select", select)  # [n_dep, n_fields] one-hot rows
        self.region_index = spec.region_index
        self.n_regions = spec.categorical[spec.region_index].cardinality
        self.n_dep, self.dim = len(dep), dim
        self.region_embedding = nn.Embedding(self.n_regions, region_dim)
        self.generator = nn.Sequential(nn.Linear(region_dim, hidden), nn.ReLU(),
                                       nn.Linear(hidden, len(dep) * dim))
        nn.init.zeros_(self.generator[-1].weight)
        nn.init.zeros_(self.generator[-1].bias)

    def gate(self, cat_features: torch.Tensor) -> torch.Tensor:
        """[B, n_dep, d] gate values in (0, 2)."""
        region = torch.remainder(cat_features[:, self.region_index], self.n_regions)
        raw = self.generator(self.region_embedding(region))
        return 2.0 * torch.sigmoid(raw).reshape(-1, self.n_dep, self.dim)

    def forward(self, fields: torch.Tensor, cat_features: torch.Tensor) -> torch.Tensor:
        # Scatter (gate - 1) onto the dependent fields; all other fields get factor 1.
        full = 1.0 + torch.einsum("bkd,kf->bfd", self.gate(cat_features) - 1.0, self.select)
        return fields * full


class MultiTaskModel(nn.Module):
    """Base class. Subclasses implement `task_logits(h)` -> [B, T] logits (or override
    `task_outputs` when probabilities are not plain sigmoids, as in ESMM)."""

    family: str = "base"
    default_region_mask: bool = False
    default_monotonic_penalty: float = 0.0

    def __init__(self, config: ModelConfig, spec: FeatureSpec, stats: NumericStats | None = None) -> None:
        super().__init__()
        if len(spec.tasks) not in (2, 3):
            raise ValueError(f"models support 2 or 3 tasks, spec has {spec.tasks}")
        self.config = config
        self.spec = spec
        self.tasks = tuple(spec.tasks)
        self.n_tasks = len(self.tasks)
        self.embedding = FeatureEmbedding(spec, config.embedding_dim, stats)
        use_mask = self.default_region_mask if config.region_mask is None else config.region_mask
        self.region_mask = (RegionMask(spec, config.embedding_dim, config.region_embedding_dim,
                                       config.region_mask_hidden) if use_mask else None)
        self.monotonic_penalty = (self.default_monotonic_penalty if config.monotonic_penalty is None
                                  else config.monotonic_penalty)
        weights = config.score_weights or tuple(DEFAULT_SCORE_WEIGHTS[t] for t in self.tasks)
        if len(weights) != self.n_tasks:
            raise ValueError(f"score_weights {weights} do not match tasks {self.tasks}")
        self.register_buffer("score_weights", torch.tensor(weights, dtype=torch.float32))
        self.input_dim = self.embedding.n_fields * config.embedding_dim

    @property
    def uses_region_mask(self) -> bool:
        return self.region_mask is not None

    def set_score_weights(self, weights: Sequence[float]) -> None:
        if len(weights) != self.n_tasks:
            raise ValueError(f"need {self.n_tasks} weights, got {len(weights)}")
        self.score_weights.copy_(torch.tensor(list(weights), dtype=torch.float32))

    def embed(self, cat_features: torch.Tensor, num_features: torch.Tensor) -> torch.Tensor:
        fields = self.embedding(cat_features, num_features)
        if self.region_mask is not None:
            fields = self.region_mask(fields, cat_features)
        return fields.flatten(1)

    def task_logits(self, h: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def task_outputs(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.task_logits(h)
        return logits, torch.sigmoid(logits)

    def forward(self, cat_features: torch.Tensor, num_features: torch.Tensor) -> dict[str, torch.Tensor]:
        logits, probs = self.task_outputs(self.embed(cat_features, num_features))
        probs = probs.float()
        return {"logits": logits.float(), "probs": probs, "score": probs @ self.score_weights}
