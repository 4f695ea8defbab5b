from __future__ import annotations

import dataclasses

import pytest
import torch

from rankops_trainer.data import TASKS_2, FeatureSpec
from rankops_trainer.models import MODEL_NAMES, ModelConfig, RegionMask, build_model, canonical_name, monotonic_penalty

SMALL = ModelConfig(embedding_dim=4, hidden_dims=(16, 8), tower_dims=(8,), n_experts=2, seq_hidden=8)


def _batch(spec: FeatureSpec, n: int = 9, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    cards = torch.tensor(spec.cardinalities)
    cat = (torch.rand(n, len(cards), generator=g) * cards).long()
    num = torch.randn(n, len(spec.numerical), generator=g)
    return cat, num


@pytest.mark.parametrize("region_mask", [False, True])
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_shapes_ranges_and_score(name: str, region_mask: bool, spec: FeatureSpec) -> None:
    model = build_model(name, dataclasses.replace(SMALL, region_mask=region_mask), spec).eval()
    assert model.uses_region_mask == region_mask
    cat, num = _batch(spec)
    out = model(cat_features=cat, num_features=num)
    assert out["logits"].shape == out["probs"].shape == (9, 3)
    assert out["score"].shape == (9,)
    assert ((out["probs"] > 0) & (out["probs"] < 1)).all()
    torch.testing.assert_close(out["probs"], torch.sigmoid(out["logits"]), atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(out["score"], out["probs"] @ model.score_weights)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_two_task_variant(name: str, spec: FeatureSpec) -> None:
    spec2 = dataclasses.replace(spec, tasks=TASKS_2)
    model = build_model(name, dataclasses.replace(SMALL, region_mask=True), spec2)
    out = model(*_batch(spec2))
    assert out["probs"].shape == (9, 2)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_parameter_gets_a_gradient(name: str, spec: FeatureSpec) -> None:
    model = build_model(name, dataclasses.replace(SMALL, region_mask=True, dropout=0.0), spec)
    out = model(*_batch(spec, 32))
    out["logits"].sum().backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None]
    assert not missing, f"parameters outside the graph: {missing}"
    # The mask generator's last layer starts at zero; it must still be learning.
    assert model.region_mask.generator[-1].weight.grad.abs().sum() > 0


def test_ids_wrap_by_cardinality(spec: FeatureSpec) -> None:
    model = build_model("shared_bottom", SMALL, spec).eval()
    cat, num = _batch(spec)
    wrapped = cat + torch.tensor(spec.cardinalities) * 3
    torch.testing.assert_close(model(cat, num)["probs"], model(wrapped, num)["probs"])


def test_esmm_probabilities_follow_the_funnel(spec: FeatureSpec) -> None:
    model = build_model("esmm", SMALL, spec).eval()
    with torch.no_grad():
        for tower in model.towers:  # push the conditional rates around
            tower[-1].bias.fill_(3.0)
        probs = model(*_batch(spec, 200))["probs"]
    assert (probs[:, 1] <= probs[:, 0]).all() and (probs[:, 2] <= probs[:, 1]).all()


def test_resflow_chains_logits_click_to_cart_to_purchase(spec: FeatureSpec) -> None:
    model = build_model("resflow", SMALL, spec).eval()
    with torch.no_grad():
        for head in model.heads[1:]:
            head[-1].weight.zero_()
            head[-1].bias.zero_()
        logits = model(*_batch(spec))["logits"]
    # With later heads silenced the logit residual carries click's logit through unchanged.
    torch.testing.assert_close(logits[:, 1], logits[:, 0])
    torch.testing.assert_close(logits[:, 2], logits[:, 0])


def test_resflow_layer_residual_feeds_the_next_task(spec: FeatureSpec) -> None:
    model = build_model("resflow", SMALL, spec).eval()
    cat, num = _batch(spec)
    before = model(cat, num)["logits"].detach()
    with torch.no_grad():
        model.towers[0][0][0].weight.add_(0.5)  # change only the click tower's first layer
    after = model(cat, num)["logits"].detach()
    assert not torch.allclose(before[:, 1], after[:, 1]), "cart must see click's layer outputs"


def test_seq_md_defaults_and_penalty(spec: FeatureSpec) -> None:
    model = build_model("SEQ+MD", SMALL, spec)
    assert model.uses_region_mask and model.monotonic_penalty == pytest.approx(0.1)
    assert build_model("seq_md", dataclasses.replace(SMALL, region_mask=False), spec).region_mask is None
    probs = torch.tensor([[0.5, 0.2, 0.1], [0.1, 0.3, 0.2]])
    # Only the 0.1 -> 0.3 step rises; mean over the 4 steps.
    assert monotonic_penalty(probs).item() == pytest.approx(0.2 / 4)


def test_region_mask_starts_as_identity_and_only_gates_dependent_fields(spec: FeatureSpec) -> None:
    mask = RegionMask(spec, dim=4, region_dim=3, hidden=5)
    fields = torch.randn(6, len(spec.feature_names), 4)
    cat, _ = _batch(spec, 6)
    torch.testing.assert_close(mask(fields, cat), fields)
    with torch.no_grad():
        mask.generator[-1].weight.normal_()
        mask.generator[-1].bias.normal_()
    gated = mask(fields, cat)
    dependent = [i for i, n in enumerate(spec.feature_names) if n in spec.region_dependent]
    independent = [i for i in range(len(spec.feature_names)) if i not in dependent]
    torch.testing.assert_close(gated[:, independent], fields[:, independent])
    assert not torch.allclose(gated[:, dependent], fields[:, dependent])
    # Different regions get different gates.
    region_col = spec.region_index
    cat_a, cat_b = cat.clone(), cat.clone()
    cat_a[:, region_col], cat_b[:, region_col] = 0, 1
    assert not torch.allclose(mask.gate(cat_a), mask.gate(cat_b))


def test_region_mask_needs_a_dependent_group(spec: FeatureSpec) -> None:
    bare = dataclasses.replace(spec, region_dependent=())
    with pytest.raises(ValueError, match="region_dependent"):
        build_model("mmoe", dataclasses.replace(SMALL, region_mask=True), bare)


def test_model_names() -> None:
    assert canonical_name("Shared-Bottom") == "shared_bottom"
    assert canonical_name("SEQ+MD") == "seq_md"
    assert canonical_name("ResFlow") == "resflow"
    with pytest.raises(ValueError, match="unknown model"):
        canonical_name("dcn")


def test_model_config_round_trip() -> None:
    cfg = dataclasses.replace(SMALL, region_mask=True, score_weights=(0.1, 0.2, 1.0))
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="unknown"):
        ModelConfig.from_dict({"layers": 3})


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_forward_under_bf16_autocast(name: str, spec: FeatureSpec) -> None:
    """The CUDA path trains under bf16 autocast; CPU autocast exercises the same casts."""
    model = build_model(name, dataclasses.replace(SMALL, region_mask=True), spec).eval()
    cat, num = _batch(spec, 64)
    with torch.no_grad():
        full = model(cat, num)
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            half = model(cat, num)
    assert half["probs"].dtype == torch.float32 and torch.isfinite(half["logits"]).all()
    assert (half["probs"] - full["probs"]).abs().max() < 0.05


def test_resflow_official_configuration_builds_prelu_batchnorm_towers_and_exports(tmp_path) -> None:
    from torch import nn

    from rankops_trainer.export_onnx import export_onnx
    from rankops_world.synthetic import WorldConfig, synthetic_feature_spec

    spec = synthetic_feature_spec(WorldConfig.small())
    config = ModelConfig.resflow_official(embedding_dim=4, hidden_dims=(16, 8))
    model = build_model("resflow", config, spec)
    kinds = {type(m) for m in model.towers.modules()}
    assert nn.PReLU in kinds and nn.BatchNorm1d in kinds and nn.ReLU not in kinds
    assert all(len([m for m in head if isinstance(m, nn.Linear)]) == 1 for head in model.heads)  # no extra layer
    assert ModelConfig().tower_activation == "relu" and not ModelConfig().tower_batchnorm  # defaults unchanged
    assert export_onnx(model.eval(), tmp_path / "m.onnx").max_abs_diff <= 1e-5
    with pytest.raises(ValueError, match="tower_activation"):
        build_model("resflow", ModelConfig(tower_activation="gelu"), spec)
