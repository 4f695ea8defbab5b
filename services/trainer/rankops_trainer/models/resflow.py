"""ResFlow: residual connections between the towers of consecutive tasks.

One tower per task over the shared embedding. With h[k][l] the output of layer l of
task k's tower:  h[k][l] = layer[k][l](h[k][l-1]) + h[k-1][l]  (task 0 has no residual),
and the logits chain the same way: z[k] = head[k](h[k][L]) + z[k-1]
(click -> add-to-cart -> purchase). Later tasks thereby start from what the earlier,
denser task learned and only model the difference.
"""

from __future__ import annotations

import torch
from torch import nn

from rankops_trainer.data.dataset import NumericStats
from rankops_trainer.data.schema import FeatureSpec
from rankops_trainer.models.base import ModelConfig, MultiTaskModel, task_head


_ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "prelu": nn.PReLU}


class ResFlow(MultiTaskModel):
    family = "resflow"

    def __init__(self, config: ModelConfig, spec: FeatureSpec, stats: NumericStats | None = None) -> None:
        super().__init__(config, spec, stats)
        if not config.hidden_dims:
            raise ValueError("ResFlow needs at least one tower layer (hidden_dims)")
        if config.tower_activation not in _ACTIVATIONS:
            raise ValueError(f"tower_activation must be one of {sorted(_ACTIVATIONS)}, got {config.tower_activation!r}")
        dims = (self.input_dim, *config.hidden_dims)

        def layer(i: int) -> nn.Sequential:
            norm = [nn.BatchNorm1d(dims[i + 1])] if config.tower_batchnorm else []
            return nn.Sequential(nn.Linear(dims[i], dims[i + 1]), *norm, _ACTIVATIONS[config.tower_activation](),
                                 nn.Dropout(config.dropout))

        self.towers = nn.ModuleList(nn.ModuleList(layer(i) for i in range(len(config.hidden_dims)))
                                    for _ in self.tasks)
        self.heads = nn.ModuleList(task_head(dims[-1], config.tower_dims, config.dropout)
                                   for _ in self.tasks)

    def task_logits(self, h: torch.Tensor) -> torch.Tensor:
        previous_layers: list[torch.Tensor] | None = None
        previous_logit: torch.Tensor | None = None
        logits = []
        for tower, head in zip(self.towers, self.heads):
            x, layers = h, []
            for l, layer in enumerate(tower):
                x = layer(x)
                if previous_layers is not None:
                    x = x + previous_layers[l]
                layers.append(x)
            z = head(x)
            if previous_logit is not None:
                z = z + previous_logit
            logits.append(z)
            previous_layers, previous_logit = layers, z
        return torch.cat(logits, dim=1)
