"""Does offline Weighted Recall@K predict online orders? Models of known, different quality
are scored offline on the synthetic test split, then served one at a time by the real ranker
while simulated buyers shop; Pearson and Spearman correlations over the models.

    ./rankops up
    set -a; . infra/local/rankops.env; set +a
    cd services/trainer && ../../.rankops/venv/bin/python bench/offline_online.py [--requests 1500]

It moves the ranker model's `champion` alias (local stack only) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rankops_trainer.config import StackSettings  # noqa: E402
from rankops_trainer.data.dataset import NumericStats, frame_to_data  # noqa: E402
from rankops_trainer.data.events import time_split  # noqa: E402
from rankops_trainer.evaluate import evaluate_onnx  # noqa: E402
from rankops_trainer.export_onnx import export_onnx  # noqa: E402
from rankops_trainer.models import ModelConfig, build_model  # noqa: E402
from rankops_trainer.train import TrainConfig, train  # noqa: E402
from rankops_world.simulate_traffic import TrafficSimulator  # noqa: E402
from rankops_world.synthetic import WorldConfig, build_world, generate_events, synthetic_feature_spec  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
from test_rollout_e2e import MODEL_NAME, RANKER, admin, register  # noqa: E402


def variants(config: WorldConfig, tmp: Path):
    """Five models from good to harmful, all with the same inputs and outputs; and the splits."""
    spec = synthetic_feature_spec(config)
    splits = time_split(generate_events(build_world(config), "2026-10-01", 6))
    train_data, validation = frame_to_data(splits.train, spec), frame_to_data(splits.validation, spec)
    full = train(TrainConfig(model_name="shared_bottom", epochs=3, patience=3, num_threads=2), train_data, validation)
    brief = train(TrainConfig.smoke("shared_bottom", max_batches_per_epoch=3, epochs=1, num_threads=2),
                  train_data, validation)
    untrained = build_model("shared_bottom", ModelConfig(), spec, NumericStats.fit(train_data))
    models = {}
    models["trained, purchase-weighted score"] = export_onnx(full.model, tmp / "full.onnx").path
    models["3 batches of training"] = export_onnx(brief.model, tmp / "brief.onnx").path
    full.model.set_score_weights((1.0, 0.0, 0.0))
    models["trained, click-only score"] = export_onnx(full.model, tmp / "click.onnx").path
    models["untrained network"] = export_onnx(untrained, tmp / "untrained.onnx").path
    full.model.set_score_weights((0.0, 0.0, -1.0))
    models["trained, reversed score"] = export_onnx(full.model, tmp / "reversed.onnx").path
    return models, splits


def ranks(values: list[float]) -> np.ndarray:
    return np.argsort(np.argsort(values)).astype(float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1500, help="simulated requests per model")
    args = parser.parse_args()
    stack = StackSettings.from_env()
    config = WorldConfig()
    from mlflow.tracking import MlflowClient

    mlflow = MlflowClient(stack.mlflow_tracking_uri)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        models, splits = variants(config, Path(tmp))
        for name, path in models.items():
            offline = evaluate_onnx(path, splits.test, ks=(10,))["candidate"]["metrics"]["wr_at_k"]["10"]
            version = register(stack, path, f"bench-{uuid.uuid4().hex[:6]}")
            mlflow.set_registered_model_alias(MODEL_NAME, "champion", version)
            admin("PUT", "/admin/traffic", {"candidateVersion": None, "candidatePercent": 0.0})
            served = admin("POST", "/admin/models/reload")["champion"]["version"]
            assert served == version, (served, version)
            simulator = TrafficSimulator(RANKER, dt.date(2026, 11, 8), config, seed=1)
            simulator.run(seconds=600, max_requests=args.requests)
            champion = admin("GET", "/v1/arms/metrics")["arms"]["champion"]
            rows.append((name, offline, champion["ordersPerUser"], champion["users"], simulator.stats.errors))
            print(f"{name}: WR@10 {offline:.4f}, orders/user {champion['ordersPerUser']:.4f} "
                  f"({champion['users']} users)", flush=True)
    wr = [r[1] for r in rows]
    opu = [r[2] for r in rows]
    pearson = float(np.corrcoef(wr, opu)[0, 1])
    spearman = float(np.corrcoef(ranks(wr), ranks(opu))[0, 1])
    print("\n| model | offline WR@10 | online orders per user | users |\n|---|---|---|---|")
    for name, offline, online, users, _ in rows:
        print(f"| {name} | {offline:.4f} | {online:.4f} | {users} |")
    print(f"\nPearson {pearson:.3f}, Spearman {spearman:.3f} over {len(rows)} models")


if __name__ == "__main__":
    main()
