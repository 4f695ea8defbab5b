"""The production trainer never loads the demo's synthetic world (package rankops_world).

Checked in a fresh interpreter: this test session has imported the world for its fixtures, so
its own sys.modules says nothing about what the worker pulls in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TRAINER_DIR = Path(__file__).resolve().parents[1]
WORLD = "rankops_world"


def modules_loaded_by(statements: str) -> set[str]:
    """sys.modules of a fresh interpreter after `statements`; fails unless rankops_world was
    importable there, so an empty answer cannot come from a world that is simply missing."""
    code = (f"import importlib.util, sys\n{statements}\n"
            f"assert importlib.util.find_spec({WORLD!r}) is not None, 'rankops_world is not importable'\n"
            "print('\\n'.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=TRAINER_DIR, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def world_modules(loaded: set[str]) -> set[str]:
    return {m for m in loaded if m == WORLD or m.startswith(WORLD + ".")}


def test_importing_the_worker_loads_no_module_of_the_world() -> None:
    loaded = modules_loaded_by("import rankops_trainer.worker")
    assert "rankops_trainer.worker" in loaded and "rankops_trainer.activities" in loaded
    assert world_modules(loaded) == set()


def test_no_module_of_the_trainer_package_loads_the_world() -> None:
    # The activities import train, evaluate and export_onnx only when they run: import every
    # module of the package so that none of them can bring the world in unnoticed.
    loaded = modules_loaded_by(
        "import importlib, pkgutil, rankops_trainer\n"
        "for found in pkgutil.walk_packages(rankops_trainer.__path__, 'rankops_trainer.'):\n"
        "    importlib.import_module(found.name)")
    assert {"rankops_trainer.train", "rankops_trainer.evaluate", "rankops_trainer.export_onnx"} <= loaded
    assert world_modules(loaded) == set()
