"""ESMM: entire-space multi-task model (Ma et al., SIGIR 2018), extended along the funnel.

p_click = sigmoid(a), p_cart = p_click * sigmoid(b), p_purchase = p_cart * sigmoid(c):
each later task is the product of the earlier one and a conditional rate, so every
probability is trained over all impressions and the funnel order holds by construction.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from rankops_trainer.models.shared_bottom import SharedBottom

# Keeps log(1 - p) finite when a product probability gets close to 1.
_MAX_LOG_P = -1e-6


class ESMM(SharedBottom):
    """Shared Bottom's layers, read as a chain: tower 0 is click, tower t > 0 the rate of task t
    given task t-1, and the task probabilities are their running products."""

    family = "esmm"

    def task_outputs(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        shared = self.bottom(h)
        step_logits = torch.cat([tower(shared) for tower in self.towers], dim=1)
        # Products of probabilities are sums of log-sigmoids: stable for tiny rates.
        log_p = torch.cumsum(F.logsigmoid(step_logits), dim=1).clamp(max=_MAX_LOG_P)
        probs = torch.exp(log_p)
        logits = log_p - torch.log(-torch.expm1(log_p))
        return logits, probs
