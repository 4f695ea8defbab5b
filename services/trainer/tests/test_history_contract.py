"""The Java ⇄ Python activity contract, checked on what Java really sends.

The committed Temporal histories (workflows/src/test/resources/histories, the ones the Java
replay tests use) hold the payloads Java wrote. For every activity the trainer serves, each
input in each history must decode strictly (no unknown field, no missing required field, JSON
types as declared) into the type the worker decodes it to, and each completed result into the
type the activity returns; the worker's own lenient decoding must read the same value, and what
Python writes back must be the JSON Java wrote. The histories only change when regenerated, so
the dataclasses of contract.py are also held to the Java records' components directly: a Java
record that gains or loses a field fails here until contract.py follows.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from temporalio import activity
from temporalio.api.common.v1 import Payload
from temporalio.converter import DataConverter

from rankops_trainer import contract
from rankops_trainer.config import TRAINING_TASK_QUEUE
from rankops_trainer.contract import ContractError, DatasetManifest, TrainingRequest, TrainingResult, decode_strict
from rankops_trainer.worker import ACTIVITIES

REPO = Path(__file__).resolve().parents[3]
HISTORIES = sorted((REPO / "workflows" / "src" / "test" / "resources" / "histories").glob("*.json"))
CONVERTER = DataConverter.default.payload_converter


def served_activities() -> dict[str, tuple[type, type]]:
    """Activity name -> (input type, result type), as the worker registers and decodes them."""
    served = {}
    for fn in ACTIVITIES:
        definition = activity._Definition.must_from_callable(fn)
        (arg_type,) = definition.arg_types
        served[definition.name] = (arg_type, definition.ret_type)
    return served


@dataclasses.dataclass(frozen=True)
class Sample:
    history: str
    activity: str
    kind: str  # "input" or "result"
    payload: dict[str, Any]  # as in the history's JSON: metadata and data, base64

    def __str__(self) -> str:
        return f"{self.history}: {self.activity} {self.kind}"

    @property
    def json(self) -> Any:
        return json.loads(base64.b64decode(self.payload["data"]))

    def as_temporal_payload(self) -> Payload:
        return Payload(metadata={k: base64.b64decode(v) for k, v in self.payload.get("metadata", {}).items()},
                       data=base64.b64decode(self.payload["data"]))


def samples(activity_names: set[str]) -> Iterator[Sample]:
    """Every input and completed result of these activities, on the trainer's task queue."""
    for path in HISTORIES:
        scheduled: dict[str, str] = {}
        for event in json.loads(path.read_text())["events"]:
            if attributes := event.get("activityTaskScheduledEventAttributes"):
                name = attributes["activityType"]["name"]
                if name in activity_names and attributes["taskQueue"]["name"] == TRAINING_TASK_QUEUE:
                    scheduled[str(event["eventId"])] = name
                    for payload in attributes.get("input", {}).get("payloads", []):
                        yield Sample(path.name, name, "input", payload)
            elif attributes := event.get("activityTaskCompletedEventAttributes"):
                name = scheduled.get(str(attributes["scheduledEventId"]))
                if name:
                    for payload in attributes.get("result", {}).get("payloads", []):
                        yield Sample(path.name, name, "result", payload)


SERVED = served_activities()
SAMPLES = list(samples(set(SERVED)))


def test_every_served_activity_has_inputs_and_results_in_the_histories() -> None:
    assert HISTORIES, "no committed histories found"
    covered = {(s.activity, s.kind) for s in SAMPLES}
    assert covered == {(name, kind) for name in SERVED for kind in ("input", "result")}


@pytest.mark.parametrize("sample", SAMPLES, ids=str)
def test_java_payloads_decode_strictly_and_as_the_worker_reads_them(sample: Sample) -> None:
    arg_type, ret_type = SERVED[sample.activity]
    wanted = arg_type if sample.kind == "input" else ret_type
    assert sample.as_temporal_payload().metadata["encoding"] == b"json/plain"

    strict = decode_strict(wanted, sample.json)

    # What the worker itself decodes (Temporal's converter, lenient) is the same value.
    (lenient,) = CONVERTER.from_payloads([sample.as_temporal_payload()], [wanted])
    assert lenient == strict
    # And what Python writes back is what Java wrote, field for field.
    (written,) = CONVERTER.to_payloads([strict])
    assert keys_java_wrote(json.loads(written.data), sample.json) == sample.json


def keys_java_wrote(written: Any, java: Any) -> Any:
    """`written` cut down to the keys `java` has: a history older than a field lacks it, and
    Python writes its default (decode_strict has already checked that there is one)."""
    if isinstance(written, dict) and isinstance(java, dict):
        return {k: keys_java_wrote(written[k], java[k]) for k in java if k in written}
    if isinstance(written, list) and isinstance(java, list) and len(written) == len(java):
        return [keys_java_wrote(w, j) for w, j in zip(written, java)]
    return written


# Java sources: comments first, so that a record named in Javadoc is not taken for one.
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_RECORD = re.compile(r"\brecord\s+(\w+)\s*(?:<[^>]*>)?\s*\(")
_ANNOTATION = re.compile(r"@\w+(?:\.\w+)*(?:\([^)]*\))?")


@functools.cache
def java_records() -> dict[str, list[tuple[Path, list[str]]]]:
    """Record name -> [(file, component names)] over the repository's main Java sources."""
    found: dict[str, list[tuple[Path, list[str]]]] = {}
    # Maven modules sit one or two levels down (workflows/, services/worker/); a deeper walk
    # would crawl node_modules and the local state for nothing.
    roots = [*REPO.glob("*/src/main/java"), *REPO.glob("*/*/src/main/java")]
    for path in (p for root in roots for p in root.rglob("*.java")):
        text = _COMMENT.sub("", path.read_text())
        for match in _RECORD.finditer(text):
            found.setdefault(match.group(1), []).append((path, _components(text, match.end())))
    return found


def _components(text: str, start: int) -> list[str]:
    """Names of the record components from just after `record Name(` up to its `)`."""
    depth, angle, current, parts = 1, 0, "", []
    for char in text[start:]:
        depth += {"(": 1, ")": -1}.get(char, 0)
        angle += {"<": 1, ">": -1}.get(char, 0)
        if depth == 0:
            break
        if char == "," and depth == 1 and angle == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    declarations = [_ANNOTATION.sub("", part).split() for part in parts]
    return [words[-1] for words in declarations if words]


CONTRACT_RECORDS = [obj for obj in vars(contract).values()
                    if dataclasses.is_dataclass(obj) and obj.__module__ == contract.__name__]


def test_the_component_parser_reads_generic_and_annotated_records() -> None:
    text = "record R(@Nullable Map<String, Map<String, Double>> a, List<Integer> b, long c) {}"
    assert _components(text, _RECORD.search(text).end()) == ["a", "b", "c"]


@pytest.mark.parametrize("record", CONTRACT_RECORDS, ids=lambda r: r.__name__)
def test_contract_dataclasses_have_the_java_records_fields(record: type) -> None:
    declared = java_records().get(record.__name__, [])
    assert len(declared) == 1, f"expected one Java record {record.__name__}, found {[str(p) for p, _ in declared]}"
    path, components = declared[0]
    python_fields = [f.name for f in dataclasses.fields(record)]
    assert sorted(python_fields) == sorted(components), (
        f"{record.__name__}: Java ({path.relative_to(REPO)}) has {components}, contract.py has {python_fields}")


# ----------------------------------------------------------------- strictness itself

def _java_training_request() -> dict[str, Any]:
    return next(s.json for s in SAMPLES if s.activity == "train_model" and s.kind == "input")


def test_an_unknown_field_is_refused_where_the_worker_would_drop_it() -> None:
    payload = _java_training_request()
    payload["dataset"]["retentionDays"] = 30
    with pytest.raises(ContractError, match=r"TrainingRequest\.dataset: unknown fields \['retentionDays'\]"):
        decode_strict(TrainingRequest, payload)
    # Temporal's own decoding ignores it silently: the gap this test closes.
    lenient = CONVERTER.from_payloads(CONVERTER.to_payloads([payload]), [TrainingRequest])[0]
    assert isinstance(lenient.dataset, DatasetManifest)


def test_a_missing_required_field_is_refused() -> None:
    payload = _java_training_request()
    del payload["params"]["seed"]
    with pytest.raises(ContractError, match=r"TrainingRequest\.params: missing fields \['seed'\]"):
        decode_strict(TrainingRequest, payload)
    del payload["runId"]
    with pytest.raises(ContractError, match=r"TrainingRequest: missing fields \['runId'\]"):
        decode_strict(TrainingRequest, payload)


def test_a_field_with_a_default_may_be_absent_as_in_histories_older_than_it() -> None:
    result = decode_strict(TrainingResult, {"runId": "r", "mlflowRunId": "m", "onnxUri": "s3://b/k", "device": "cpu",
                                            "epochsTrained": 1, "bestEpoch": 1, "validationMetrics": {}})
    assert result.resumedFromEpoch == 0 and result.onnxSha256 is None


@pytest.mark.parametrize("path, value", [(("params", "epochs"), "3"), (("regionMask",), 1),
                                         (("params", "learningRate"), True), (("dataset", "sourceFiles"), "a")])
def test_a_value_of_the_wrong_json_type_is_refused(path: tuple[str, ...], value: Any) -> None:
    payload = _java_training_request()
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ContractError, match=re.escape(".".join(("TrainingRequest",) + path))):
        decode_strict(TrainingRequest, payload)
