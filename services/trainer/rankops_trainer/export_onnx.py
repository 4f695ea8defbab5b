"""Export a trained model to ONNX for the Java ranker, with a parity check.

Inputs:  cat_features int64 [batch, n_cat] (raw ids), num_features float32 [batch, n_num]
Outputs: p_click, [p_cart,] p_purchase, score: float32 [batch]
The feature spec (column order, region list), the tasks and the score weights are stored
as metadata_props so a consumer can check it feeds the right columns.

CLI: python -m rankops_trainer.export_onnx /tmp/run/model.pt /tmp/run/model.onnx
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

from rankops_trainer.models import MultiTaskModel

INPUT_NAMES = ("cat_features", "num_features")
OPSET = 18
PARITY_ATOL = 1e-5


class ParityError(RuntimeError):
    """ONNX Runtime and PyTorch disagree beyond tolerance; the artifact is not written."""


def output_names(tasks: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"p_{t}" for t in tasks) + ("score",)


class _ServingModule(nn.Module):
    """Flat tuple outputs, one named tensor per task, for a stable ONNX signature."""

    def __init__(self, model: MultiTaskModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, cat_features: torch.Tensor, num_features: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.model(cat_features, num_features)
        probs = out["probs"]
        return tuple(probs[:, i] for i in range(self.model.n_tasks)) + (out["score"],)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    max_abs_diff: float
    parity_batches: int
    exporter: str  # "dynamo" or "torchscript" (fallback)


def random_feature_batch(model: MultiTaskModel, batch_size: int, generator: torch.Generator
                         ) -> tuple[torch.Tensor, torch.Tensor]:
    """Ids in and beyond each cardinality (exercises the modulo), numerics around the
    training distribution with some outliers (exercises the clamp)."""
    spec = model.spec
    cards = torch.tensor(spec.cardinalities)
    cat = (torch.rand(batch_size, len(cards), generator=generator) * cards * 2).long()
    mean = model.embedding.num_mean
    std = model.embedding.num_std
    num = mean + std * 3.0 * torch.randn(batch_size, len(spec.numerical), generator=generator)
    return cat, num.float()


def parity_check(model: MultiTaskModel, onnx_path: str | os.PathLike[str], batches: int = 3,
                 batch_sizes: tuple[int, ...] = (1, 7, 256), seed: int = 0,
                 extra: list[tuple[torch.Tensor, torch.Tensor]] | None = None) -> float:
    """Max |onnxruntime - torch| over all outputs on random batches of varying size."""
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    serving = _ServingModule(model).eval()
    generator = torch.Generator().manual_seed(seed)
    inputs = [random_feature_batch(model, batch_sizes[i % len(batch_sizes)], generator) for i in range(batches)]
    inputs += extra or []
    worst = 0.0
    with torch.no_grad():
        for cat, num in inputs:
            expected = [t.numpy() for t in serving(cat, num)]
            got = session.run(None, {"cat_features": cat.numpy(), "num_features": num.numpy()})
            for e, g in zip(expected, got):
                if e.shape != g.shape:
                    raise ParityError(f"shape mismatch: torch {e.shape} vs onnx {g.shape}")
                worst = max(worst, float(np.max(np.abs(e.astype(np.float64) - g.astype(np.float64)))))
    return worst


def _export_graph(serving: nn.Module, example: tuple[torch.Tensor, torch.Tensor], path: Path,
                  outputs: tuple[str, ...]) -> str:
    """Export with the dynamo exporter; fall back to TorchScript. Returns which one ran."""
    batch = torch.export.Dim("batch", min=1)
    # The exporter logs one warning per missing torchvision op; irrelevant here.
    registration_log = logging.getLogger("torch.onnx._internal.exporter._registration")
    previous_level = registration_log.level
    registration_log.setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            program = torch.onnx.export(serving, example, dynamo=True, input_names=list(INPUT_NAMES),
                                        output_names=list(outputs), opset_version=OPSET,
                                        dynamic_shapes={"cat_features": {0: batch}, "num_features": {0: batch}},
                                        external_data=False, verbose=False)
            program.save(str(path))
            return "dynamo"
        except Exception:  # noqa: BLE001 - the TorchScript exporter is the documented fallback
            torch.onnx.export(serving, example, str(path), dynamo=False, input_names=list(INPUT_NAMES),
                              output_names=list(outputs), opset_version=17,
                              dynamic_axes={n: {0: "batch"} for n in (*INPUT_NAMES, *outputs)})
            return "torchscript"
        finally:
            registration_log.setLevel(previous_level)


def export_onnx(model: MultiTaskModel, path: str | os.PathLike[str], *, parity_batches: int = 3,
                atol: float = PARITY_ATOL, metadata: dict[str, str] | None = None) -> ExportResult:
    """Export in float32 eval mode, verify parity, then move the file into place.

    Raises ParityError (leaving no file at `path`) when outputs differ by more than `atol`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A copy: the caller's model may live on the GPU or be trained further.
    model = copy.deepcopy(model).to("cpu").float().eval()
    serving = _ServingModule(model).eval()
    outputs = output_names(model.tasks)
    example = random_feature_batch(model, 4, torch.Generator().manual_seed(1))
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        exporter = _export_graph(serving, example, tmp, outputs)
        proto = onnx.load(str(tmp))
        props = {
            "rankops.feature_spec": model.spec.to_json(),
            "rankops.tasks": json.dumps(list(model.tasks)),
            "rankops.model_family": model.family,
            "rankops.region_mask": json.dumps(model.uses_region_mask),
            "rankops.score_weights": json.dumps([round(float(w), 6) for w in model.score_weights.tolist()]),
            "rankops.score": "additive: sum_t score_weights[t] * p_t",
            **(metadata or {}),
        }
        onnx.helper.set_model_props(proto, props)
        onnx.checker.check_model(proto)
        onnx.save(proto, str(tmp))
        diff = parity_check(model, tmp, batches=parity_batches)
        if not diff <= atol:
            raise ParityError(f"ONNX parity failed: max abs diff {diff:.3e} > {atol:.0e}")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return ExportResult(path, INPUT_NAMES, outputs, diff, parity_batches, exporter)


def read_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    proto = onnx.load(str(path), load_external_data=False)
    return {p.key: p.value for p in proto.metadata_props}


def export_checkpoint(checkpoint: str | os.PathLike[str], out_path: str | os.PathLike[str],
                      metadata: dict[str, str] | None = None) -> ExportResult:
    from rankops_trainer.train import load_model

    model, _ = load_model(checkpoint)
    return export_onnx(model, out_path, metadata=metadata)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Export model.pt to ONNX with a parity check")
    parser.add_argument("checkpoint")
    parser.add_argument("out")
    args = parser.parse_args(argv)
    result = export_checkpoint(args.checkpoint, args.out)
    print(json.dumps({"path": str(result.path), "inputs": result.input_names, "outputs": result.output_names,
                      "max_abs_diff": result.max_abs_diff, "exporter": result.exporter}))


if __name__ == "__main__":
    main()
