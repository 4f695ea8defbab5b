"""Data: the synthetic search-log world, event partitions, the AliExpress loader, tensors."""

from rankops_trainer.data.aliexpress import aliexpress_feature_spec, load_aliexpress, write_sample_csv
from rankops_trainer.data.dataset import (Batch, NumericStats, RankingData, RequestDataset,
                                          collate_requests, frame_to_data, iter_request_batches)
from rankops_trainer.data.events import EventSplits, EventsError, load_events, load_splits, time_split
from rankops_trainer.data.schema import (TASKS_2, TASKS_3, CategoricalFeature, FeatureSpec,
                                         LeakageError, assert_no_label_leakage, load_feature_spec)
from rankops_trainer.data.synthetic import (World, WorldConfig, build_world, generate_events,
                                            synthetic_feature_spec, write_partitions)

__all__ = [
    "Batch", "CategoricalFeature", "EventSplits", "EventsError", "FeatureSpec", "LeakageError",
    "NumericStats", "RankingData", "RequestDataset", "TASKS_2", "TASKS_3", "World", "WorldConfig",
    "aliexpress_feature_spec", "assert_no_label_leakage", "build_world", "collate_requests",
    "frame_to_data", "generate_events", "iter_request_batches", "load_aliexpress", "load_events",
    "load_feature_spec", "load_splits", "synthetic_feature_spec", "time_split", "write_partitions", "write_sample_csv",
]
