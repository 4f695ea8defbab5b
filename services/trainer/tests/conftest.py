"""Shared fixtures: a small synthetic world (seconds to generate) and its splits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

# The pyproject sets pythonpath too; this keeps `pytest tests/...` working from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rankops_trainer.data import EventSplits, FeatureSpec, RankingData, frame_to_data, time_split  # noqa: E402
from rankops_world.synthetic import World, WorldConfig, build_world, generate_events  # noqa: E402

START = "2026-03-01"
DAYS = 6


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    # The models are tiny: on a shared 2-core box a second intra-op thread mostly spins
    # and waits (measured 30x slower under load), so tests run single-threaded.
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def world() -> World:
    return build_world(WorldConfig.small(seed=11))


@pytest.fixture(scope="session")
def spec(world: World) -> FeatureSpec:
    return world.feature_spec


@pytest.fixture(scope="session")
def events(world: World):
    return generate_events(world, START, DAYS)


@pytest.fixture(scope="session")
def splits(events) -> EventSplits:
    return time_split(events, validation_fraction=0.2, test_fraction=0.2)


@pytest.fixture(scope="session")
def train_data(splits: EventSplits, spec: FeatureSpec) -> RankingData:
    return frame_to_data(splits.train, spec)


@pytest.fixture(scope="session")
def val_data(splits: EventSplits, spec: FeatureSpec) -> RankingData:
    return frame_to_data(splits.validation, spec)


@pytest.fixture(scope="session")
def test_data(splits: EventSplits, spec: FeatureSpec) -> RankingData:
    return frame_to_data(splits.test, spec)
