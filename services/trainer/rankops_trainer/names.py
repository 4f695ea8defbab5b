"""Every name the trainer shares with the Java platform, in one place: the Python side of
platform/src/main/java/io/rankops/platform/names/RegistryNames.java and FailureTypes.java
(tests/test_names.py checks that they agree, so a rename on either side fails the build)."""

from __future__ import annotations

#: The experiment holding every training run.
TRAINING_EXPERIMENT = "rankops-pipeline"
#: On MLflow runs and model versions: the rankops run (= workflow id) that produced them.
RUN_ID_TAG = "rankops.run_id"
DATASET_ID_TAG = "rankops.dataset_id"
MODEL_FAMILY_TAG = "rankops.model_family"
#: SHA-256 of the exported ONNX file; registration re-hashes the object and compares.
ONNX_SHA256_TAG = "rankops.onnx_sha256"
#: On MLflow runs: the pipeline outcome, written when the pipeline ends the run.
OUTCOME_TAG = "rankops.outcome"
#: The serving aliases (only the worker moves them).
CHAMPION_ALIAS = "champion"
CANDIDATE_ALIAS = "candidate"

#: Temporal failure types that end a run at once (never retried).
BAD_EVENT_DATA = "BadEventData"
BAD_MODEL_ARTIFACT = "BadModelArtifact"
BAD_TRAINING_CONFIG = "BadTrainingConfig"
