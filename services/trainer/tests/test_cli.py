"""The documented command lines, end to end: partitions -> train -> export -> evaluate."""

from __future__ import annotations

import json

from rankops_trainer import evaluate, export_onnx, train
from rankops_world.synthetic import WorldConfig, build_world, write_partitions


def test_partitions_train_export_evaluate(tmp_path, capsys) -> None:
    events = tmp_path / "events"
    write_partitions(build_world(WorldConfig.small(seed=3)), events, "2026-02-01", 5)
    train.main(["--model", "seq_md", "--smoke", "--threads", "1", "--events", str(events),
                "--out", str(tmp_path / "run")])
    printed = capsys.readouterr().out
    summary = json.loads(printed[printed.index("\n{") + 1:])
    assert summary["device"] == "cpu" and summary["best_epoch"] >= 1
    assert (tmp_path / "run" / "model.pt").exists() and (tmp_path / "run" / "last.pt").exists()
    export_onnx.main([str(tmp_path / "run" / "model.pt"), str(tmp_path / "model.onnx")])
    exported = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert exported["outputs"] == ["p_click", "p_cart", "p_purchase", "score"]
    assert exported["max_abs_diff"] <= 1e-5
    evaluate.main([str(tmp_path / "model.onnx"), "--events", str(events), "--k", "3", "5",
                   "--out", str(tmp_path / "report.json")])
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["candidate"]["model"]["family"] == "seq_md"
    assert report["candidate"]["model"]["region_mask"] is True
    assert set(report["candidate"]["metrics"]["wr_at_k"]) == {"3", "5", "10"}
    assert report["candidate"]["metrics"]["auc"]["purchase"] > 0.6
