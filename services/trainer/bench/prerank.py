"""Pre-rank world benchmarks (issue #16 parts 4 and 5), one set of training runs for both:

- **alignment**: every run, with additive and with multiplicative fusion, is a model of the zoo
  (families x seeds x epochs x fusion). Each is evaluated offline on the logged test days with
  every metric (pre-rank WR@K at several K, displayed-list WR@K, per-task AUC, IPS / SNIPS), and
  its online orders per request are the exact expectation when it pre-ranks a later day
  (`expected_orders_prerank`: its top K go to the world's fixed downstream ranker, the buyer
  sees 20 with position bias). Pearson and Kendall tau between each offline metric and the
  online orders, with bootstrap intervals over the zoo.
- **quality**: the same runs grouped by family and region mask (several seeds), paired
  differences against the best baseline, additive vs multiplicative, % of the oracle, train
  time; plus ResFlow as the official code configures it.

The world is `WorldConfig.prerank_world()` (frozen; not tuned here). Models train on the shown
rows of the training days (the impressions: labels exist only there) and rank every candidate.

    python bench/prerank.py run --chunk 0 --chunks 4       # one chunk of the jobs (resumable)
    python bench/prerank.py summarize                        # tables, JSON, Markdown

Runs append to bench/results/prerank_runs.jsonl; the prepared data is cached under --cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import multiprocessing as mp
import pickle
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rankops_trainer.data import frame_to_data  # noqa: E402
from rankops_trainer.data.dataset import training_candidates  # noqa: E402
from rankops_trainer.data.schema import PRERANK_KEPT, PROPENSITY, PROPENSITY_KEPT, SHOWN, TRUTH_DOWNSTREAM_SCORE, \
    TRUTH_IF_EXAMINED  # noqa: E402
from rankops_trainer.evaluate import shown_rows  # noqa: E402
from rankops_trainer.metrics import (EngagementWeights, fuse, ips_orders_per_request, prerank_weighted_recall_at_k,  # noqa: E402
                                     roc_auc, select_fusion_weights, target_kept, weighted_recall_at_k)
from rankops_trainer.metrics.prerank import prerank_ks  # noqa: E402
from rankops_trainer.models import MODEL_NAMES, ModelConfig  # noqa: E402
from rankops_trainer.train import TrainConfig, predict, train  # noqa: E402
from rankops_world.synthetic import WorldConfig, build_world, expected_orders_prerank, generate_events  # noqa: E402

START = dt.date(2026, 1, 5)
TRAIN_DAYS, VAL_DAYS, TEST_DAYS, ONLINE_DAYS = 6, 1, 3, 1
DISPLAYED_KS = (5, 10)  # 20 is the whole displayed list: always 1
FUSION_K = 10
WEIGHTED = EngagementWeights(click=0.1, cart=0.3, order=1.0)
SEEDS = (0, 1, 2, 3, 4)
EPOCHS = 2
# The bench's model size: small, so 70 runs fit the 2-core budget (train time is in the table).
BENCH_MODEL = ModelConfig(embedding_dim=8, hidden_dims=(64, 32), tower_dims=(16,))
RESULTS = Path(__file__).resolve().parent / "results"
WEB_UI_CHART = Path(__file__).resolve().parents[3] / "web-ui" / "src" / "charts" / "prerankAlignment.json"
CHART_COMMAND = "cd services/trainer && python bench/prerank.py run && python bench/prerank.py summarize"
_STATE: dict[str, Any] = {}
_OPTIONS: dict[str, Any] = {"training_rows": "shown"}


def jobs() -> list[dict[str, Any]]:
    """Quality runs (every family x mask x seed), the official ResFlow, and one-epoch runs for the zoo."""
    out = [{"model": m, "mask": mask, "seed": s, "epochs": EPOCHS, "variant": "rankops"}
           for s in SEEDS for m in MODEL_NAMES for mask in (False, True)]
    out += [{"model": "resflow", "mask": False, "seed": s, "epochs": EPOCHS, "variant": "official"} for s in SEEDS]
    out += [{"model": m, "mask": False, "seed": 0, "epochs": 1, "variant": "rankops"} for m in MODEL_NAMES]
    # Ablation of the official configuration: its architecture without the positive-class
    # weights, and rankops' ResFlow with them.
    out += [{"model": "resflow", "mask": False, "seed": s, "epochs": EPOCHS, "variant": v}
            for v in ABLATION for s in SEEDS]
    return out


ABLATION = ("official_no_pos_weights", "rankops_pos_weights")


def job_key(job: dict[str, Any]) -> str:
    return f"{job['model']}|mask={job['mask']}|seed={job['seed']}|epochs={job['epochs']}|{job['variant']}"


def _days(first: dt.date, n: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(n)]


def prepare(cache: Path) -> dict[str, Any]:
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    world = build_world(WorldConfig.prerank_world())
    day = iter(_days(START, TRAIN_DAYS + VAL_DAYS + TEST_DAYS + ONLINE_DAYS))

    def frames(n: int, shown_only: bool) -> pd.DataFrame:
        parts = []
        for _ in range(n):
            f = generate_events(world, next(day), 1)
            if shown_only:
                # "shown": the impressions only; "pipeline": what the pipeline's training step
                # takes (training_candidates: shown rows plus 20 unshown candidates per request).
                f = f[f[SHOWN] == 1] if _OPTIONS["training_rows"] == "shown" else training_candidates(f)
            parts.append(f)
        return pd.concat(parts, ignore_index=True)

    state = {"train": frames(TRAIN_DAYS, True), "validation": frames(VAL_DAYS, True),
             "test": frames(TEST_DAYS, False), "online": frames(ONLINE_DAYS, False)}
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    return state


def _load(cache: Path) -> None:
    state = prepare(cache)
    world = build_world(WorldConfig.prerank_world())
    spec = world.feature_spec
    test = state["test"]
    _STATE.update(world=world, frames=state, train=frame_to_data(state["train"], spec),
                  val=frame_to_data(state["validation"], spec), test=frame_to_data(test, spec),
                  online=frame_to_data(state["online"], spec))
    # frame_to_data keeps the frame order when requests are contiguous (they are here).
    assert np.array_equal(pd.factorize(test["request_id"])[0], _STATE["test"].request_index)


def offline_metrics(score: np.ndarray, probs: np.ndarray) -> dict[str, float]:
    """Every offline metric of one ranking score on the logged test days."""
    frame, data = _STATE["frames"]["test"], _STATE["test"]
    ids = data.request_index
    col = lambda c: frame[c].to_numpy(dtype=np.float64)  # noqa: E731
    click, cart, order = col("click"), col("add_to_cart"), col("purchase")
    keep = _STATE["world"].config.prerank.keep
    out: dict[str, float] = {}
    for k in prerank_ks(keep):
        out[f"prerank_wr@{k}"] = prerank_weighted_recall_at_k(score, click, cart, order, ids, k)
    out[f"prerank_wr@{keep}_weighted"] = prerank_weighted_recall_at_k(score, click, cart, order, ids, keep, WEIGHTED)
    shown = frame[SHOWN].to_numpy() == 1
    sub = shown_rows(data, shown)
    for k in DISPLAYED_KS:
        out[f"displayed_wr@{k}"] = weighted_recall_at_k(score[shown], order[shown], sub.request_index, k)
    for i, task in enumerate(data.spec.tasks):
        out[f"auc_{task}"] = roc_auc(sub.labels[:, i].numpy(), probs[shown, i])
    kept_est = ips_orders_per_request(target_kept(score, ids, keep), frame[PRERANK_KEPT].to_numpy() == 1,
                                      col(PROPENSITY_KEPT), order, ids)
    out["ips"], out["snips"] = kept_est.ips, kept_est.snips
    out["snips_ci_low"], out["snips_ci_high"] = kept_est.ci95_low, kept_est.ci95_high
    # The same estimator on the "shown" unit: needs the downstream ranker's scores to know what
    # the model's kept set would show (the world logs them as truth_downstream_score).
    target_shown = _would_show(score, ids, col(TRUTH_DOWNSTREAM_SCORE), keep, _STATE["world"].config.prerank.shown)
    shown_est = ips_orders_per_request(target_shown, shown, col(PROPENSITY), order, ids)
    out["ips_shown"], out["snips_shown"] = shown_est.ips, shown_est.snips
    return out


def _would_show(score: np.ndarray, ids: np.ndarray, downstream: np.ndarray, keep: int, n_shown: int) -> np.ndarray:
    kept = target_kept(score, ids, keep)
    return kept & target_kept(np.where(kept, downstream, -np.inf), ids, n_shown)


def online_orders(score: np.ndarray) -> float:
    return expected_orders_prerank(_STATE["world"], _STATE["frames"]["online"], score)


def _pos_weights(data) -> tuple[float, ...]:
    """The official code's positive-class weights, as read here: sparse tasks' positives are
    up-weighted to the density of the first (click) task, capped at 20."""
    rates = data.labels.numpy().mean(axis=0)
    return tuple(float(min(rates[0] / r, 20.0)) if r > 0 else 1.0 for r in rates)


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    torch.set_num_threads(1)
    train_data, val = _STATE["train"], _STATE["val"]
    if job["variant"].startswith("official"):
        model_config = ModelConfig.resflow_official(embedding_dim=BENCH_MODEL.embedding_dim,
                                                    hidden_dims=BENCH_MODEL.hidden_dims, region_mask=False)
    else:
        model_config = replace(BENCH_MODEL, region_mask=job["mask"])
    extra = {"pos_weights": _pos_weights(train_data)} if job["variant"] in ("official", "rankops_pos_weights") else {}
    config = TrainConfig(model_name=job["model"], model=model_config, epochs=job["epochs"], patience=job["epochs"],
                         seed=job["seed"], early_stopping_k=FUSION_K, eval_ks=(FUSION_K,), **extra)
    t0 = time.perf_counter()
    result = train(config, train_data, val)
    seconds = time.perf_counter() - t0
    cpu = torch.device("cpu")
    test_probs, _ = predict(result.model, _STATE["test"], cpu)
    online_probs, _ = predict(result.model, _STATE["online"], cpu)
    val_probs, _ = predict(result.model, val, cpu)
    row: dict[str, Any] = {**job, "key": job_key(job), "train_seconds": seconds, "best_epoch": result.best_epoch,
                           "dead_tasks": result.dead_tasks, "pos_weights": extra.get("pos_weights")}
    for kind in ("additive", "multiplicative"):
        choice = select_fusion_weights(val_probs, val.task_labels("purchase"), val.request_index, FUSION_K, kind)
        row[kind] = {"weights": list(choice.weights),
                     **offline_metrics(fuse(test_probs, choice.weights, kind), test_probs),
                     "online_orders_per_request": online_orders(fuse(online_probs, choice.weights, kind))}
    return row


def reference_rows() -> list[dict[str, Any]]:
    """The oracle (true purchase probability if examined), the logging pre-ranker's order, random."""
    frames = _STATE["frames"]
    rng = np.random.default_rng(0)
    out = []
    for name, pick in (("oracle", lambda f: f[TRUTH_IF_EXAMINED["purchase"]].to_numpy(dtype=float)),
                       ("logging_prerank_order", lambda f: -f["prerank_position"].to_numpy(dtype=float)),
                       ("random", lambda f: rng.random(len(f)))):
        test_score = pick(frames["test"])
        probs = np.zeros((len(test_score), 3))
        out.append({"model": name, **offline_metrics(test_score, probs),
                    "online_orders_per_request": online_orders(pick(frames["online"]))})
    return out


def pipeline_rows_jobs() -> list[dict[str, Any]]:
    """The robustness check on the pipeline's training rows: every family x mask, seeds 0-1, and
    the official ResFlow."""
    return [j for j in jobs() if j["epochs"] == EPOCHS and j["seed"] in (0, 1)
            and j["variant"] in ("rankops", "official")]


def cmd_run(args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    _OPTIONS["training_rows"] = args.training_rows
    _load(Path(args.cache))
    print(f"data ready in {time.perf_counter() - t0:.0f}s: rows "
          f"{ {k: len(_STATE[k]) for k in ('train', 'val', 'test', 'online')} }", flush=True)
    out = Path(args.runs)
    done = {json.loads(line)["key"] for line in out.read_text().splitlines()} if out.exists() else set()
    all_jobs = jobs() if args.training_rows == "shown" else pipeline_rows_jobs()
    todo = [j for i, j in enumerate(all_jobs) if i % args.chunks == args.chunk and job_key(j) not in done]
    if args.limit:
        todo = todo[:args.limit]
    print(f"{len(todo)} jobs in this chunk", flush=True)
    refs = Path(args.refs)
    if not refs.exists():
        refs.write_text(json.dumps(reference_rows(), default=float) + "\n")
    with ProcessPoolExecutor(max_workers=args.workers, mp_context=mp.get_context("fork")) as pool:
        for row in pool.map(run_job, todo):
            with out.open("a") as f:
                f.write(json.dumps(row, default=float) + "\n")
            a = row["additive"]
            print(f"{row['key']:48s} pre-WR@80 {a['prerank_wr@80']:.4f} disp-WR@10 {a['displayed_wr@10']:.4f} "
                  f"online {a['online_orders_per_request']:.4f} {row['train_seconds']:.0f}s", flush=True)
    print(f"chunk done in {time.perf_counter() - t0:.0f}s")


# --- summaries ----------------------------------------------------------------------------------

def kendall_tau(x: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import kendalltau

    return float(kendalltau(x, y).statistic)


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def bootstrap(x: np.ndarray, y: np.ndarray, stat, n: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95 % percentile interval of stat(x, y) over models resampled with replacement."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        idx = rng.integers(0, len(x), len(x))
        if np.ptp(x[idx]) == 0 or np.ptp(y[idx]) == 0:
            continue
        values.append(stat(x[idx], y[idx]))
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def alignment(rows: list[dict[str, Any]]) -> dict[str, Any]:
    zoo, seen = [], set()
    for r in rows:
        if r["variant"] in ABLATION:  # the quality table's ablation, not part of the zoo
            continue
        for kind in ("additive", "multiplicative"):
            # Fusion weights on purchase alone rank the same way in both kinds: one model, not two.
            if kind == "multiplicative" and r[kind]["weights"] == r["additive"]["weights"] \
                    and sum(w > 0 for w in r[kind]["weights"]) == 1:
                continue
            # A one-epoch run whose two-epoch twin stopped after epoch 1 is the same model.
            signature = json.dumps({k: v for k, v in r[kind].items()}, sort_keys=True, default=float)
            if signature in seen:
                continue
            seen.add(signature)
            zoo.append({"model": f"{r['key']}|{kind}", **r[kind]})
    online = np.array([m["online_orders_per_request"] for m in zoo])
    metrics = [k for k in zoo[0] if k not in ("model", "weights", "online_orders_per_request")
               and not k.startswith("snips_ci")]
    table = {}
    for name in metrics:
        x = np.array([m[name] for m in zoo], dtype=float)
        ok = np.isfinite(x)
        x, y = x[ok], online[ok]
        table[name] = {"pearson": pearson(x, y), "pearson_ci95": bootstrap(x, y, pearson),
                       "kendall_tau": kendall_tau(x, y), "kendall_tau_ci95": bootstrap(x, y, kendall_tau),
                       "n_models": int(ok.sum())}
    points = [{"model": m["model"], "online_orders_per_request": m["online_orders_per_request"],
               **{name: m[name] for name in metrics}} for m in zoo]
    return {"n_models": len(zoo), "metrics": table, "points": points,
            "online": "expected orders per request on the later day (exact), world's downstream ranker, 20 shown"}


def _paired(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    from scipy.stats import t

    d = a - b
    half = float(t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.nan
    return {"mean": float(d.mean()), "ci95": (float(d.mean()) - half, float(d.mean()) + half)}


QUALITY_METRICS = ("prerank_wr@80", "prerank_wr@80_weighted", "displayed_wr@10", "auc_click", "auc_cart",
                   "auc_purchase", "snips", "online_orders_per_request")


def quality(rows: list[dict[str, Any]], refs: list[dict[str, Any]]) -> dict[str, Any]:
    oracle = next(r for r in refs if r["model"] == "oracle")
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["epochs"] != EPOCHS:
            continue
        name = {"official": "resflow (official config)",
                "official_no_pos_weights": "resflow (official architecture, no pos. weights)",
                "rankops_pos_weights": "resflow (rankops architecture + pos. weights)"}.get(r["variant"], r["model"])
        groups.setdefault(f"{name}|{'mask' if r['mask'] else 'no mask'}", []).append(r)
    table = []
    for group, runs in groups.items():
        runs = sorted(runs, key=lambda r: r["seed"])
        entry: dict[str, Any] = {"group": group, "seeds": [r["seed"] for r in runs]}
        for m in QUALITY_METRICS:
            values = np.array([r["additive"][m] for r in runs], dtype=float)
            entry[m] = {"mean": float(values.mean()), "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0}
        entry["multiplicative_online"] = float(np.mean([r["multiplicative"]["online_orders_per_request"]
                                                        for r in runs]))
        entry["multiplicative_prerank_wr@80"] = float(np.mean([r["multiplicative"]["prerank_wr@80"] for r in runs]))
        entry["pct_oracle_online"] = 100 * entry["online_orders_per_request"]["mean"] / \
            oracle["online_orders_per_request"]
        entry["train_seconds"] = float(np.mean([r["train_seconds"] for r in runs]))
        table.append(entry)
    # The best baseline: the best of shared-bottom / MMoE / PLE / ESMM without the mask, by online orders.
    baselines = [e for e in table if e["group"].split("|")[0] in ("shared_bottom", "mmoe", "ple", "esmm")
                 and e["group"].endswith("no mask")]
    best = max(baselines, key=lambda e: e["online_orders_per_request"]["mean"]) if baselines else None
    if best is not None:
        base_runs = {r["seed"]: r for r in groups[best["group"]]}
        for entry in table:
            runs = [r for r in groups[entry["group"]] if r["seed"] in base_runs]
            seeds = [r["seed"] for r in runs]
            entry["vs_best_baseline"] = {
                m: _paired(np.array([r["additive"][m] for r in runs]),
                           np.array([base_runs[s]["additive"][m] for s in seeds]))
                for m in ("online_orders_per_request", "prerank_wr@80", "displayed_wr@10")}
    return {"best_baseline": best["group"] if best else None, "table": table, "references": refs}


def _fmt_ci(d: dict[str, Any], digits: int = 4) -> str:
    lo, hi = d["ci95"]
    return f"{d['mean']:+.{digits}f} [{lo:+.{digits}f}, {hi:+.{digits}f}]"


def markdown(align: dict[str, Any], qual: dict[str, Any]) -> str:
    lines = ["### Offline ↔ online alignment", "",
             f"{align['n_models']} models; online = {align['online']}.", "",
             "| offline metric | Pearson [95 % CI] | Kendall τ [95 % CI] |", "|---|---|---|"]
    for name, v in sorted(align["metrics"].items(), key=lambda kv: -kv[1]["kendall_tau"]):
        lines.append(f"| {name} | {v['pearson']:.3f} [{v['pearson_ci95'][0]:.3f}, {v['pearson_ci95'][1]:.3f}] | "
                     f"{v['kendall_tau']:.3f} [{v['kendall_tau_ci95'][0]:.3f}, {v['kendall_tau_ci95'][1]:.3f}] |")
    lines += ["", "### Quality (additive fusion; mean ± std over seeds)", "",
              f"Paired differences against the best baseline ({qual['best_baseline']}), 95 % t-intervals over seeds.",
              "", "| model | mask | online orders/req | % oracle | Δ online vs best | pre-rank WR@80 | Δ WR@80 | "
              "displayed WR@10 | AUC purchase | SNIPS | mult. online | train s |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for e in sorted(qual["table"], key=lambda e: -e["online_orders_per_request"]["mean"]):
        name, mask = e["group"].split("|")
        vs = e.get("vs_best_baseline", {})
        ms = lambda m, d=4: f"{e[m]['mean']:.{d}f} ± {e[m]['std']:.{d}f}"  # noqa: E731
        lines.append(f"| {name} | {'on' if mask == 'mask' else 'off'} | {ms('online_orders_per_request')} | "
                     f"{e['pct_oracle_online']:.1f} | {_fmt_ci(vs['online_orders_per_request']) if vs else '–'} | "
                     f"{ms('prerank_wr@80')} | {_fmt_ci(vs['prerank_wr@80']) if vs else '–'} | "
                     f"{ms('displayed_wr@10')} | {ms('auc_purchase', 3)} | {ms('snips')} | "
                     f"{e['multiplicative_online']:.4f} | {e['train_seconds']:.0f} |")
    for r in qual["references"]:
        lines.append(f"| *{r['model']}* | – | {r['online_orders_per_request']:.4f} | – | – | "
                     f"{r['prerank_wr@80']:.4f} | – | {r['displayed_wr@10']:.4f} | – | {r['snips']:.4f} | – | – |")
    return "\n".join(lines)


def cmd_summarize(args: argparse.Namespace) -> None:
    rows = [json.loads(line) for line in Path(args.runs).read_text().splitlines()]
    refs = json.loads(Path(args.refs).read_text())
    align, qual = alignment(rows), quality(rows, refs)
    meta = {"machine": f"{platform.machine()}, {mp.cpu_count()} CPU cores, no GPU", "torch": torch.__version__,
            "world": "WorldConfig.prerank_world() (frozen)", "days": {"train": TRAIN_DAYS, "validation": VAL_DAYS,
                                                                     "test": TEST_DAYS, "online": ONLINE_DAYS},
            "training_rows": "shown rows of the training days" if args.tag != "pipeline_rows"
            else "training_candidates: the shown rows plus 20 unshown candidates per request", "epochs": EPOCHS, "seeds": list(SEEDS),
            "model": BENCH_MODEL.to_dict(), "n_runs": len(rows)}
    if args.tag:
        (RESULTS / f"prerank_alignment_{args.tag}.json").write_text(
            json.dumps({"meta": meta, **align}, indent=1, default=float))
        (RESULTS / f"prerank_quality_{args.tag}.json").write_text(json.dumps({"meta": meta, **qual}, indent=1,
                                                                            default=float))
        text = markdown(align, qual)
        (RESULTS / f"prerank_{args.tag}.md").write_text(text + "\n")
        print(text)
        return
    (RESULTS / "prerank_alignment.json").write_text(json.dumps({"meta": meta, **align}, indent=1, default=float))
    (RESULTS / "prerank_quality.json").write_text(json.dumps({"meta": meta, **qual}, indent=1, default=float))
    # The Models page's chart reads this copy (web-ui/src/charts/AlignmentChart.tsx).
    chart = {"online": align["online"], "command": CHART_COMMAND, "metrics": align["metrics"],
             "points": [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in p.items()}
                        for p in align["points"]]}
    WEB_UI_CHART.write_text(json.dumps(chart, indent=1, default=float) + "\n")
    text = markdown(align, qual)
    (RESULTS / "prerank.md").write_text(text + "\n")
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", default=str(RESULTS / "prerank_runs.jsonl"))
    parser.add_argument("--refs", default=str(RESULTS / "prerank_references.json"))
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run")
    run.add_argument("--chunk", type=int, default=0)
    run.add_argument("--chunks", type=int, default=1)
    run.add_argument("--limit", type=int, default=0, help="at most this many jobs (0 = all of the chunk)")
    run.add_argument("--workers", type=int, default=2)
    run.add_argument("--cache", default=None, help="prepared data (default /tmp/rankops-bench/prerank_<rows>.pkl)")
    run.add_argument("--training-rows", choices=("shown", "pipeline"), default="shown",
                     help="shown: impressions only; pipeline: training_candidates (shown + 20 unshown per request)")
    summ = sub.add_parser("summarize")
    summ.add_argument("--tag", default="", help="suffix of the outputs (and no chart for the Models page)")
    args = parser.parse_args()
    if args.cmd == "run" and args.cache is None:
        args.cache = f"/tmp/rankops-bench/prerank_{args.training_rows}.pkl"
    cmd_run(args) if args.cmd == "run" else cmd_summarize(args)


if __name__ == "__main__":
    main()
