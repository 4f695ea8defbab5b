import pytest

from rankops_trainer.config import StackSettings


@pytest.fixture(scope="session")
def stack() -> StackSettings:
    """The stack started by ./rankops up; these tests fail (not skip) when it is absent."""
    return StackSettings.from_env()
