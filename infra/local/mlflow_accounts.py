"""One MLflow account per service, with only the grants it needs (run by ./rankops after MLflow is
healthy; idempotent: an existing account gets its configured password again, a grant at another
level is replaced).

MLflow runs with default_permission = NO_PERMISSIONS (infra/local/mlflow-auth.ini), so an account
reaches only what is granted here or what it created itself (MLflow gives the creator MANAGE).

  worker   MANAGE on every registered model: it is the registry's one writer for whatever model a
           run names (it registers versions, sets tags, moves the aliases; MLflow gates deleting an
           alias, the candidate after a canary, on delete permission), and it must read a model it
           did not create to find its champion (without a grant MLflow answers 403, not 404).
           EDIT on the training experiment: it tags and ends the trainer's runs.
  trainer  EDIT on the training experiment: runs, metrics, artifacts.
  ranker   READ on every registered model (it reads the served one's aliases, versions and tags;
           a grant on that model alone would die with it when the model is deleted and recreated).
  api      READ on every registered model (the UI shows the versions of any model a run
           registered) and on the training experiment (metric curves, run links).
  tests    MANAGE on every model and experiment: the suites' fixtures (local stack only: created
           when RANKOPS_MLFLOW_TEST_USER is set, which no deployment does).

The served model and the training experiment are created here (as the admin) when absent, so the
grants have something to point at on a fresh stack.
"""

from __future__ import annotations

import os
import sys

import requests

from rankops_trainer.names import TRAINING_EXPERIMENT

TIMEOUT_S = 10


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"mlflow_accounts: {name} is not set (infra/local/rankops.env)")
    return value


class Mlflow:
    def __init__(self, base: str, user: str, password: str) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.session.auth = (user, password)

    def call(self, method: str, path: str, ok_codes: tuple[str, ...] = (), **body) -> dict:
        """ok_codes: MLflow error codes that mean the wanted state already holds."""
        kwargs = {"params": body} if method == "GET" else {"json": body}
        response = self.session.request(method, f"{self.base}/api/{path}", timeout=TIMEOUT_S, **kwargs)
        if response.ok:
            return response.json() if response.content else {}
        try:
            code = response.json().get("error_code", "")
        except ValueError:
            code = ""
        if code in ok_codes:
            return {"error_code": code}
        raise SystemExit(f"mlflow_accounts: {method} {path} answered {response.status_code}: {response.text[:300]}")

    def ensure_user(self, user: str, password: str) -> None:
        if len(password) < 12:
            sys.exit(f"mlflow_accounts: the password for {user} is shorter than MLflow's minimum of 12")
        created = self.call("POST", "2.0/mlflow/users/create", ("RESOURCE_ALREADY_EXISTS",),
                            username=user, password=password)
        if created.get("error_code"):
            # Idempotent and a rotation at once: the configured password is the account's password.
            self.call("PATCH", "2.0/mlflow/users/update-password", username=user, password=password)

    def ensure_grant(self, user: str, resource_type: str, resource_id: str, permission: str) -> None:
        current = self.call("GET", "3.0/mlflow/users/permissions/list", username=user)
        held = [g for g in current.get("permissions", [])
                if g.get("resource_type") == resource_type and g.get("resource_pattern") == resource_id]
        if any(g.get("permission") == permission for g in held):
            return
        if held:
            self.call("POST", "3.0/mlflow/users/permissions/revoke",
                      username=user, resource_type=resource_type, resource_id=resource_id)
        self.call("POST", "3.0/mlflow/users/permissions/grant",
                  username=user, resource_type=resource_type, resource_id=resource_id, permission=permission)

    def ensure_model(self, name: str) -> None:
        self.call("POST", "2.0/mlflow/registered-models/create", ("RESOURCE_ALREADY_EXISTS",), name=name)

    def ensure_experiment(self, name: str) -> str:
        found = self.call("GET", "2.0/mlflow/experiments/get-by-name", ("RESOURCE_DOES_NOT_EXIST",),
                          experiment_name=name)
        if not found.get("error_code"):
            return found["experiment"]["experiment_id"]
        created = self.call("POST", "2.0/mlflow/experiments/create", ("RESOURCE_ALREADY_EXISTS",), name=name)
        if created.get("error_code"):  # created concurrently: read it back
            return self.call("GET", "2.0/mlflow/experiments/get-by-name", experiment_name=name)["experiment"]["experiment_id"]
        return created["experiment_id"]


def main() -> None:
    # A whole URI in containers (compose), else the local stack's host and port.
    base = os.environ.get("RANKOPS_MLFLOW_TRACKING_URI") or f"http://{env('RANKOPS_HOST')}:{env('RANKOPS_MLFLOW_PORT')}"
    mlflow = Mlflow(base, env("RANKOPS_MLFLOW_ADMIN_USER"), env("RANKOPS_MLFLOW_ADMIN_PASSWORD"))
    model = os.environ.get("RANKOPS_RANKER_MODEL_NAME") or "rankops-ranker"
    mlflow.ensure_model(model)
    experiment = mlflow.ensure_experiment(TRAINING_EXPERIMENT)

    grants = {
        "WORKER": [("registered_model", "*", "MANAGE"), ("experiment", experiment, "EDIT")],
        "TRAINER": [("experiment", experiment, "EDIT")],
        # Every model, not only the served one: a grant on one model dies with it, and an operator
        # (or the e2e journey) that deletes and recreates the served model must not blind the ranker.
        "RANKER": [("registered_model", "*", "READ")],
        "API": [("registered_model", "*", "READ"), ("experiment", experiment, "READ")],
    }
    if os.environ.get("RANKOPS_MLFLOW_TEST_USER"):
        grants["TEST"] = [("registered_model", "*", "MANAGE"), ("experiment", "*", "MANAGE")]
    for service, wanted in grants.items():
        user = env(f"RANKOPS_MLFLOW_{service}_USER")
        mlflow.ensure_user(user, env(f"RANKOPS_MLFLOW_{service}_PASSWORD"))
        for resource_type, resource_id, permission in wanted:
            mlflow.ensure_grant(user, resource_type, resource_id, permission)
    print(f"mlflow accounts: {', '.join(env(f'RANKOPS_MLFLOW_{s}_USER') for s in grants)}; "
          f"model {model}, experiment {TRAINING_EXPERIMENT} ({experiment})")


if __name__ == "__main__":
    main()
