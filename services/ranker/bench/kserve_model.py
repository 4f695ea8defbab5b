"""A KServe Python model server for the same ONNX model the ranker serves: what a team would run
instead of the ranker (bench/run.sh compares both on the same batches).

    python kserve_model.py --model_path model.onnx --http_port 18090

Accepts the Open Inference Protocol (v2: POST /v2/models/ranker/infer with the inputs
`cat_features` INT64 [n, C] and `num_features` FP32 [n, N]) and v1 (POST /v1/models/ranker:predict
with {"instances": [{"cat_features": [...], "num_features": [...]}, ...]}). Answers the fused score
per row. One ONNX Runtime session, one intra-op thread, as the ranker.
"""

from __future__ import annotations

import argparse
import uuid

import numpy as np
import onnxruntime as ort
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer, model_server


class OnnxRanker(Model):
    def __init__(self, name: str, model_path: str) -> None:
        super().__init__(name)
        self.model_path = model_path
        self.session: ort.InferenceSession | None = None
        self.load()

    def load(self) -> bool:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(self.model_path, options, providers=["CPUExecutionProvider"])
        self.ready = True
        return self.ready

    def predict(self, payload, headers=None, response_headers=None):
        if isinstance(payload, InferRequest):
            inputs = {i.name: i.as_numpy() for i in payload.inputs}
            cat = inputs["cat_features"].astype(np.int64, copy=False)
            num = inputs["num_features"].astype(np.float32, copy=False)
        else:
            instances = payload["instances"]
            cat = np.asarray([i["cat_features"] for i in instances], dtype=np.int64)
            num = np.asarray([i["num_features"] for i in instances], dtype=np.float32)
        (score,) = self.session.run(["score"], {"cat_features": cat, "num_features": num})
        if isinstance(payload, InferRequest):
            output = InferOutput(name="score", shape=list(score.shape), datatype="FP32")
            output.set_data_from_numpy(score)
            return InferResponse(model_name=self.name, infer_outputs=[output], response_id=payload.id or str(uuid.uuid4()))
        return {"predictions": score.tolist()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(parents=[model_server.parser])
    parser.add_argument("--model_path", required=True)
    args, _ = parser.parse_known_args()
    ModelServer(http_port=args.http_port, grpc_port=args.grpc_port, workers=1, enable_grpc=False).start(
        [OnnxRanker("ranker", args.model_path)])
