"""The pre-rank world's data path on this machine: how big a week is, what its funnel looks like
per market, how long generation takes and how fast a model trains on it (docs/benchmarks.md,
"Pre-rank world: data path").

    python bench/prerank_data.py [--days 7] [--epochs 1] [--threads 2] [--out bench/results/prerank_data.json]

Extraction throughput is measured on the stack (the worker's extract step over the same week,
seeded with `python -m rankops_world.seed_events --world prerank`), not here.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rankops_trainer.data import frame_to_data, time_split, training_candidates  # noqa: E402
from rankops_trainer.data.schema import PROPENSITY, SHOWN  # noqa: E402
from rankops_trainer.train import TrainConfig, train  # noqa: E402
from rankops_world.synthetic import WorldConfig, build_world, generate_events, synthetic_feature_spec  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", default="resflow")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    config = WorldConfig.prerank_world()
    world = build_world(config)
    started = time.perf_counter()
    events = generate_events(world, "2026-11-01", args.days)
    generate_s = time.perf_counter() - started
    shown = events[events[SHOWN] == 1]
    per_market = {}
    for region, part in shown.groupby("region"):
        requests = part["request_id"].nunique()
        per_market[region] = {
            "requests": int(requests),
            "request_share": round(requests / events["request_id"].nunique(), 4),
            "click_per_impression": round(float(part["click"].mean()), 5),
            "cart_per_impression": round(float(part["add_to_cart"].mean()), 5),
            "purchase_per_impression": round(float(part["purchase"].mean()), 5),
            "orders": int(part["purchase"].sum()),
        }
    splits = time_split(events)
    spec = synthetic_feature_spec(config)
    sample = training_candidates(splits.train, seed=0)
    train_data, validation_data = frame_to_data(sample, spec), frame_to_data(splits.validation, spec)
    train_config = replace(TrainConfig(model_name=args.model), epochs=args.epochs, device="cpu",
                           num_threads=args.threads, patience=args.epochs)
    result = train(train_config, train_data, validation_data)
    report = {
        "machine": "2-core x86_64 box, no GPU (shared with the local stack)",
        "days": args.days,
        "rows": len(events),
        "requests": int(events["request_id"].nunique()),
        "candidates_per_request": config.candidates_per_request,
        "kept_per_request": config.prerank.keep,
        "shown_per_request": config.prerank.shown,
        "frame_mib": round(events.memory_usage(deep=False).sum() / 2**20, 1),
        "generate_seconds": round(generate_s, 1),
        "generate_rows_per_second": round(len(events) / generate_s),
        "impressions": len(shown),
        "click_per_impression": round(float(shown["click"].mean()), 5),
        "cart_per_impression": round(float(shown["add_to_cart"].mean()), 5),
        "purchase_per_impression": round(float(shown["purchase"].mean()), 5),
        "orders_per_request": round(float(shown["purchase"].sum() / events["request_id"].nunique()), 4),
        "min_propensity": float(events[PROPENSITY].min()),
        "split_rows": splits.sizes(),
        "train_rows_sampled": len(sample),
        "model": args.model,
        "epochs": len(result.history),
        "train_seconds": round(result.train_seconds, 1),
        "train_samples_per_second": round(result.samples_per_second),
        "validation": {k: round(v, 4) for k, v in result.best_validation.items() if isinstance(v, float)},
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "per_market": per_market,
    }
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
