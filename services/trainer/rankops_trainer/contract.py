"""The request/result records shared with the Java workflows (io.rankops.workflows.pipeline
and .probe), one dataclass per Java record of the same name.

Field names are the JSON names the Java records use; Temporal's JSON converter maps them
both ways. Keep both sides in step: a renamed field here is a silently missing value there.
tests/test_history_contract.py holds them to the Java records and to the payloads in the
committed workflow histories with `decode_strict`.

A field with a default is one that older Java payloads lack.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class TrainingParams:
    epochs: int
    batchSize: int
    learningRate: float
    embeddingDim: int
    patience: int
    seed: int
    taskLossWeights: dict[str, float] | None = None


@dataclass
class DatasetManifest:
    datasetId: str
    uri: str
    contentHash: str
    schemaHash: str
    rowCounts: dict[str, int]
    labelRates: dict[str, dict[str, float]]
    sourceFiles: list[str] = field(default_factory=list)


@dataclass
class TrainingRequest:
    runId: str
    dataset: DatasetManifest
    modelFamily: str
    regionMask: bool
    params: TrainingParams
    device: str


@dataclass
class TrainingResult:
    runId: str
    mlflowRunId: str
    onnxUri: str
    device: str
    epochsTrained: int
    bestEpoch: int
    validationMetrics: dict[str, float]
    # The checkpointed epoch this attempt resumed from (0 = trained from scratch): a retried
    # attempt after a dead trainer shows how much work the checkpoint saved.
    resumedFromEpoch: int = 0
    # Hex SHA-256 of model.onnx as uploaded; registration recomputes it and refuses a mismatch.
    onnxSha256: str | None = None


@dataclass
class TrainingProgress:
    fraction: float
    epoch: int
    loss: float
    metrics: dict[str, float]


@dataclass
class EvaluationRequest:
    runId: str
    dataset: DatasetManifest
    candidateOnnxUri: str
    championOnnxUri: str | None
    ks: list[int]
    mlflowRunId: str | None
    # click / cart / order -> weight of pre-rank WR@K (docs/metrics.md); None: orders only.
    engagementWeights: dict[str, float] | None = None


@dataclass
class CounterfactualEstimate:
    ips: float | None
    snips: float | None
    ci95Low: float | None
    ci95High: float | None
    clip: float | None
    logged: float | None
    nRequests: int | None


@dataclass
class ModelScores:
    weightedRecallAtK: dict[str, float]
    auc: dict[str, float]
    regionWeightedRecallAtK: dict[str, dict[str, float]]
    # Over each request's whole candidate set; None when the events record no candidate sets.
    prerankWeightedRecallAtK: dict[str, float] | None = None
    regionPrerankWeightedRecallAtK: dict[str, dict[str, float]] | None = None
    # IPS estimates of online orders per request; None without logged propensities.
    counterfactual: CounterfactualEstimate | None = None


@dataclass
class EvaluationReport:
    reportUri: str
    candidate: ModelScores
    champion: ModelScores | None
    fusion: str
    deadTasks: list[str]


@dataclass
class WorkerInfo:
    """What the trainer answers to a probe (describe_trainer)."""

    taskQueue: str
    identity: str
    runtime: str
    version: str


class ContractError(ValueError):
    """A payload that does not have exactly the shape of its record."""


def decode_strict(hint: type[T], value: Any) -> T:
    """`value` (parsed JSON) as `hint`, refusing what Temporal's converter lets through: a key the
    record does not have, a missing field that has no default, a value of the wrong JSON type.

    The worker keeps Temporal's lenient decoding, so that a Java release that adds a field does
    not fail the activities of a trainer not yet updated; the contract test decodes strictly, so
    that such a release fails the build until this module follows.
    """
    return _decode(hint, value, hint.__name__ if isinstance(hint, type) else str(hint))


def _decode(hint: Any, value: Any, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        present = [a for a in args if a is not type(None)]
        if len(present) != 1:
            raise TypeError(f"{where}: decode_strict handles `X | None` only, not {hint!r}")
        return _decode(present[0], value, where)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise ContractError(f"{where}: expected an object, got {type(value).__name__}")
        fields = {f.name: f for f in dataclasses.fields(hint)}
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise ContractError(f"{where}: unknown fields {unknown}")
        missing = sorted(name for name, f in fields.items() if name not in value
                         and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        if missing:
            raise ContractError(f"{where}: missing fields {missing}")
        hints = typing.get_type_hints(hint)
        return hint(**{name: _decode(hints[name], v, f"{where}.{name}") for name, v in value.items()})
    if origin is dict:
        key_type, value_type = args
        if not isinstance(value, dict):
            raise ContractError(f"{where}: expected an object, got {type(value).__name__}")
        return {_decode(key_type, k, f"{where} key"): _decode(value_type, v, f"{where}[{k!r}]")
                for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise ContractError(f"{where}: expected an array, got {type(value).__name__}")
        return [_decode(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
    # bool is an int in Python, not in JSON; an integral number is a valid double.
    if (hint is bool and isinstance(value, bool)) or (hint is str and isinstance(value, str)):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint in (bool, str, int, float):
        raise ContractError(f"{where}: expected {hint.__name__}, got {type(value).__name__} {value!r}")
    raise TypeError(f"{where}: decode_strict does not handle {hint!r}")
