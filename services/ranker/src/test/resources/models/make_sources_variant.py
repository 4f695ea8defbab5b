"""Writes shared_bottom_sources.onnx: shared_bottom.onnx (same graph and weights, so the same parity
vectors) whose rankops.feature_spec also says where each feature comes from when served
(item_features / candidate_features / overridable, as rankops_world.synthetic declares them).

Regenerate (from services/trainer):
    ../../.rankops/venv/bin/python ../ranker/src/test/resources/models/make_sources_variant.py \
        ../ranker/src/test/resources/models/shared_bottom.onnx ../ranker/src/test/resources/models/shared_bottom_sources.onnx
"""
import json
import sys

import onnx

SOURCES = {
    "item_features": ["category_id", "seller_id", "log_price", "price_rel_category", "discount", "item_rating",
                      "item_popularity"],
    "candidate_features": ["text_relevance", "query_category_match", "shipping_days"],
    "overridable": ["log_price", "price_rel_category", "discount"],
}


def main(source: str, out: str) -> None:
    model = onnx.load(source)
    for prop in model.metadata_props:
        if prop.key == "rankops.feature_spec":
            spec = json.loads(prop.value)
            spec.update(SOURCES)
            prop.value = json.dumps(spec, sort_keys=True)
    onnx.save(model, out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
