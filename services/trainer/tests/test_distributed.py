"""The one training loop, `train()`, under DistributedDataParallel on CPU with gloo.

Two spawned processes on 127.0.0.1 (a free port, never a fixed one) must reproduce the
single-process run. They can, almost exactly: both walk the same global batches, each rank
computes the gradient of its half of a batch scaled by its share of the rows, and DDP's
average of those is the single-process batch-mean gradient. Dropout is off because its masks
are drawn per rank. What remains is floating-point summation order (two partial sums
instead of one). Measured on the ragged data below: epoch losses differ by ~1e-8, WR@K not at
all, and one AUC by 1e-6 (a near-tied score pair swapping order; one swap moves an AUC by
1 / (positives x negatives) ~ 1e-6). Tolerances: 1e-6 on losses, 2e-5 on metrics. Plain DDP
averaging without the row-share scaling (the bug this guards against) misses by ~1e-3 on the
loss and ~2e-4 on AUC, so both tolerances sit well between the two.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
import torch

from rankops_trainer.data import frame_to_data, iter_request_batches
from rankops_trainer.data.dataset import iter_request_shards, shard_rows
from rankops_trainer.distributed import spawn_cpu
from rankops_trainer.models import ModelConfig
from rankops_trainer.train import CHECKPOINT_LAST, TrainConfig, load_model, train

LOSS_TOLERANCE = 1e-6
METRIC_TOLERANCE = 2e-5
TINY = ModelConfig(embedding_dim=6, hidden_dims=(32, 16), tower_dims=(8,), dropout=0.0)


def ddp_config() -> TrainConfig:
    return TrainConfig(model_name="shared_bottom", model=TINY, epochs=2, requests_per_batch=16,
                       patience=5, early_stopping_k=3, eval_ks=(3, 5), learning_rate=3e-3, seed=3,
                       max_batches_per_epoch=40, device="cpu")


def test_shards_are_disjoint_and_cover_the_batch(train_data) -> None:
    order = np.random.default_rng(0).permutation(train_data.n_requests)[:7]
    shards = [shard_rows(train_data, order, rank, 2) for rank in range(2)]
    rows = np.concatenate([s[0] for s in shards])
    assert len(set(rows.tolist())) == len(rows)  # disjoint
    starts, ends = train_data.request_offsets[order], train_data.request_offsets[order + 1]
    expected = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)])
    assert sorted(rows.tolist()) == sorted(expected.tolist())  # whole requests, all of them
    assert all(total == len(expected) for _, total in shards)
    # A rank beyond the batch's requests gets nothing (and joins the all-reduce with weight 0).
    assert len(shard_rows(train_data, order[:1], 1, 2)[0]) == 0


def test_a_world_of_one_trains_on_the_single_process_batches(train_data) -> None:
    """One process walks the same rows, in the same order, as `iter_request_batches`."""
    batches = iter_request_batches(train_data, 16, shuffle=True, generator=torch.Generator().manual_seed(4))
    shards = iter_request_shards(train_data, 16, torch.Generator().manual_seed(4))
    for batch, (rows, global_rows) in zip(batches, shards, strict=True):
        assert len(rows) == global_rows
        torch.testing.assert_close(train_data.cat[rows], batch.cat)
        torch.testing.assert_close(train_data.labels[rows], batch.labels)


@pytest.fixture(scope="module")
def ragged_train_data(splits, spec):
    """The synthetic world shows every request the same number of candidates; real logs do not.
    With equal shards plain DDP averaging would be exact by luck, so drop a random third of the
    rows: ranks then hold different row counts and only the row-share scaling keeps the mean."""
    frame = splits.train
    keep = np.random.default_rng(5).random(len(frame)) > 0.33
    data = frame_to_data(frame[keep], spec)
    lengths = np.diff(data.request_offsets)
    assert lengths.min() < lengths.max()
    return data


def test_two_gloo_processes_match_one_process(tmp_path, ragged_train_data, val_data) -> None:
    config = ddp_config()
    train_data = ragged_train_data
    single = train(config, train_data, val_data, checkpoint_dir=tmp_path / "single")

    started = time.perf_counter()
    by_rank = spawn_cpu(config, train_data, val_data, nprocs=2, checkpoint_dir=tmp_path / "ddp")
    elapsed = time.perf_counter() - started
    assert elapsed < 90, f"2-process run took {elapsed:.0f}s"
    assert by_rank[1] is None, "only the master process gets a result"
    ddp = by_rank[0]

    assert ddp["device"] == "cpu x2 (gloo)"
    assert ddp["validation"] == pytest.approx(single.best_validation, abs=METRIC_TOLERANCE)
    assert [h["epoch"] for h in ddp["history"]] == [h["epoch"] for h in single.history]
    for mine, theirs in zip(ddp["history"], single.history):
        assert mine["train_loss"] == pytest.approx(theirs["train_loss"], abs=LOSS_TOLERANCE)
        for key in ("val_wr@3", "val_wr@5", "val_auc_click", "val_auc_purchase"):
            assert mine[key] == pytest.approx(theirs[key], abs=METRIC_TOLERANCE), key
    assert ddp["best_epoch"] == single.best_epoch
    assert ddp["score_weights"] == pytest.approx(list(single.score_weights))

    # Rank 0 alone wrote the checkpoints; the weights match the single run.
    assert sorted(p.name for p in (tmp_path / "ddp").iterdir()) == [CHECKPOINT_LAST, "model.pt"]
    model, loaded_config = load_model(tmp_path / "ddp" / "model.pt")
    assert loaded_config == dataclasses.replace(config, model_name="shared_bottom")
    for (name, a), (_, b) in zip(model.state_dict().items(), single.model.state_dict().items()):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5, msg=name)

    # The DDP run's last.pt is the one-process format: one process resumes it (finished: no
    # epoch trained again) to the same model.
    epochs_again: list[int] = []
    resumed = train(config, train_data, val_data, checkpoint_dir=tmp_path / "ddp",
                    on_epoch_end=lambda e, _: epochs_again.append(e))
    assert epochs_again == [] and resumed.resumed_from_epoch == config.epochs
    assert resumed.best_validation == pytest.approx(ddp["validation"], abs=1e-9)
