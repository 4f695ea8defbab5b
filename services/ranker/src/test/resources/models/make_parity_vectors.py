"""Writes parity vectors for the Java ranker: feature rows and the scores Python ONNX Runtime gives.

Regenerate (from services/trainer, after replacing the .onnx files):
    ../../.rankops/venv/bin/python ../ranker/src/test/resources/models/make_parity_vectors.py \
        ../ranker/src/test/resources/models/shared_bottom.onnx ../ranker/src/test/resources/models/shared_bottom.parity.json
"""
import json
import sys

import numpy as np
import onnxruntime as ort


def main(model_path: str, out_path: str, rows: int = 64, seed: int = 7) -> None:
    session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    spec = json.loads(session.get_modelmeta().custom_metadata_map["rankops.feature_spec"])
    rng = np.random.default_rng(seed)
    region_column = spec["region_column"]
    cat_names = [c["name"] for c in spec["categorical"]]
    cat = np.stack([
        rng.integers(0, len(spec["regions"]), rows) if c["name"] == region_column
        # ids beyond the cardinality too: the model folds them with `id mod cardinality`
        else rng.integers(0, 2 * c["cardinality"], rows)
        for c in spec["categorical"]
    ], axis=1).astype(np.int64)
    num = rng.normal(0.0, 2.0, (rows, len(spec["numerical"]))).astype(np.float32)
    outputs = [o.name for o in session.get_outputs()]
    result = dict(zip(outputs, session.run(outputs, {"cat_features": cat, "num_features": num})))
    cases = []
    for i in range(rows):
        features = {name: int(cat[i, j]) for j, name in enumerate(cat_names)}
        # float32 values written as the double they widen to, so Java reads back the same float
        features.update({name: float(num[i, j]) for j, name in enumerate(spec["numerical"])})
        cases.append({
            "region": spec["regions"][int(features[region_column])],
            "features": features,
            "expected": {name: float(result[name][i]) for name in outputs},
        })
    with open(out_path, "w") as f:
        json.dump({"model": model_path.rsplit("/", 1)[-1], "onnxruntime": ort.__version__, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
