"""PLE: progressive layered extraction with shared and task-specific experts per level
(Tang et al., RecSys 2020). One level per entry of `hidden_dims`."""

from __future__ import annotations

import torch
from torch import nn

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.models.base import ModelConfig, MultiTaskModel, mlp, task_head


class _Level(nn.Module):
    """One customized gate control (CGC) level."""

    def __init__(self, in_dim: int, out_dim: int, n_tasks: int, n_shared: int, n_task: int,
                 dropout: float, last: bool) -> None:
        super().__init__()
        expert = lambda: mlp(in_dim, (out_dim,), dropout)  # noqa: E731 - local factory
        self.task_experts = nn.ModuleList(nn.ModuleList(expert() for _ in range(n_task))
                                          for _ in range(n_tasks))
        self.shared_experts = nn.ModuleList(expert() for _ in range(n_shared))
        self.task_gates = nn.ModuleList(nn.Linear(in_dim, n_task + n_shared) for _ in range(n_tasks))
        # The last level feeds the towers only, so it needs no shared output.
        self.shared_gate = None if last else nn.Linear(in_dim, n_tasks * n_task + n_shared)

    def forward(self, task_inputs: list[torch.Tensor], shared_input: torch.Tensor
                ) -> tuple[list[torch.Tensor], torch.Tensor | None]:
        shared = [e(shared_input) for e in self.shared_experts]
        own = [[e(x) for e in experts] for experts, x in zip(self.task_experts, task_inputs)]
        outputs = []
        for t, (gate, x) in enumerate(zip(self.task_gates, task_inputs)):
            pool = torch.stack(own[t] + shared, dim=1)
            w = torch.softmax(gate(x), dim=-1).unsqueeze(-1)
            outputs.append((w * pool).sum(dim=1))
        shared_out = None
        if self.shared_gate is not None:
            pool = torch.stack([o for per_task in own for o in per_task] + shared, dim=1)
            w = torch.softmax(self.shared_gate(shared_input), dim=-1).unsqueeze(-1)
            shared_out = (w * pool).sum(dim=1)
        return outputs, shared_out


class PLE(MultiTaskModel):
    family = "ple"

    def __init__(self, config: ModelConfig, spec: FeatureSpec, stats: NumericStats | None = None) -> None:
        super().__init__(config, spec, stats)
        if not config.hidden_dims:
            raise ValueError("PLE needs at least one level (hidden_dims)")
        dims = (self.input_dim, *config.hidden_dims)
        self.levels = nn.ModuleList(
            _Level(dims[i], dims[i + 1], self.n_tasks, config.n_shared_experts, config.n_task_experts,
                   config.dropout, last=i == len(config.hidden_dims) - 1)
            for i in range(len(config.hidden_dims)))
        self.towers = nn.ModuleList(task_head(dims[-1], config.tower_dims, config.dropout)
                                    for _ in self.tasks)

    def task_logits(self, h: torch.Tensor) -> torch.Tensor:
        task_inputs, shared = [h] * self.n_tasks, h
        for level in self.levels:
            task_inputs, next_shared = level(task_inputs, shared)
            shared = next_shared if next_shared is not None else shared
        return torch.cat([tower(x) for tower, x in zip(self.towers, task_inputs)], dim=1)
