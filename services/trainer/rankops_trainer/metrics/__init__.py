"""Metrics: Weighted Recall@K (displayed list, pre-rank), IPS estimates, AUC, per-region breakdown,
score fusion, dead-task check."""

from rankops_trainer.metrics.classification import DeadTaskPolicy, dead_task_reason, roc_auc
from rankops_trainer.metrics.counterfactual import (DEFAULT_IPS_CLIP, CounterfactualEstimate, ips_orders_per_request,
                                                    target_kept)
from rankops_trainer.metrics.fusion import (FUSION_KINDS, FusionChoice, candidate_weights, fuse,
                                            select_fusion_weights)
from rankops_trainer.metrics.prerank import (PRERANK_KS, EngagementWeights, engagement, prerank_ks,
                                             prerank_weighted_recall_at_k)
from rankops_trainer.metrics.ranking import (rank_within_requests, weighted_recall_at_k,
                                             weighted_recall_from_lists, weighted_recall_parts)
from rankops_trainer.metrics.report import jsonable, split_metrics

__all__ = [
    "CounterfactualEstimate", "DEFAULT_IPS_CLIP", "EngagementWeights", "PRERANK_KS", "engagement",
    "ips_orders_per_request", "prerank_ks", "prerank_weighted_recall_at_k", "target_kept",
    "DeadTaskPolicy", "FUSION_KINDS", "FusionChoice", "candidate_weights", "dead_task_reason", "fuse",
    "jsonable", "rank_within_requests", "roc_auc", "select_fusion_weights", "split_metrics",
    "weighted_recall_at_k", "weighted_recall_from_lists", "weighted_recall_parts",
]
