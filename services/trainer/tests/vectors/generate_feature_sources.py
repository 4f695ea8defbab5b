"""Writes feature_sources.json: the small world's feature spec and, per feature, where it comes
from when served (item snapshot, per candidate, context, the request's item id or region).

The Java ranker's FeatureSourcesContractTest parses the same file with model/FeatureSpec.java and
checks it sorts every feature the same way; tests/test_item_snapshot.py checks this file is what
the Python FeatureSpec says today. Regenerate: python tests/vectors/generate_feature_sources.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from rankops_trainer.data.schema import ITEM_KEY, FeatureSpec  # noqa: E402
from rankops_world.synthetic import WorldConfig, synthetic_feature_spec  # noqa: E402

OUT = HERE / "feature_sources.json"


def source_of(spec: FeatureSpec, name: str) -> str:
    if name == ITEM_KEY:
        return "item_key"
    if name == spec.region_column:
        return "region"
    if name in spec.item_features:
        return "item_overridable" if name in spec.overridable else "item"
    if name in spec.candidate_features:
        return "candidate"
    return "context"


def vectors() -> dict:
    spec = synthetic_feature_spec(WorldConfig.small())
    return {
        "feature_spec": spec.to_dict(),
        "sources": {name: source_of(spec, name) for name in spec.feature_names},
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(vectors(), indent=2, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
