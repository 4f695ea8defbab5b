"""Offline evaluation of the exported ONNX artifact (the one that will be served).

`evaluate_onnx` scores the test split with ONNX Runtime and returns a JSON-serializable
report: WR@K for several K, per-task AUC, per-region breakdown, additive vs multiplicative
fusion (weights chosen on validation, never on test), dead-task flags, the oracle WR@K when
the data carries the synthetic ground truth, and optionally the same for a champion model
on the same split plus the deltas.

CLI: python -m rankops_trainer.evaluate model.onnx --events DIR [--champion c.onnx] --out report.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import onnxruntime as ort
import pandas as pd

from rankops_trainer.data.dataset import RankingData, frame_to_data
from rankops_trainer.data.schema import (PRERANK_KEPT, PROPENSITY_KEPT, SHOWN, TASK_LABEL_COLUMNS,
                                         FeatureSpec)
from rankops_trainer.metrics.counterfactual import DEFAULT_IPS_CLIP, ips_orders_per_request, target_kept
from rankops_trainer.metrics.fusion import FUSION_KINDS, fuse, select_fusion_weights
from rankops_trainer.metrics.prerank import PRERANK_KS, EngagementWeights, prerank_ks
from rankops_trainer.metrics.report import jsonable, prerank_metrics, split_metrics, wr_by_k

DEFAULT_KS = (5, 10, 20)
REPORT_VERSION = 1


class OnnxRanker:
    """Thin ONNX Runtime wrapper that knows the model's feature spec from its metadata."""

    def __init__(self, path: str | os.PathLike[str], intra_op_threads: int | None = None) -> None:
        options = ort.SessionOptions()
        if intra_op_threads:
            options.intra_op_num_threads = intra_op_threads
        self.path = Path(path)
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        if "rankops.feature_spec" not in meta:
            raise ValueError(f"{path} has no rankops.feature_spec metadata; export it with rankops_trainer")
        self.metadata = dict(meta)
        self.spec = FeatureSpec.from_dict(json.loads(meta["rankops.feature_spec"]))
        self.tasks = tuple(json.loads(meta["rankops.tasks"]))
        self.output_names = [o.name for o in self.session.get_outputs()]

    def describe(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "family": self.metadata.get("rankops.model_family"),
            "tasks": list(self.tasks),
            "region_mask": json.loads(self.metadata.get("rankops.region_mask", "null")),
            "score_weights": json.loads(self.metadata.get("rankops.score_weights", "null")),
        }

    def data_for(self, split: RankingData | pd.DataFrame) -> RankingData:
        if isinstance(split, pd.DataFrame):
            return frame_to_data(split, self.spec)
        if split.spec.feature_names != self.spec.feature_names or split.spec.tasks != self.spec.tasks:
            raise ValueError(f"{self.path}: model expects features {self.spec.feature_names} and tasks "
                             f"{self.spec.tasks}; pass a DataFrame so the tensors can be rebuilt")
        return split

    def predict(self, data: RankingData, batch_rows: int = 65536) -> tuple[np.ndarray, np.ndarray]:
        """(probs [N, T], score [N]) as float64."""
        probs, scores = [], []
        for start in range(0, len(data), batch_rows):
            rows = slice(start, start + batch_rows)
            out = dict(zip(self.output_names, self.session.run(None, {
                "cat_features": data.cat[rows].numpy(), "num_features": data.num[rows].numpy()})))
            probs.append(np.stack([out[f"p_{t}"] for t in self.tasks], axis=1).astype(np.float64))
            scores.append(out["score"].astype(np.float64))
        return np.concatenate(probs), np.concatenate(scores)


@dataclass(frozen=True)
class CandidateSets:
    """What a split with whole candidate sets adds, aligned with its RankingData rows."""

    shown: np.ndarray  # bool [N]: the row reached the displayed list
    kept: np.ndarray  # bool [N]: the logging pre-ranker kept it
    propensity_kept: np.ndarray | None  # P(kept) under the logging policy, when logged
    click: np.ndarray
    cart: np.ndarray
    order: np.ndarray
    keep_k: int

    @classmethod
    def of(cls, frame: pd.DataFrame, data: RankingData) -> "CandidateSets | None":
        """None for events without candidate sets (every row was shown)."""
        if SHOWN not in frame.columns:
            return None
        missing = [c for c in (PRERANK_KEPT,) if c not in frame.columns]
        if missing:
            raise ValueError(f"events with a {SHOWN!r} column need {missing} too")
        # The same stable grouping by request as frame_to_data, so rows line up.
        codes, uniques = pd.factorize(frame["request_id"], sort=False)
        rows = frame.iloc[np.argsort(codes, kind="stable")]
        if len(rows) != len(data) or not np.array_equal(np.asarray(uniques), data.request_ids):
            raise ValueError("candidate-set columns do not line up with the split's tensors")
        col = lambda name: rows[name].to_numpy()  # noqa: E731
        kept = col(PRERANK_KEPT).astype(bool)
        labels = {t: col(c).astype(np.float64) for t, c in TASK_LABEL_COLUMNS.items() if c in rows.columns}
        return cls(shown=col(SHOWN).astype(bool), kept=kept,
                   propensity_kept=col(PROPENSITY_KEPT).astype(np.float64) if PROPENSITY_KEPT in rows.columns
                   else None,
                   click=labels["click"], cart=labels["cart"], order=labels["purchase"],
                   keep_k=int(np.bincount(data.request_index, weights=kept).max()))


def _winner(additive: float, multiplicative: float) -> str:
    if abs(additive - multiplicative) < 1e-12:
        return "tie"
    return "additive" if additive > multiplicative else "multiplicative"


def _fusion_section(val: tuple[np.ndarray, RankingData] | None, test_probs: np.ndarray, test: RankingData,
                    ks: Sequence[int], fusion_k: int) -> dict[str, Any]:
    """Over the displayed list: callers pass the shown rows of candidate-set splits."""
    orders = test.task_labels("purchase")
    section: dict[str, Any] = {"k": fusion_k, "selected_on": "validation" if val else "default"}
    for kind in FUSION_KINDS:
        if val is not None:
            val_probs, val_data = val
            choice = select_fusion_weights(val_probs, val_data.task_labels("purchase"),
                                           val_data.request_index, fusion_k, kind)
            weights, val_wr = choice.weights, choice.validation_wr
        else:
            # Without validation data nothing may be tuned: purchase probability alone.
            weights, val_wr = tuple(0.0 for _ in test.spec.tasks[:-1]) + (1.0,), None
        section[kind] = {
            "weights": list(weights),
            "validation_wr_at_k": val_wr,
            "test_wr_at_k": wr_by_k(fuse(test_probs, weights, kind), orders, test.request_index, ks),
        }
    key = str(fusion_k)
    add, mul = section["additive"]["test_wr_at_k"][key], section["multiplicative"]["test_wr_at_k"][key]
    section["better_on_test"] = _winner(add, mul)
    if val is not None:
        section["better_on_validation"] = _winner(section["additive"]["validation_wr_at_k"],
                                                  section["multiplicative"]["validation_wr_at_k"])
    return section


def shown_rows(data: RankingData, shown: np.ndarray) -> RankingData:
    """The displayed list of a candidate-set split (requests renumbered, order kept)."""
    idx = np.flatnonzero(shown)
    codes, uniques = pd.factorize(data.request_index[idx], sort=False)
    offsets = np.r_[0, np.flatnonzero(np.diff(codes)) + 1, len(codes)].astype(np.int64)
    return RankingData(spec=data.spec, cat=data.cat[idx], num=data.num[idx], labels=data.labels[idx],
                       request_index=codes.astype(np.int64), request_offsets=offsets, region=data.region[idx],
                       truth=None if data.truth is None else data.truth[idx],
                       request_ids=data.request_ids[np.asarray(uniques)])


def _split(ranker: OnnxRanker, split: RankingData | pd.DataFrame) -> tuple[RankingData, CandidateSets | None]:
    data = ranker.data_for(split)
    return data, CandidateSets.of(split, data) if isinstance(split, pd.DataFrame) else None


def counterfactual_section(score: np.ndarray, data: RankingData, sets: CandidateSets,
                           clip: float = DEFAULT_IPS_CLIP) -> dict[str, Any] | None:
    """IPS / SNIPS of orders per request if this model were the pre-ranker (kept-set unit)."""
    if sets.propensity_kept is None:
        return None
    target = target_kept(score, data.request_index, sets.keep_k)
    estimate = ips_orders_per_request(target, sets.kept, sets.propensity_kept, sets.order, data.request_index, clip)
    return {"orders_per_request": estimate.as_dict()}


def _model_report(ranker: OnnxRanker, test_split: RankingData | pd.DataFrame,
                  validation_split: RankingData | pd.DataFrame | None, ks: Sequence[int],
                  fusion_k: int, weights: EngagementWeights, ips_clip: float) -> dict[str, Any]:
    full, sets = _split(ranker, test_split)
    full_probs, full_score = ranker.predict(full)
    if sets is None:
        test, probs, score = full, full_probs, full_score
    else:
        # Displayed-list metrics, AUC and fusion over what was shown: elsewhere nothing was observed.
        test = shown_rows(full, sets.shown)
        probs, score = full_probs[sets.shown], full_score[sets.shown]
    metrics = split_metrics(probs, test.labels.numpy().astype(np.float64), test.request_index, test.region,
                            test.spec.tasks, test.spec.regions, score, ks, truth=test.truth)
    metrics["engagement_weights"] = weights.as_dict()
    if sets is not None:
        pre = prerank_metrics(full_score, sets.click, sets.cart, sets.order, full.request_index, full.region,
                              full.spec.regions, prerank_ks(sets.keep_k, PRERANK_KS + tuple(ks)), weights)
        metrics["prerank_wr_at_k"] = pre["prerank_wr_at_k"]
        metrics["prerank_keep_k"] = sets.keep_k
        for region, values in pre["per_region"].items():
            metrics["per_region"].setdefault(region, {})["prerank_wr_at_k"] = values
        counterfactual = counterfactual_section(full_score, full, sets, ips_clip)
        if counterfactual is not None:
            metrics["counterfactual"] = counterfactual
    val = None
    if validation_split is not None:
        val_data, val_sets = _split(ranker, validation_split)
        val_probs = ranker.predict(val_data)[0]
        if val_sets is not None:
            val_probs, val_data = val_probs[val_sets.shown], shown_rows(val_data, val_sets.shown)
        val = (val_probs, val_data)
    return {"model": ranker.describe(), "metrics": metrics,
            "fusion": _fusion_section(val, probs, test, ks, fusion_k)}


def evaluate_onnx(model_path: str | os.PathLike[str], test: RankingData | pd.DataFrame, *,
                  validation: RankingData | pd.DataFrame | None = None,
                  champion_path: str | os.PathLike[str] | None = None,
                  ks: Sequence[int] = DEFAULT_KS, fusion_k: int = 10,
                  engagement_weights: EngagementWeights = EngagementWeights(),
                  ips_clip: float = DEFAULT_IPS_CLIP) -> dict[str, Any]:
    """Report for the candidate (and champion) on the same test split; JSON-serializable.

    `validation` is only used to choose fusion weights. Pass DataFrames when the champion
    may use a different feature set: each model then gets tensors built for its own spec.
    A DataFrame with whole candidate sets (a `shown` column) adds the pre-rank metrics and,
    with logged propensities, the counterfactual estimates; its displayed-list metrics are
    computed over the shown rows.
    """
    ks = tuple(sorted(set(ks) | {fusion_k}))
    candidate = _model_report(OnnxRanker(model_path), test, validation, ks, fusion_k, engagement_weights, ips_clip)
    report: dict[str, Any] = {"report_version": REPORT_VERSION, "ks": list(ks), "candidate": candidate}
    if champion_path is not None:
        champion = _model_report(OnnxRanker(champion_path), test, validation, ks, fusion_k, engagement_weights,
                                 ips_clip)
        report["champion"] = champion
        report["delta_wr_at_k"] = {
            k: candidate["metrics"]["wr_at_k"][k] - champion["metrics"]["wr_at_k"][k]
            for k in candidate["metrics"]["wr_at_k"]}
        report["delta_per_region_wr_at_k"] = {
            region: {k: v - champion["metrics"]["per_region"][region]["wr_at_k"][k]
                     for k, v in stats["wr_at_k"].items()}
            for region, stats in candidate["metrics"]["per_region"].items()
            if region in champion["metrics"]["per_region"]}
        if "prerank_wr_at_k" in candidate["metrics"] and "prerank_wr_at_k" in champion["metrics"]:
            report["delta_prerank_wr_at_k"] = {
                k: candidate["metrics"]["prerank_wr_at_k"][k] - champion["metrics"]["prerank_wr_at_k"].get(k, math.nan)
                for k in candidate["metrics"]["prerank_wr_at_k"]}
    return jsonable(report)


def main(argv: list[str] | None = None) -> None:
    from rankops_trainer.data.events import load_splits

    parser = argparse.ArgumentParser(description="Evaluate an ONNX ranking model")
    parser.add_argument("model")
    parser.add_argument("--events", required=True, help="events root (dt= partitions or train/validation/test)")
    parser.add_argument("--champion")
    parser.add_argument("--k", type=int, nargs="+", default=list(DEFAULT_KS))
    parser.add_argument("--engagement-weights", type=json.loads, default=None,
                        help='pre-rank WR@K weights as JSON, e.g. \'{"click": 0.1, "cart": 0.3, "order": 1}\'')
    parser.add_argument("--ips-clip", type=float, default=DEFAULT_IPS_CLIP)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    splits = load_splits(args.events)
    report = evaluate_onnx(args.model, splits.test, validation=splits.validation,
                           champion_path=args.champion, ks=args.k,
                           engagement_weights=EngagementWeights.from_dict(args.engagement_weights),
                           ips_clip=args.ips_clip)
    text = json.dumps(report, indent=2)
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
