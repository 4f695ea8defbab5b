"""Quality benchmark: every model family, with and without the region mask, several seeds,
on one synthetic world. Reports test WR@K, per-task AUC, % of the oracle WR@K, additive vs
multiplicative fusion (weights chosen on validation), the simulated online metric
(expected orders per request after re-ranking) and train time.

    python bench/quality.py --workers 2 --out bench/results/quality.json

Model selection (early stopping, fusion weights) uses validation only; test is read once
per run, at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rankops_trainer.data import frame_to_data, time_split  # noqa: E402
from rankops_trainer.metrics import fuse, roc_auc, select_fusion_weights, weighted_recall_at_k  # noqa: E402
from rankops_trainer.models import MODEL_NAMES, ModelConfig  # noqa: E402
from rankops_trainer.train import TrainConfig, predict, train  # noqa: E402
from rankops_world.synthetic import WorldConfig, build_world, expected_orders_per_request, generate_events  # noqa: E402

KS = (5, 10)
FUSION_K = 10
_STATE: dict[str, Any] = {}


def _prepare(args: argparse.Namespace) -> None:
    world = build_world(WorldConfig(seed=args.world_seed, requests_per_day=args.requests_per_day))
    splits = time_split(generate_events(world, "2026-01-01", args.days))
    spec = world.feature_spec
    _STATE.update(world=world, splits=splits, train=frame_to_data(splits.train, spec),
                  val=frame_to_data(splits.validation, spec), test=frame_to_data(splits.test, spec))


def _run(job: tuple[str, bool, int, int, int]) -> dict[str, Any]:
    name, mask, seed, epochs, patience = job
    torch.set_num_threads(1)
    train_data, val, test = _STATE["train"], _STATE["val"], _STATE["test"]
    config = TrainConfig(model_name=name, model=ModelConfig(region_mask=mask), epochs=epochs, patience=patience,
                         seed=seed, early_stopping_k=FUSION_K, eval_ks=KS)
    t0 = time.perf_counter()
    result = train(config, train_data, val)
    seconds = time.perf_counter() - t0
    cpu = torch.device("cpu")
    probs, score = predict(result.model, test, cpu)
    val_probs, _ = predict(result.model, val, cpu)
    orders = test.task_labels("purchase")
    row: dict[str, Any] = {
        "model": name, "region_mask": mask, "seed": seed, "best_epoch": result.best_epoch,
        "epochs_run": len(result.history), "train_seconds": seconds,
        "samples_per_s": result.samples_per_second,
        "dead_tasks": result.dead_tasks,
    }
    for k in KS:
        row[f"wr@{k}"] = weighted_recall_at_k(score, orders, test.request_index, k)
    for i, task in enumerate(test.spec.tasks):
        row[f"auc_{task}"] = roc_auc(test.labels[:, i].numpy(), probs[:, i])
    for kind in ("additive", "multiplicative"):
        choice = select_fusion_weights(val_probs, val.task_labels("purchase"), val.request_index, FUSION_K, kind)
        row[f"{kind}_weights"] = choice.weights
        row[f"{kind}_wr@{FUSION_K}"] = weighted_recall_at_k(fuse(probs, choice.weights, kind), orders,
                                                            test.request_index, FUSION_K)
    row["orders_per_request"] = expected_orders_per_request(_STATE["world"], _STATE["splits"].test, score)
    return row


def _reference_rows() -> list[dict[str, Any]]:
    """Oracle (true purchase probability), the logged order, and random."""
    test, frame, world = _STATE["test"], _STATE["splits"].test, _STATE["world"]
    orders = test.task_labels("purchase")
    rng = np.random.default_rng(0)
    refs = {"oracle": test.truth[:, -1], "logged_order": -frame["position"].to_numpy(dtype=float),
            "random": rng.random(len(test))}
    rows = []
    for name, score in refs.items():
        row = {"model": name, **{f"wr@{k}": weighted_recall_at_k(score, orders, test.request_index, k) for k in KS},
               "orders_per_request": expected_orders_per_request(world, frame, score)}
        rows.append(row)
    return rows


def _rank(values: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(values))
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def summarize(rows: list[dict[str, Any]], refs: list[dict[str, Any]]) -> dict[str, Any]:
    oracle = {k: next(r for r in refs if r["model"] == "oracle")[f"wr@{k}"] for k in KS}
    groups: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["model"], row["region_mask"]), []).append(row)
    table = []
    metrics = [f"wr@{k}" for k in KS] + ["auc_click", "auc_cart", "auc_purchase", f"additive_wr@{FUSION_K}",
                                         f"multiplicative_wr@{FUSION_K}", "orders_per_request", "train_seconds",
                                         "samples_per_s"]
    for (name, mask), runs in groups.items():
        entry: dict[str, Any] = {"model": name, "region_mask": mask, "seeds": len(runs)}
        for m in metrics:
            values = np.array([r[m] for r in runs], dtype=float)
            entry[m] = {"mean": float(values.mean()), "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0}
        for k in KS:
            entry[f"pct_oracle@{k}"] = 100.0 * entry[f"wr@{k}"]["mean"] / oracle[k]
        entry["additive_beats_multiplicative_runs"] = sum(
            r[f"additive_wr@{FUSION_K}"] > r[f"multiplicative_wr@{FUSION_K}"] for r in runs)
        entry["dead_task_runs"] = sum(bool(r["dead_tasks"]) for r in runs)
        table.append(entry)
    wr = np.array([r[f"wr@{FUSION_K}"] for r in rows])
    online = np.array([r["orders_per_request"] for r in rows])
    agreement = {
        "pearson": float(np.corrcoef(wr, online)[0, 1]),
        "spearman": float(np.corrcoef(_rank(wr), _rank(online))[0, 1]),
        "n_runs": len(rows),
    }
    return {"table": table, "oracle_wr": oracle, "wr_vs_orders_per_request": agreement}


def markdown(summary: dict[str, Any], refs: list[dict[str, Any]]) -> str:
    def ms(entry: dict[str, Any], key: str, digits: int = 4) -> str:
        return f"{entry[key]['mean']:.{digits}f} ± {entry[key]['std']:.{digits}f}"

    lines = [f"| model | mask | WR@5 | WR@10 | % oracle @10 | AUC click | AUC cart | AUC purchase | "
             f"add. WR@{FUSION_K} | mult. WR@{FUSION_K} | orders/req | train s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for e in sorted(summary["table"], key=lambda e: -e["wr@10"]["mean"]):
        lines.append(f"| {e['model']} | {'on' if e['region_mask'] else 'off'} | {ms(e, 'wr@5')} | {ms(e, 'wr@10')} | "
                     f"{e['pct_oracle@10']:.1f} | {ms(e, 'auc_click', 3)} | {ms(e, 'auc_cart', 3)} | "
                     f"{ms(e, 'auc_purchase', 3)} | {ms(e, f'additive_wr@{FUSION_K}')} | "
                     f"{ms(e, f'multiplicative_wr@{FUSION_K}')} | {e['orders_per_request']['mean']:.4f} | "
                     f"{e['train_seconds']['mean']:.0f} |")
    for r in refs:
        lines.append(f"| *{r['model']}* | – | {r['wr@5']:.4f} | {r['wr@10']:.4f} | "
                     f"{100 * r['wr@10'] / summary['oracle_wr'][10]:.1f} | – | – | – | – | – | "
                     f"{r['orders_per_request']:.4f} | – |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(MODEL_NAMES))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--requests-per-day", type=int, default=2000)
    parser.add_argument("--world-seed", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--patience", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default="bench/results/quality.json")
    args = parser.parse_args()

    t0 = time.perf_counter()
    _prepare(args)
    sizes = {k: len(_STATE[k]) for k in ("train", "val", "test")}
    print(f"world ready in {time.perf_counter() - t0:.1f}s: rows {sizes}", flush=True)
    jobs = [(m, mask, s, args.epochs, args.patience) for s in args.seeds for m in args.models for mask in (False, True)]
    rows = []
    # fork: workers inherit the prepared tensors instead of regenerating them.
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=mp.get_context("fork")) as pool:
        for row in pool.map(_run, jobs):
            rows.append(row)
            print(f"{row['model']:14s} mask={row['region_mask']!s:5s} seed={row['seed']} "
                  f"wr@10={row['wr@10']:.4f} auc_p={row['auc_purchase']:.3f} "
                  f"epochs={row['epochs_run']} {row['train_seconds']:.0f}s", flush=True)
    refs = _reference_rows()
    summary = summarize(rows, refs)
    meta = {"command": " ".join(sys.argv), "machine": f"{platform.machine()}, {mp.cpu_count()} CPU cores, no GPU"
            if not torch.cuda.is_available() else torch.cuda.get_device_name(), "torch": torch.__version__,
            "rows": sizes, "args": vars(args), "wall_seconds": time.perf_counter() - t0}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "runs": rows, "references": refs, "summary": summary},
                              indent=1, default=float))
    table = markdown(summary, refs)
    out.with_suffix(".md").write_text(table + "\n")
    print(table)
    print(json.dumps(summary["wr_vs_orders_per_request"]))
    print(f"total {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
