"""Write synthetic search-log partitions into object storage: the input of the pipeline.

    python -m rankops_world.seed_events --start 2026-11-01 --days 7 [--world prerank] [--seed 7]

Writes s3://{bucket}/{prefix}dt=YYYY-MM-DD/part-00000.parquet for each day and
{prefix}_feature_spec.json, which tells the trainer which columns are features (the
extraction step copies it into every dataset). Same seed and days, same bytes: running it
again rewrites identical objects. --world picks a preset (docs/data.md): "default" (displayed
lists, 20 candidates per request), "prerank" (whole candidate sets, the demo's), and their test-sized
"small" and "small-prerank".
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from rankops_trainer.config import StackSettings
from rankops_trainer.storage import ObjectStore
from rankops_world.synthetic import WORLD_PRESETS, build_world, synthetic_feature_spec, write_partitions

FEATURE_SPEC_OBJECT = "_feature_spec.json"
WORLDS = WORLD_PRESETS


def seed_events(settings: StackSettings, start: dt.date, days: int, world: str = "default", seed: int = 7,
                prefix: str = "events/") -> list[str]:
    config = WORLDS[world](seed=seed)
    store = ObjectStore(settings)
    uris = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in write_partitions(build_world(config), tmp, start, days):
            relative = Path(path).relative_to(tmp).as_posix()
            uris.append(store.upload(path, f"s3://{settings.bucket}/{prefix}{relative}"))
    spec = synthetic_feature_spec(config).to_json().encode()
    store.put_bytes(f"s3://{settings.bucket}/{prefix}{FEATURE_SPEC_OBJECT}", spec, "application/json")
    return uris


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--start", required=True, type=dt.date.fromisoformat, help="first day, YYYY-MM-DD")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--world", choices=sorted(WORLDS), default="default")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--prefix", default="events/")
    args = parser.parse_args(argv)
    uris = seed_events(StackSettings.from_env(), args.start, args.days, args.world, args.seed, args.prefix)
    print(f"wrote {len(uris)} partitions: {uris[0]} .. {uris[-1]}")


if __name__ == "__main__":
    main()
