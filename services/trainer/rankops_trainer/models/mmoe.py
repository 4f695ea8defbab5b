"""MMoE: a pool of expert MLPs mixed by one softmax gate per task (Ma et al., KDD 2018)."""

from __future__ import annotations

import torch
from torch import nn

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.models.base import ModelConfig, MultiTaskModel, mlp, task_head


class MMoE(MultiTaskModel):
    family = "mmoe"

    def __init__(self, config: ModelConfig, spec: FeatureSpec, stats: NumericStats | None = None) -> None:
        super().__init__(config, spec, stats)
        if config.n_experts < 1:
            raise ValueError("MMoE needs at least one expert")
        self.experts = nn.ModuleList(mlp(self.input_dim, config.hidden_dims, config.dropout)
                                     for _ in range(config.n_experts))
        self.gates = nn.ModuleList(nn.Linear(self.input_dim, config.n_experts) for _ in self.tasks)
        width = config.hidden_dims[-1]
        self.towers = nn.ModuleList(task_head(width, config.tower_dims, config.dropout)
                                    for _ in self.tasks)

    def task_logits(self, h: torch.Tensor) -> torch.Tensor:
        experts = torch.stack([e(h) for e in self.experts], dim=1)  # [B, E, H]
        logits = []
        for gate, tower in zip(self.gates, self.towers):
            weights = torch.softmax(gate(h), dim=-1).unsqueeze(-1)  # [B, E, 1]
            logits.append(tower((weights * experts).sum(dim=1)))
        return torch.cat(logits, dim=1)
