"""The trainer's names are the Java platform's (RegistryNames.java, FailureTypes.java): one meaning, two spellings checked."""

from __future__ import annotations

import re
from pathlib import Path

from rankops_trainer import names

NAMES = Path(__file__).resolve().parents[3] / "platform/src/main/java/io/rankops/platform/names"
JAVA = (NAMES / "RegistryNames.java", NAMES / "FailureTypes.java")


def java_constants() -> dict[str, str]:
    source = "\n".join(path.read_text(encoding="utf-8") for path in JAVA)
    return dict(re.findall(r'public static final String (\w+) = "([^"]*)";', source))


def test_every_python_name_is_the_java_constant_of_the_same_name() -> None:
    java = java_constants()
    python = {k: v for k, v in vars(names).items() if k.isupper()}
    assert python, "names.py declares nothing"
    for key, value in python.items():
        assert key in java, f"{key} is not declared in {[path.name for path in JAVA]}"
        assert java[key] == value, f"{key}: Python {value!r}, Java {java[key]!r}"


def test_the_api_accepts_exactly_the_families_the_trainer_builds() -> None:
    from rankops_trainer.models import MODEL_REGISTRY

    run_defaults = Path(__file__).resolve().parents[3] / "services/api/src/main/java/io/rankops/api/runs/RunDefaults.java"
    (pattern,) = re.findall(r'MODEL_FAMILY_PATTERN = "([^"]+)"', run_defaults.read_text(encoding="utf-8"))
    assert pattern.split("|") == list(MODEL_REGISTRY), "RunDefaults.MODEL_FAMILY_PATTERN and MODEL_REGISTRY disagree"


def test_the_gate_weighs_exactly_the_engagement_kinds_the_report_computes() -> None:
    from rankops_trainer.metrics.prerank import ENGAGEMENT_KINDS

    gate_policy = Path(__file__).resolve().parents[3] / "workflows/src/main/java/io/rankops/workflows/pipeline/GatePolicy.java"
    (pattern,) = re.findall(r'ENGAGEMENT_KINDS = "([^"]+)"', gate_policy.read_text(encoding="utf-8"))
    assert pattern.split("|") == list(ENGAGEMENT_KINDS), "GatePolicy.ENGAGEMENT_KINDS and metrics.prerank disagree"

