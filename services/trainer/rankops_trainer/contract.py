"""The request/result records shared with the Java workflows (io.rankops.workflows.pipeline).

Field names are the JSON names the Java records use; Temporal's JSON converter maps them
both ways. Keep both sides in step: a renamed field here is a silently missing value there.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class ModelScores:
    weightedRecallAtK: dict[str, float]
    auc: dict[str, float]
    regionWeightedRecallAtK: dict[str, dict[str, float]]


@dataclass
class EvaluationReport:
    reportUri: str
    candidate: ModelScores
    champion: ModelScores | None
    fusion: str
    deadTasks: list[str]
