"""Training throughput (samples/s) per model family on this machine's CPU (or GPU).

Times optimizer steps only (forward, backward, AdamW), after warm-up steps, on batches
of whole requests from the synthetic world.

    python bench/throughput.py --threads 1 2 --steps 60 --out bench/results/throughput.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rankops_trainer.data import frame_to_data, iter_request_batches  # noqa: E402
from rankops_trainer.data.dataset import NumericStats  # noqa: E402
from rankops_trainer.models import MODEL_NAMES, build_model  # noqa: E402
from rankops_trainer.train import TrainConfig, multitask_loss, resolve_device  # noqa: E402
from rankops_world.synthetic import WorldConfig, build_world, generate_events  # noqa: E402


def measure(name: str, region_mask: bool, data, config: TrainConfig, steps: int, warmup: int,
            device: torch.device) -> float:
    torch.manual_seed(0)
    model = build_model(name, dataclasses.replace(config.model, region_mask=region_mask), data.spec,
                        NumericStats.fit(data)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, foreach=True)
    ones = torch.ones(len(data.spec.tasks), device=device)
    generator = torch.Generator().manual_seed(0)

    def endless():
        while True:
            yield from iter_request_batches(data, config.requests_per_batch, shuffle=True, generator=generator)

    batches = endless()
    rows = 0
    start = 0.0
    use_bf16 = device.type == "cuda"
    for step in range(warmup + steps):
        if step == warmup:
            if device.type == "cuda":
                torch.cuda.synchronize()
            start, rows = time.perf_counter(), 0
        batch = next(batches).to(device)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=use_bf16):
            out = model(batch.cat, batch.num)
        loss = multitask_loss(model, out, batch.labels, ones, ones)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        rows += len(batch.labels)
    if device.type == "cuda":
        torch.cuda.synchronize()
    return rows / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--models", nargs="+", default=list(MODEL_NAMES))
    parser.add_argument("--device", default="auto")
    parser.add_argument("--out")
    args = parser.parse_args()

    world = build_world(WorldConfig())
    data = frame_to_data(generate_events(world, "2026-01-01", 1), world.feature_spec)
    config = TrainConfig()
    device = resolve_device(args.device)
    results = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for name in args.models:
            for mask in (False, True):
                sps = measure(name, mask, data, config, args.steps, args.warmup, device)
                results.append({"model": name, "region_mask": mask, "threads": threads, "samples_per_s": round(sps)})
                print(f"{name:14s} mask={str(mask):5s} threads={threads} {sps:10.0f} samples/s", flush=True)
    meta = {"device": str(device), "cpu": platform.processor() or platform.machine(), "torch": torch.__version__,
            "batch_rows": config.requests_per_batch * world.config.candidates_per_request,
            "model_config": config.model.to_dict(), "steps": args.steps}
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=1))


if __name__ == "__main__":
    main()
