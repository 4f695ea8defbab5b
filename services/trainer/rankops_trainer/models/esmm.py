"""ESMM: entire-space multi-task model (Ma et al., SIGIR 2018), extended along the funnel.

p_click = sigmoid(a), p_cart = p_click * sigmoid(b), p_purchase = p_cart * sigmoid(c):
each later task is the product of the earlier one and a conditional rate, so every
probability is trained over all impressions and the funnel order holds by construction.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.models.base import ModelConfig, MultiTaskModel, mlp, task_head

# Keeps log(1 - p) finite when a product probability gets close to 1.
_MAX_LOG_P = -1e-6


class ESMM(MultiTaskModel):
    family = "esmm"

    def __init__(self, config: ModelConfig, spec: FeatureSpec, stats: NumericStats | None = None) -> None:
        super().__init__(config, spec, stats)
        self.bottom = mlp(self.input_dim, config.hidden_dims, config.dropout)
        width = config.hidden_dims[-1] if config.hidden_dims else self.input_dim
        # Tower 0: click; tower t > 0: the rate of task t given task t-1.
        self.towers = nn.ModuleList(task_head(width, config.tower_dims, config.dropout)
                                    for _ in self.tasks)

    def task_outputs(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        shared = self.bottom(h)
        step_logits = torch.cat([tower(shared) for tower in self.towers], dim=1)
        # Products of probabilities are sums of log-sigmoids: stable for tiny rates.
        log_p = torch.cumsum(F.logsigmoid(step_logits), dim=1).clamp(max=_MAX_LOG_P)
        probs = torch.exp(log_p)
        logits = log_p - torch.log(-torch.expm1(log_p))
        return logits, probs
