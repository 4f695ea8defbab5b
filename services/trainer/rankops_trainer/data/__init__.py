"""Data: event partitions, the AliExpress loader, tensors. (The synthetic world is rankops_world.)"""

from rankops_trainer.data.aliexpress import aliexpress_feature_spec, load_aliexpress, write_sample_csv
from rankops_trainer.data.dataset import (UNSHOWN_PER_REQUEST, Batch, NumericStats, RankingData, RequestDataset,
                                          collate_requests, displayed_rows, frame_to_data,
                                          iter_request_batches, training_candidates)
from rankops_trainer.data.events import EventSplits, EventsError, load_events, load_splits, time_split
from rankops_trainer.data.schema import (TASKS_2, TASKS_3, CategoricalFeature, FeatureSpec,
                                         LeakageError, assert_no_label_leakage, load_feature_spec)

__all__ = [
    "Batch", "CategoricalFeature", "EventSplits", "EventsError", "FeatureSpec", "LeakageError",
    "NumericStats", "RankingData", "RequestDataset", "TASKS_2", "TASKS_3", "aliexpress_feature_spec",
    "assert_no_label_leakage", "collate_requests", "displayed_rows", "frame_to_data", "iter_request_batches", "load_aliexpress",
    "load_events", "load_feature_spec", "load_splits", "time_split", "training_candidates", "UNSHOWN_PER_REQUEST",
    "write_sample_csv",
]
