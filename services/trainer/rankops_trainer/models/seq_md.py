"""SEQ+MD: the tasks as a sequence, with a multi-domain (region) mask.

A GRU cell carries a state click -> add-to-cart -> purchase: each step reads the shared
representation plus a learned task embedding and updates the state, whose head gives the
task's logit. Training adds a penalty on p[t+1] > p[t] (a later funnel step cannot be
likelier than an earlier one). The region mask is on by default: it is the "MD" part.
"""

from __future__ import annotations

import torch
from torch import nn

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.models.base import ModelConfig, MultiTaskModel, mlp, task_head


class SeqMD(MultiTaskModel):
    family = "seq_md"
    default_region_mask = True
    default_monotonic_penalty = 0.1

    def __init__(self, config: ModelConfig, spec: FeatureSpec, stats: NumericStats | None = None) -> None:
        super().__init__(config, spec, stats)
        self.bottom = mlp(self.input_dim, config.hidden_dims, config.dropout)
        width = config.hidden_dims[-1] if config.hidden_dims else self.input_dim
        self.task_embedding = nn.Parameter(torch.randn(self.n_tasks, width) * 0.1)
        self.initial_state = nn.Sequential(nn.Linear(width, config.seq_hidden), nn.Tanh())
        self.cell = nn.GRUCell(2 * width, config.seq_hidden)
        self.heads = nn.ModuleList(task_head(config.seq_hidden, config.tower_dims, config.dropout)
                                   for _ in self.tasks)

    def task_logits(self, h: torch.Tensor) -> torch.Tensor:
        shared = self.bottom(h)
        state = self.initial_state(shared)
        logits = []
        # A fixed number of steps (the task count), so the exported graph is static.
        for t, head in enumerate(self.heads):
            step_input = torch.cat([shared, self.task_embedding[t].expand_as(shared)], dim=1)
            state = self.cell(step_input, state)
            logits.append(head(state))
        return torch.cat(logits, dim=1)


def monotonic_penalty(probs: torch.Tensor) -> torch.Tensor:
    """Mean amount by which a later task's probability exceeds the earlier one's."""
    return torch.relu(probs[:, 1:] - probs[:, :-1]).mean()
