import os

import pytest

from rankops_trainer.config import StackSettings


@pytest.fixture(scope="session")
def stack() -> StackSettings:
    """The stack started by ./rankops up; these tests fail (not skip) when it is absent."""
    # MLflow refuses anonymous clients: the tests sign in with the suites' own account (it may
    # write fixtures and read what the running services wrote), unless the caller chose one.
    for variable, source in (("MLFLOW_TRACKING_USERNAME", "RANKOPS_MLFLOW_TEST_USER"),
                             ("MLFLOW_TRACKING_PASSWORD", "RANKOPS_MLFLOW_TEST_PASSWORD")):
        if not os.environ.get(variable):
            if not os.environ.get(source):
                raise RuntimeError(f"{source} is not set: export infra/local/rankops.env before the integration tests")
            os.environ[variable] = os.environ[source]
    return StackSettings.from_env()
