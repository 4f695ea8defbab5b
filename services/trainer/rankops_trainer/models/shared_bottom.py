"""Shared-Bottom: one MLP shared by all tasks, one tower per task."""

from __future__ import annotations

import torch
from torch import nn

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.models.base import ModelConfig, MultiTaskModel, mlp, task_head


class SharedBottom(MultiTaskModel):
    family = "shared_bottom"

    def __init__(self, config: ModelConfig, spec: FeatureSpec, stats: NumericStats | None = None) -> None:
        super().__init__(config, spec, stats)
        self.bottom = mlp(self.input_dim, config.hidden_dims, config.dropout)
        width = config.hidden_dims[-1] if config.hidden_dims else self.input_dim
        self.towers = nn.ModuleList(task_head(width, config.tower_dims, config.dropout)
                                    for _ in self.tasks)

    def task_logits(self, h: torch.Tensor) -> torch.Tensor:
        shared = self.bottom(h)
        return torch.cat([tower(shared) for tower in self.towers], dim=1)
