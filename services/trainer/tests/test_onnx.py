from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

import rankops_trainer.export_onnx as export_module
from rankops_trainer.data import FeatureSpec
from rankops_trainer.evaluate import evaluate_onnx
from rankops_trainer.export_onnx import ParityError, export_checkpoint, export_onnx, read_metadata
from rankops_trainer.models import MODEL_NAMES, ModelConfig, build_model
from rankops_trainer.train import TrainConfig, train

SMALL = ModelConfig(embedding_dim=4, hidden_dims=(16, 8), tower_dims=(8,), n_experts=2, seq_hidden=8,
                    region_mask=True)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_export_parity_with_pytorch_on_real_rows(name, spec, test_data, tmp_path) -> None:
    model = build_model(name, SMALL, spec).eval()
    with torch.no_grad():  # move the region mask off the identity so it is exercised
        model.region_mask.generator[-1].weight.normal_(std=0.5)
    result = export_onnx(model, tmp_path / "m.onnx")
    assert result.max_abs_diff <= 1e-5
    session = ort.InferenceSession(str(result.path), providers=["CPUExecutionProvider"])
    for rows in (slice(0, 1), slice(0, 1000)):  # dynamic batch axis
        got = session.run(None, {"cat_features": test_data.cat[rows].numpy(),
                                 "num_features": test_data.num[rows].numpy()})
        with torch.no_grad():
            out = model(test_data.cat[rows], test_data.num[rows])
        expected = [out["probs"][:, i].numpy() for i in range(3)] + [out["score"].numpy()]
        for g, e in zip(got, expected):
            assert g.shape == e.shape
            assert np.max(np.abs(g - e)) <= 1e-5


def test_onnx_signature_and_metadata(spec, tmp_path) -> None:
    model = build_model("resflow", SMALL, spec)
    result = export_onnx(model, tmp_path / "m.onnx", metadata={"rankops.run_id": "run-1"})
    proto = onnx.load(str(result.path))
    inputs = {i.name: i.type.tensor_type for i in proto.graph.input}
    outputs = {o.name: o.type.tensor_type for o in proto.graph.output}
    assert list(inputs) == ["cat_features", "num_features"]
    assert list(outputs) == ["p_click", "p_cart", "p_purchase", "score"]
    assert inputs["cat_features"].elem_type == onnx.TensorProto.INT64
    assert inputs["num_features"].elem_type == onnx.TensorProto.FLOAT
    assert [d.dim_value for d in inputs["cat_features"].shape.dim][1] == len(spec.categorical)
    assert [d.dim_value for d in inputs["num_features"].shape.dim][1] == len(spec.numerical)
    assert inputs["cat_features"].shape.dim[0].dim_param  # symbolic batch
    assert all(o.elem_type == onnx.TensorProto.FLOAT and len(o.shape.dim) == 1 for o in outputs.values())
    meta = read_metadata(result.path)
    assert FeatureSpec.from_dict(json.loads(meta["rankops.feature_spec"])) == spec
    assert meta["rankops.run_id"] == "run-1" and meta["rankops.model_family"] == "resflow"


def test_failed_parity_leaves_no_artifact(spec, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(export_module, "parity_check", lambda *a, **k: 1e-3)
    target = tmp_path / "m.onnx"
    with pytest.raises(ParityError):
        export_onnx(build_model("mmoe", SMALL, spec), target)
    assert not target.exists() and not list(tmp_path.iterdir())


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory, train_data, val_data):
    out = tmp_path_factory.mktemp("run")
    config = TrainConfig(model_name="resflow", model=dataclasses.replace(SMALL, region_mask=None), epochs=2,
                         requests_per_batch=16, early_stopping_k=3, eval_ks=(3, 5), seed=4)
    result = train(config, train_data, val_data, checkpoint_dir=out)
    export = export_checkpoint(result.model_path, out / "candidate.onnx")
    return result, export.path


def test_evaluate_report(trained_run, splits) -> None:
    result, path = trained_run
    report = evaluate_onnx(path, splits.test, validation=splits.validation, ks=(1, 3, 5), fusion_k=3)
    json.dumps(report, allow_nan=False)  # strict JSON
    metrics = report["candidate"]["metrics"]
    assert set(metrics["wr_at_k"]) == {"1", "3", "5"}
    assert metrics["wr_at_k"]["1"] <= metrics["wr_at_k"]["3"] <= metrics["wr_at_k"]["5"]
    assert metrics["auc"]["purchase"] > 0.6
    assert set(metrics["per_region"]) == {"US", "NL", "ES", "FR"}
    assert metrics["oracle_wr_at_k"]["3"] > metrics["wr_at_k"]["3"] * 0.8
    assert metrics["dead_tasks"] == {}
    fusion = report["candidate"]["fusion"]
    assert fusion["selected_on"] == "validation"
    assert {"additive", "multiplicative"} <= set(fusion)
    assert fusion["better_on_test"] in {"additive", "multiplicative", "tie"}
    assert report["candidate"]["model"]["score_weights"] == pytest.approx(list(result.score_weights))


def test_fusion_weights_do_not_depend_on_test_labels(trained_run, splits) -> None:
    _, path = trained_run
    shuffled = splits.test.copy()
    shuffled["purchase"] = np.random.default_rng(0).permutation(shuffled["purchase"].to_numpy())
    shuffled["add_to_cart"] = shuffled["purchase"]
    shuffled["click"] = np.maximum(shuffled["click"], shuffled["purchase"])
    a = evaluate_onnx(path, splits.test, validation=splits.validation, ks=(3,), fusion_k=3)
    b = evaluate_onnx(path, shuffled, validation=splits.validation, ks=(3,), fusion_k=3)
    for kind in ("additive", "multiplicative"):
        assert a["candidate"]["fusion"][kind]["weights"] == b["candidate"]["fusion"][kind]["weights"]
    assert a["candidate"]["metrics"]["wr_at_k"] != b["candidate"]["metrics"]["wr_at_k"]


def test_champion_comparison_and_dead_task_flag(trained_run, splits, spec, tmp_path) -> None:
    _, path = trained_run
    same = evaluate_onnx(path, splits.test, champion_path=path, ks=(3,), fusion_k=3)
    assert same["delta_wr_at_k"]["3"] == 0.0
    assert same["candidate"]["fusion"]["selected_on"] == "default"
    # A champion whose click tower collapsed to a constant must be flagged as dead.
    broken = build_model("shared_bottom", SMALL, spec).eval()
    with torch.no_grad():
        broken.towers[0][-1].weight.zero_()
    broken_path = export_onnx(broken, tmp_path / "broken.onnx").path
    report = evaluate_onnx(path, splits.test, champion_path=broken_path, ks=(3,), fusion_k=3)
    assert "click" in report["champion"]["metrics"]["dead_tasks"]
    assert "constant" in report["champion"]["metrics"]["dead_tasks"]["click"]
    assert report["delta_wr_at_k"]["3"] == pytest.approx(
        report["candidate"]["metrics"]["wr_at_k"]["3"] - report["champion"]["metrics"]["wr_at_k"]["3"])
    assert set(report["delta_per_region_wr_at_k"]) == {"US", "NL", "ES", "FR"}


def test_evaluate_rejects_models_without_metadata(tmp_path, test_data) -> None:
    bare = tmp_path / "bare.onnx"
    model = build_model("shared_bottom", SMALL, test_data.spec).eval()
    with warnings.catch_warnings():  # the legacy exporter (deprecated) is the quickest way to a bare file
        warnings.simplefilter("ignore")
        torch.onnx.export(export_module._ServingModule(model), (test_data.cat[:2], test_data.num[:2]), str(bare),
                          input_names=["cat_features", "num_features"], dynamo=False)
    with pytest.raises(ValueError, match="metadata"):
        evaluate_onnx(bare, test_data)


def test_onnx_model_scores_match_the_torch_model(trained_run, test_data) -> None:
    result, path = trained_run
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    score = session.run(["score"], {"cat_features": test_data.cat.numpy(), "num_features": test_data.num.numpy()})[0]
    with torch.no_grad():
        expected = result.model(test_data.cat, test_data.num)["score"].numpy()
    np.testing.assert_allclose(score, expected, atol=1e-5)
    assert Path(path).stat().st_size > 1000
