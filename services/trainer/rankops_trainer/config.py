"""Where the trainer finds the stack. Values come from the environment that ./rankops exports
(infra/local/rankops.env); a production deployment sets the same variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

TRAINING_TASK_QUEUE = "training"


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"environment variable {name} is not set; run through ./rankops or export it")
    return value


@dataclass(frozen=True)
class StackSettings:
    temporal_target: str
    temporal_namespace: str
    minio_endpoint: str
    minio_access_key: str
    minio_secret_key: str
    bucket: str
    mlflow_tracking_uri: str

    @classmethod
    def from_env(cls) -> "StackSettings":
        """Whole endpoints when set (containers: every service on its own host), else the local
        stack's one host and its ports."""

        def endpoint(variable: str, port_variable: str, scheme: str = "") -> str:
            return os.environ.get(variable) or f"{scheme}{_env('RANKOPS_HOST')}:{_env(port_variable)}"

        return cls(
            temporal_target=endpoint("RANKOPS_TEMPORAL_TARGET", "RANKOPS_TEMPORAL_PORT"),
            temporal_namespace=_env("RANKOPS_TEMPORAL_NAMESPACE"),
            minio_endpoint=endpoint("RANKOPS_OBJECT_STORE_ENDPOINT", "RANKOPS_MINIO_PORT").removeprefix("http://"),
            minio_access_key=_env("RANKOPS_MINIO_USER"),
            minio_secret_key=_env("RANKOPS_MINIO_PASSWORD"),
            bucket=_env("RANKOPS_BUCKET"),
            mlflow_tracking_uri=endpoint("RANKOPS_MLFLOW_TRACKING_URI", "RANKOPS_MLFLOW_PORT", "http://"),
        )


def mlflow_client(settings: StackSettings):
    """MLflow's client, signed in as the trainer's own account. MLflow runs with its basic-auth app
    and grants nothing by default, so the account is required: MLflow's client reads it from
    MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD (./rankops sets the trainer's; a deployment
    sets them from its secret), and without them every call would only answer 401."""
    from mlflow.tracking import MlflowClient

    for name in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"):
        if not os.environ.get(name):
            raise RuntimeError(f"environment variable {name} is not set: the trainer signs in to MLflow "
                               "with its own account (RANKOPS_MLFLOW_TRAINER_USER/_PASSWORD in rankops.env)")
    return MlflowClient(settings.mlflow_tracking_uri)
