"""Bounded, reproducible fuzzing of every write operation of the live API (issue #8).

The operations come from the running API's own OpenAPI document, so an endpoint added later is
fuzzed without touching this file (and one that accepts what it is sent fails the test). Every
request is built to be refused: it carries at least one defect the API must catch (malformed
JSON, a wrong type, a missing or unknown field, a value out of range, a run or schedule that does
not exist, a wrong content type, a foreign Origin, no CSRF header, bad credentials), with hostile
text (SQL, script, path traversal and template injection, RTL and emoji, NUL, escaped lone
surrogates, megabyte strings) in bodies, path parameters, query parameters and headers.

Checked for every answer: never a 5xx, never a 2xx from an operation that stores anything, and
every 4xx is the API's JSON error with a message. Checked over the whole run: every table of the
rankops database has the same rows (count and content checksum), no run was added, and Temporal
started no pipeline, schedule or rollout workflow.

Hypothesis drives the generation with a fixed budget per operation and derandomize=True, so CI
sends the same requests every time (given the same OpenAPI document and database ids).
RANKOPS_FUZZ_EXAMPLES sets the budget per operation (default 60); RANKOPS_FUZZ_TRACE="POST /api/runs"
prints every request of one operation with its answer.
"""

from __future__ import annotations

import asyncio
import collections
import http.client
import json
import os
import re
import time
import urllib.parse
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import ADMIN, API, DEMO_PASSWORD, ENGINEER, HOST, NAMESPACE, RELEASE_MANAGER, TEMPORAL, record_figure, \
    sign_in

CSRF_HEADER = "X-Rankops-Csrf"
FOREIGN_ORIGIN = "http://127.0.0.1:5500"
PORT = int(urllib.parse.urlsplit(API).port or 80)
EXAMPLES = int(os.environ.get("RANKOPS_FUZZ_EXAMPLES", "60"))
WRITE_METHODS = ("post", "put", "patch", "delete")

# Operations whose 2xx stores nothing, so a 2xx is no failure. Everything else must refuse.
STATELESS = {
    # Signing out without a live session revokes nothing and answers an expired cookie.
    "DELETE /api/session": "ends the caller's own session at most",
    # Runs a HealthProbeWorkflow through both task queues: no run, no row, no schedule.
    "POST /api/status/probe": "a health probe workflow; no run, no row",
}
# Each probe is a real workflow through both workers: a few are enough to show inputs are ignored.
BUDGET = {"POST /api/status/probe": 8}
# Sanity check of the enumeration: these must be among the operations the OpenAPI lists.
KNOWN_WRITES = {
    "POST /api/session", "DELETE /api/session", "POST /api/runs", "POST /api/runs/{id}/cancel",
    "POST /api/runs/{id}/decision", "POST /api/runs/{id}/rollout/{control}", "POST /api/schedules",
    "DELETE /api/schedules/{id}", "POST /api/schedules/{id}/pause", "POST /api/schedules/{id}/unpause",
    "POST /api/schedules/{id}/trigger", "POST /api/schedules/{id}/backfill", "POST /api/status/probe",
}

INJECTIONS = [
    "' OR '1'='1", "'; DROP TABLE pipeline_run; --", "\" OR 1=1 --", "1; SELECT pg_sleep(10)--",
    "run-1' UNION SELECT password_hash FROM app_user--", "$$; DELETE FROM audit_log; $$",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/etc/passwd%00.json",
    "{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "${jndi:ldap://127.0.0.1:1/a}", "{{constructor.constructor('1')()}}",
    "$(id)", "`id`", "| cat /etc/passwd", "\r\nSet-Cookie: rankops-session=x", "%00", "%s%s%s%n", "\\u0000",
    "\u0000", "a\u0000b", "\ud800", "x\udfff", "\ud83d", "\u202eevil\u202d", "مرحبا بالعالم", "שלום", "🙂🔥💥" * 5,
    "\ufeffbom", "\u200b\u200d\u2060", "Ω≈ç√∫˜µ", "𝕏𝔂𝔃", "ﷺ", "\u0301\u0301\u0301", "NaN", "-1", "1e309",
    "null", "true", "[]", "{}", "", " ", "schedule:../x", "run-", "admin", "rita",
]
CONTROLS = ["pause", "resume", "abort", "promote"]
WRONG_CONTENT_TYPES = ["text/plain", "application/xml", "application/x-www-form-urlencoded",
                       "multipart/form-data; boundary=xyz", "application/octet-stream", None, "*/*",
                       "application/json-patch+json", "text/html; charset=utf-8"]
MALFORMED_JSON = [
    b"", b"{", b"}", b"{,}", b"{'a': 1}", b'{"a": 1,}', b"[1,2", b"NaN", b"Infinity", b"-", b'{"a": 01}',
    b"/* comment */ {}", b'{"a": "\\x"}', b"\xff\xfe{\x00", b'{"modelFamily": "\xc3\x28"}', b"{" * 3000,
    b"[" * 100_000, b"1" * 5000, b'{"a": 1e99999}', b'{"a": "unterminated', b"{\"a\":\x01}", b"\x00",
]


# ----------------------------------------------------------------------------- OpenAPI
def openapi() -> dict[str, Any]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    connection.request("GET", "/q/openapi?format=json", headers={"Accept": "application/json"})
    response = connection.getresponse()
    assert response.status == 200, response.status
    document = json.loads(response.read())
    connection.close()
    return document


def write_operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ops = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in WRITE_METHODS:
                parameters = list(item.get("parameters", [])) + list(operation.get("parameters", []))
                ops[f"{method.upper()} {path}"] = {"method": method.upper(), "path": path, "parameters": parameters,
                                                   "body": (operation.get("requestBody") or {}).get("content", {})}
    return ops


class Schemas:
    def __init__(self, document: dict[str, Any]):
        self.components = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict[str, Any] | None) -> dict[str, Any]:
        seen = 0
        while schema and "$ref" in schema and seen < 20:
            schema = self.components.get(schema["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        return schema or {}


# ----------------------------------------------------------------------------- text strategies
def clean_for_header(text: str) -> str:
    return "".join(c for c in text if ord(c) >= 0x20 and ord(c) != 0x7F)


hostile_text = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0x590, max_codepoint=0x6FF), min_size=1, max_size=20),  # RTL
    st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=10),  # emoji
    st.sampled_from(INJECTIONS).map(lambda s: s * 40),
)
huge_text = st.sampled_from([1_000, 65_536, 1_000_000]).flatmap(
    lambda n: st.sampled_from(["x", "é", "🙂", "'", "\u202e"]).map(lambda c: c * (n // len(c.encode("utf-8")))))
body_text = st.one_of(hostile_text, hostile_text, hostile_text, huge_text)
# Path, query and header values stay under Vert.x's 4 KiB request line and 8 KiB headers once encoded:
# a longer request line is refused by Netty with a bare 414 before the API sees it (checked separately).
URL_BYTES = 900


def fit_url(text: str) -> str:
    while len(urllib.parse.quote(text.encode("utf-8", "surrogatepass"), safe="")) > URL_BYTES:
        text = text[: len(text) * 2 // 3]
    return text


url_text = st.one_of(hostile_text, st.sampled_from(INJECTIONS).map(lambda s: (s or "x") * 200)).map(fit_url)


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def quote(text: str) -> str:
    return urllib.parse.quote(encode(text), safe="")


def json_bytes(value: Any, ascii_only: bool) -> bytes:
    return encode(json.dumps(value, ensure_ascii=ascii_only))


# ----------------------------------------------------------------------------- body strategies
class Bodies:
    """Type-correct ("plausible") values of a schema, and defective ones the API must refuse."""

    def __init__(self, schemas: Schemas):
        self.schemas = schemas

    def plausible(self, schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy:
        schema = self.schemas.resolve(schema)
        kind = schema.get("type")
        if depth > 4:
            return st.none()
        if kind == "string":
            if schema.get("pattern"):
                return st.from_regex(schema["pattern"], fullmatch=True).filter(
                    lambda s: len(s) <= schema.get("maxLength", 10_000))
            if schema.get("format") == "date":
                return st.dates().map(lambda d: d.isoformat())
            limit = schema.get("maxLength")
            return body_text if limit is None else hostile_text.filter(lambda s: len(s) <= limit)
        if kind == "integer":
            return st.integers(schema.get("minimum", -(2 ** 31)), schema.get("maximum", 2 ** 31 - 1))
        if kind == "number":
            low = schema.get("minimum", schema.get("exclusiveMinimum", -1e6))
            return st.floats(low, schema.get("maximum", 1e6), allow_nan=False,
                             exclude_min="exclusiveMinimum" in schema)
        if kind == "boolean":
            return st.booleans()
        if kind == "array":
            return st.lists(self.plausible(schema.get("items", {}), depth + 1),
                            min_size=schema.get("minItems", 0), max_size=min(schema.get("maxItems", 4), 4))
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties", {})
            if properties:
                required = set(schema.get("required", []))
                return st.fixed_dictionaries(
                    {k: self.plausible(v, depth + 1) for k, v in properties.items() if k in required},
                    optional={k: self.plausible(v, depth + 1) for k, v in properties.items() if k not in required})
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                return st.dictionaries(hostile_text, self.plausible(extra, depth + 1), max_size=3)
            return st.fixed_dictionaries({})
        return st.none()

    def wrong_type(self, schema: dict[str, Any]) -> st.SearchStrategy:
        """A JSON value of another type than the schema's (the API reads bodies strictly)."""
        kind = self.schemas.resolve(schema).get("type", "object")
        options = {
            "string": [st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                       st.just([]), st.just({})],
            "integer": [st.integers().map(str), st.floats(0.1, 1e6).filter(lambda f: not f.is_integer()),
                        st.booleans(), st.just([1]), st.just({"n": 1})],
            "number": [st.floats(0, 1).map(str), st.booleans(), st.just([0.5]), st.just({"n": 0.5}), body_text],
            "boolean": [st.sampled_from(["true", "false", "yes", "1"]), st.integers(0, 1), st.just([True]),
                        st.just({})],
            "array": [hostile_text, st.integers(), st.just({}), st.booleans()],
            "object": [hostile_text, st.integers(), st.just([]), st.booleans(), st.just([{}])],
        }.get(kind, [st.just([[]])])
        return st.one_of(*options)

    def out_of_range(self, schema: dict[str, Any]) -> st.SearchStrategy | None:
        """A value of the right type the schema's constraints refuse, when the schema has any."""
        schema = self.schemas.resolve(schema)
        kind = schema.get("type")
        choices = []
        if kind in ("integer", "number"):
            if "maximum" in schema:
                step = 1 if kind == "integer" else 0.5
                choices.append(st.sampled_from([schema["maximum"] + step, schema["maximum"] * 1000 + step]))
                if kind == "integer":
                    choices.append(st.sampled_from([2 ** 31, 2 ** 63, 10 ** 30]))
            if "minimum" in schema:
                choices.append(st.just(schema["minimum"] - 1))
            if "exclusiveMinimum" in schema:
                bound = schema["exclusiveMinimum"]
                choices.append(st.sampled_from([bound, bound - 1]) if not isinstance(bound, bool) else st.just(-1))
        if kind == "string":
            if "maxLength" in schema:
                choices.append(st.sampled_from([schema["maxLength"] + 1, 1_000_000]).map(lambda n: "a" * n))
            if schema.get("pattern"):
                pattern = re.compile(schema["pattern"])
                choices.append(st.one_of(hostile_text, huge_text).filter(lambda s: not pattern.fullmatch(s)))
            if schema.get("format") == "date":
                choices.append(st.sampled_from(["2025-02-30", "2025-13-01", "yesterday", "01/02/2025", "2025-1-1",
                                                "+999999999-12-31x", "2025-01-01T00:00:00Z", "0000-00-00"]))
        if kind == "array" and "maxItems" in schema:
            items = schema.get("items", {})
            choices.append(st.lists(self.plausible(items, 3), min_size=schema["maxItems"] + 1,
                                    max_size=schema["maxItems"] + 3))
        return st.one_of(*choices) if choices else None

    def defective_object(self, schema: dict[str, Any]) -> st.SearchStrategy:
        """A plausible object with one guaranteed defect somewhere inside it."""
        return self.plausible(schema).flatmap(lambda value: self._mutate(schema, value))

    def _mutate(self, schema: dict[str, Any], value: Any) -> st.SearchStrategy:
        schema = self.schemas.resolve(schema)
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        if not isinstance(value, dict) or not properties:
            return self.wrong_type(schema)
        kinds = ["wrong_type", "unknown_field", "nested", "out_of_range"] + (["missing_required"] if required else [])

        @st.composite
        def mutated(draw):
            body = dict(value)
            kind = draw(st.sampled_from(kinds))
            if kind == "missing_required":
                del_key = draw(st.sampled_from(required))
                body.pop(del_key, None)
                return body
            if kind == "unknown_field":
                name = draw(st.one_of(hostile_text, st.sampled_from(["epochz", "modelfamily", "__proto__",
                                                                    "constructor", "id ", "runId", "triggeredBy",
                                                                    "status", "approver"])))
                if name in properties:
                    name = name + "_unknown"
                body[name] = draw(st.one_of(body_text, st.integers(), st.just({"$ne": None})))
                return body
            field = draw(st.sampled_from(sorted(properties)))
            field_schema = self.schemas.resolve(properties[field])
            if kind == "nested" and isinstance(body.get(field), dict) and field_schema.get("properties"):
                body[field] = draw(self._mutate(field_schema, body[field]))
                return body
            if kind == "out_of_range":
                strategy = self.out_of_range(field_schema)
                if strategy is not None:
                    body[field] = draw(strategy)
                    return body
            body[field] = draw(self.wrong_type(field_schema))
            return body

        return mutated()

    def json_body(self, schema: dict[str, Any] | None) -> st.SearchStrategy:
        """Raw bytes of a JSON body the API must refuse."""
        structured = self.defective_object(schema) if schema else st.just([["not", "an", "object"]])
        truncated = (self.plausible(schema) if schema else st.just({"a": 1})).map(
            lambda v: json_bytes(v, True)).flatmap(
            lambda raw: st.integers(0, max(0, len(raw) - 1)).map(lambda i: raw[:i]))
        wrong_top = st.sampled_from([[], [{}], 1, -1.5, "x", True, [None]])
        return st.one_of(
            st.tuples(structured, st.booleans()).map(lambda t: json_bytes(t[0], t[1])),
            st.tuples(structured, st.booleans()).map(lambda t: json_bytes(t[0], t[1])),
            st.tuples(structured, st.booleans()).map(lambda t: json_bytes(t[0], t[1])),
            truncated,
            st.sampled_from(MALFORMED_JSON),
            wrong_top.map(lambda v: json_bytes(v, True)),
            st.binary(min_size=1, max_size=300),
        )


@st.composite
def form_body(draw) -> bytes:
    """A sign-in form that cannot succeed: wrong password, missing or extra fields, garbage."""
    kind = draw(st.sampled_from(["fields", "fields", "fields", "raw"]))
    if kind == "raw":
        return draw(st.one_of(st.sampled_from([b"username=%zz&password", b"&&&", b"=", b"username", b"a=b=c",
                                               b"username=erin&password=%", b"\x00\xff"]),
                              st.binary(max_size=300)))
    fields: list[tuple[str, str]] = []
    if draw(st.integers(0, 4)) > 0:
        fields.append(("username", draw(st.one_of(st.sampled_from([ENGINEER, RELEASE_MANAGER, ADMIN, "nobody"]),
                                                  body_text))))
    if draw(st.integers(0, 4)) > 0:
        password = draw(st.one_of(body_text, st.just(DEMO_PASSWORD + "\u0000x"), st.just(DEMO_PASSWORD + " ")))
        fields.append(("password", password if password != DEMO_PASSWORD else password + "!"))
    if draw(st.booleans()):
        fields.append((draw(hostile_text), draw(hostile_text)))
    if draw(st.booleans()):
        fields = [(draw(st.sampled_from(["username", "password"])), draw(hostile_text))] + fields
    fields = draw(st.permutations(fields))
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in fields).encode("ascii")


# ----------------------------------------------------------------------------- sending
class Wire:
    """One keep-alive connection, raw request targets (no client-side path normalisation)."""

    def __init__(self):
        self.connection: http.client.HTTPConnection | None = None

    def send(self, method: str, target: str, headers: dict[str, Any], body: bytes | None):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
            try:
                self.connection.request(method, target, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                if response.will_close:
                    self.close()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, data
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def problems_with(op: str, status: int, headers: dict[str, str], data: bytes) -> list[str]:
    if status >= 500:
        return [f"{status} server error: {data[:300]!r}"]
    if 200 <= status < 300:
        return [] if op in STATELESS else [f"{status}: accepted a request it must refuse: {data[:300]!r}"]
    if status < 400:
        return [f"unexpected {status}"]
    if status == 401 and not data:
        return []  # Quarkus' authentication challenge (bad or no credentials): a bare 401 by design
    if status == 413 and not data:
        return []  # over the 256 KiB body limit: the HTTP server refuses it before the API reads it
    if not headers.get("content-type", "").startswith("application/json"):
        return [f"{status} is not the JSON error shape: {headers.get('content-type')} {data[:200]!r}"]
    try:
        error = json.loads(data)
    except ValueError:
        return [f"{status} body is not JSON: {data[:200]!r}"]
    if not isinstance(error, dict) or error.get("status") != status or not isinstance(error.get("detail"), str) \
            or not error["detail"].strip() or not isinstance(error.get("title"), str):
        return [f"{status} is not the JSON error shape with a message: {data[:300]!r}"]
    return []


# ----------------------------------------------------------------------------- the state that must not move
def table_snapshot(db, excluded_runs: list[str]) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row, per table of the API's schema. Rows of runs whose
    workflows were already in flight are left out: the worker writes their steps, not the API."""
    with db.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                       " AND table_type = 'BASE TABLE' ORDER BY 1")
        # Sign-in bookkeeping moves by design: failed sign-ins are counted, sessions touched.
        tables = [row[0] for row in cursor.fetchall() if row[0] not in ("sign_in_failure", "user_session")]
        snapshot = {}
        for table in tables:
            where, params = "", []
            if table == "pipeline_run":
                where, params = "WHERE NOT (id = ANY(%s))", [excluded_runs]
            elif table == "run_step_event":
                where, params = "WHERE NOT (run_id = ANY(%s))", [excluded_runs]
            cursor.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, E\'\\n\' ORDER BY t::text), \'\'))'
                           f' FROM "{table}" t {where}', params)
            snapshot[table] = tuple(cursor.fetchone())
    return snapshot


def temporal_starts() -> int:
    """Executions of every workflow type the API or a schedule can start, health probes aside."""
    async def count() -> int:
        from temporalio.client import Client
        client = await Client.connect(TEMPORAL, namespace=NAMESPACE)
        return (await client.count_workflows("WorkflowType != 'HealthProbeWorkflow'")).count
    return asyncio.run(count())


def api_get(session, path: str) -> Any:
    response = session.get(f"{API}{path}", timeout=30)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text[:200]}"
    return response.json()


# ----------------------------------------------------------------------------- the test
def test_every_write_operation_refuses_bad_input_and_changes_nothing(db):
    document = openapi()
    ops = write_operations(document)
    assert KNOWN_WRITES <= set(ops), f"the OpenAPI document lacks {sorted(KNOWN_WRITES - set(ops))}"
    schemas = Schemas(document)
    bodies = Bodies(schemas)

    sessions = {name: sign_in(name) for name in (ADMIN, ENGINEER, RELEASE_MANAGER)}
    cookies = {name: s.cookies.get("rankops-session") for name, s in sessions.items()}
    admin = sessions[ADMIN]

    with db.cursor() as cursor:
        cursor.execute("SELECT id, status FROM pipeline_run")
        runs = cursor.fetchall()
    open_runs = [rid for rid, status in runs if status in ("RUNNING", "AWAITING_APPROVAL")]
    closed_runs = sorted(rid for rid, status in runs if status not in ("RUNNING", "AWAITING_APPROVAL"))[:25]
    schedule_ids = {s["id"] for s in api_get(admin, "/api/schedules")}
    taken = {rid for rid, _ in runs} | schedule_ids

    before = table_snapshot(db, open_runs)
    runs_before = api_get(admin, "/api/runs?size=1")["total"]
    workflows_before = temporal_starts()

    wire = Wire()
    sent: collections.Counter = collections.Counter()
    statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    failures: list[str] = []
    started = time.monotonic()

    def path_value(op: dict[str, Any], name: str) -> st.SearchStrategy:
        if name == "control":
            return st.sampled_from(CONTROLS * 3 + ["x"]).flatmap(lambda c: url_text if c == "x" else st.just(c))
        fresh = url_text.filter(lambda s: s not in taken)
        if op["path"].startswith("/api/runs/") and closed_runs:
            # Closed runs exist, so the lookup succeeds and the refusal must come from the body or state.
            return st.sampled_from(["fresh", "closed", "closed"]).flatmap(
                lambda pick: fresh if pick == "fresh" else st.sampled_from(closed_runs))
        return fresh

    @st.composite
    def request_for(draw, key: str, op: dict[str, Any]):
        target = op["path"]
        for parameter in op["parameters"]:
            if parameter.get("in") == "path":
                name = parameter["name"]
                value = draw(path_value(op, name))
                raw = draw(st.integers(0, 19)) == 0 and name == "id"
                encoded = draw(st.sampled_from(["..", "../..", "./x/..", "%2e%2e", "x/../y"])) if raw else quote(value)
                target = target.replace("{" + name + "}", encoded or "%20")
        query = []
        for _ in range(draw(st.integers(0, 2))):
            name = draw(st.one_of(st.sampled_from(["status", "page", "size", "id", "callback", "__proto__",
                                                   "approved", "force"]), hostile_text.map(fit_url)))
            query.append(f"{quote(name)}={quote(draw(url_text))}")
        if query:
            target += "?" + "&".join(query)

        headers: dict[str, Any] = {"Accept": draw(st.sampled_from(["application/json"] * 6 + ["*/*", "text/html"]))}
        for parameter in op["parameters"]:
            if parameter.get("in") == "header" and draw(st.booleans()):
                headers[parameter["name"]] = encode(clean_for_header(draw(url_text))[:2000])

        body: bytes | None = None
        content_types = list(op["body"])
        if key == "POST /api/session":
            body = draw(form_body())
            content_type = draw(st.sampled_from(["application/x-www-form-urlencoded"] * 6 + WRONG_CONTENT_TYPES))
            origin = draw(st.sampled_from([API] * 5 + [None, FOREIGN_ORIGIN, "null"]))
            if origin:
                headers["Origin"] = origin
            if content_type:
                headers["Content-Type"] = content_type
            return op["method"], target, headers, body, "anonymous"
        if content_types and "application/json" in content_types:
            schema = op["body"]["application/json"].get("schema")
            body = draw(st.one_of(bodies.json_body(schema), bodies.json_body(schema), bodies.json_body(schema),
                                  st.none()))
            content_type = draw(st.sampled_from(["application/json"] * 8 + WRONG_CONTENT_TYPES))
        elif content_types:
            body = draw(st.binary(max_size=500))
            content_type = draw(st.sampled_from(content_types + WRONG_CONTENT_TYPES))
        else:
            body = draw(st.one_of(st.none(), st.none(), bodies.json_body(None), st.binary(max_size=200)))
            content_type = draw(st.sampled_from(["application/json"] + WRONG_CONTENT_TYPES))
        if content_type and body is not None:
            headers["Content-Type"] = content_type

        who = draw(st.sampled_from([ADMIN] * 14 + [ENGINEER, ENGINEER, RELEASE_MANAGER, RELEASE_MANAGER,
                                                    "anonymous", "basic-admin"]))
        if key == "DELETE /api/session":
            # Sign-out revokes the session server-side: the fuzz's own sessions must outlive it.
            who = "anonymous"
            if draw(st.booleans()):
                headers["Cookie"] = "rankops-session=" + draw(st.sampled_from(["x" * 43, "", "not-a-token"]))
        if who == "basic-admin":
            import base64
            headers["Authorization"] = "Basic " + base64.b64encode(f"{ADMIN}:{DEMO_PASSWORD}".encode()).decode()
        elif who != "anonymous":
            headers["Cookie"] = f"rankops-session={cookies[who]}"
            guard = draw(st.sampled_from(["ok"] * 16 + ["no-csrf", "foreign-origin", "null-origin", "bad-csrf"]))
            if guard != "no-csrf":
                headers[CSRF_HEADER] = "0" if guard == "bad-csrf" else "1"
            headers["Origin"] = {"foreign-origin": FOREIGN_ORIGIN, "null-origin": "null"}.get(guard, API)
        return op["method"], target, headers, body, who

    for key, op in sorted(ops.items()):
        budget = BUDGET.get(key, EXAMPLES)

        @settings(max_examples=budget, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(st.data())
        def fuzz(data):
            method, target, headers, body, who = data.draw(request_for(key, op))
            status, answer_headers, answer = wire.send(method, target, headers, body)
            sent[key] += 1
            statuses[key][status] += 1
            if os.environ.get("RANKOPS_FUZZ_TRACE") == key:  # e.g. RANKOPS_FUZZ_TRACE="POST /api/runs"
                print(status, method, target[:120], (body or b"")[:120], answer[:160])
            for problem in problems_with(key, status, answer_headers, answer):
                failures.append(f"{key} as {who}: {method} {target[:200]} body={body[:200] if body else body!r}"
                                f" -> {problem}")

        fuzz()
    wire.close()
    duration = time.monotonic() - started

    after = table_snapshot(db, open_runs)
    runs_after = api_get(admin, "/api/runs?size=1")["total"]
    workflows_after = temporal_starts()
    schedules_after = {s["id"] for s in api_get(admin, "/api/schedules")}

    histogram: collections.Counter = collections.Counter()
    for counter in statuses.values():
        histogram.update(counter)
    record_figure("api_fuzz", {
        "operations": len(ops),
        "requestsTotal": sum(sent.values()),
        "requestsPerOperation": dict(sorted(sent.items())),
        "statusHistogram": {str(k): v for k, v in sorted(histogram.items())},
        "statusPerOperation": {k: {str(s): n for s, n in sorted(v.items())} for k, v in sorted(statuses.items())},
        "serverErrors": sum(n for s, n in histogram.items() if s >= 500),
        "accepted2xxOfStatelessOperations": sum(n for s, n in histogram.items() if 200 <= s < 300),
        "failures": len(failures),
        "tablesCompared": sorted(before),
        "tablesChanged": sorted(t for t in before if before[t] != after.get(t)),
        "runsBefore": runs_before, "runsAfter": runs_after,
        "workflowsBefore": workflows_before, "workflowsAfter": workflows_after,
        "examplesPerOperation": EXAMPLES,
        "durationSeconds": round(duration, 1),
        "requestsPerSecond": round(sum(sent.values()) / duration, 1),
    })

    uncovered = [k for k in ops if sent[k] < min(BUDGET.get(k, EXAMPLES), 5)]
    assert not uncovered, f"operations the fuzz did not reach: {uncovered}"
    assert not failures, f"{len(failures)} bad answers, first ones:\n" + "\n".join(failures[:25])
    assert before == after, {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
    assert runs_after == runs_before, f"runs {runs_before} -> {runs_after}"
    assert workflows_after == workflows_before, f"Temporal workflows {workflows_before} -> {workflows_after}"
    assert schedules_after == schedule_ids, f"schedules {sorted(schedule_ids)} -> {sorted(schedules_after)}"


def read_operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every GET the API documents, except event streams (they stay open while a run lives)."""
    ops = {}
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        produces = {t for answer in operation.get("responses", {}).values() for t in (answer.get("content") or {})}
        if "text/event-stream" in produces:
            continue
        parameters = list(item.get("parameters", [])) + list(operation.get("parameters", []))
        ops[f"GET {path}"] = {"path": path, "parameters": parameters}
    return ops


READ_EXAMPLES = int(os.environ.get("RANKOPS_FUZZ_READ_EXAMPLES", "30"))
# The readings the probe of issue #15 answered 500.
KNOWN_READS = {"GET /api/runs", "GET /api/models/{name}/versions"}


def test_every_read_operation_answers_hostile_input_without_a_server_error(db):
    """Hostile path segments and query values (huge pages, NUL, traversal, injections), signed in or
    not: a GET answers 2xx or the JSON error shape, never a 5xx, and stores nothing."""
    document = openapi()
    ops = read_operations(document)
    assert KNOWN_READS <= set(ops), f"the OpenAPI document lacks {sorted(KNOWN_READS - set(ops))}"
    sessions = {name: sign_in(name) for name in (ADMIN, ENGINEER, RELEASE_MANAGER)}
    cookies = {name: session.cookies.get("rankops-session") for name, session in sessions.items()}
    with db.cursor() as cursor:
        cursor.execute("SELECT id, status FROM pipeline_run")
        runs = cursor.fetchall()
    open_runs = [rid for rid, status in runs if status in ("RUNNING", "AWAITING_APPROVAL")]
    before = table_snapshot(db, open_runs)
    numbers = st.sampled_from(["2147483647", "2147483648", "-1", "-2147483649", "1e9", "NaN", "0x10", "9" * 40, ""])

    wire = Wire()
    statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    failures: list[str] = []
    started = time.monotonic()

    @st.composite
    def request_for(draw, op: dict[str, Any]):
        target = op["path"]
        for parameter in op["parameters"]:
            if parameter.get("in") == "path":
                raw = draw(st.integers(0, 9)) == 0
                value = draw(st.sampled_from(["..", "%2e%2e", "a%2Fb", "%00", "x/../y"])) if raw else quote(draw(url_text))
                target = target.replace("{" + parameter["name"] + "}", value or "%20")
        query = []
        for parameter in op["parameters"]:
            if parameter.get("in") == "query" and draw(st.booleans()):
                value = draw(st.one_of(numbers, url_text))
                query.append(f"{quote(parameter['name'])}={quote(value)}")
        if query:
            target += "?" + "&".join(query)
        who = draw(st.sampled_from([ADMIN, ENGINEER, RELEASE_MANAGER, "anonymous"]))
        headers: dict[str, Any] = {"Accept": "application/json"}
        if who != "anonymous":
            headers["Cookie"] = f"rankops-session={cookies[who]}"
        return target, headers, who

    for key, op in sorted(ops.items()):
        @settings(max_examples=READ_EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(st.data())
        def fuzz(data):
            target, headers, who = data.draw(request_for(op))
            status, answer_headers, answer = wire.send("GET", target, headers, None)
            statuses[key][status] += 1
            problems = [] if 200 <= status < 300 else problems_with(key, status, answer_headers, answer)
            failures.extend(f"{key} as {who}: GET {target[:200]} -> {p}" for p in problems)

        fuzz()
    wire.close()
    after = table_snapshot(db, open_runs)
    histogram: collections.Counter = collections.Counter()
    for counter in statuses.values():
        histogram.update(counter)
    record_figure("api_fuzz_reads", {
        "operations": len(ops), "requestsTotal": sum(histogram.values()),
        "statusHistogram": {str(k): v for k, v in sorted(histogram.items())},
        "serverErrors": sum(n for code, n in histogram.items() if code >= 500), "failures": len(failures),
        "durationSeconds": round(time.monotonic() - started, 1),
    })
    assert not failures, f"{len(failures)} bad answers, first ones:\n" + "\n".join(failures[:25])
    assert before == after, {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}


def oversized_body_status(headers: dict[str, str], size: int) -> int:
    """Announces a body over the 10 MiB limit (Expect: 100-continue) and reads the status line: the
    server answers before the body, so the test need not push megabytes into a closed socket."""
    import socket
    lines = ["POST /api/runs HTTP/1.1", f"Host: {HOST}:{PORT}", f"Content-Length: {size}", "Expect: 100-continue"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((HOST, PORT), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        status_line = sock.makefile("rb").readline().decode("ascii", "replace")
    return int(status_line.split()[1])


def test_requests_too_large_for_the_http_server_are_refused_before_the_api():
    """The fuzz keeps URLs and headers within Vert.x's limits; beyond them Netty answers by itself
    (414, 431, no JSON: the API never sees the request), and the API keeps working."""
    wire = Wire()
    admin = sign_in(ADMIN)
    cookie = f"rankops-session={admin.cookies.get('rankops-session')}"
    headers = {"Cookie": cookie, CSRF_HEADER: "1", "Origin": API, "Content-Type": "application/json"}
    answers = {
        "path 10 KiB": wire.send("POST", "/api/runs/" + "a" * 10_240 + "/cancel", headers, b"{}")[0],
        "query 10 KiB": wire.send("POST", "/api/runs?x=" + "a" * 10_240, headers, b"{}")[0],
        "header 20 KiB": wire.send("POST", "/api/runs", {**headers, "Idempotency-Key": "k" * 20_480}, b"{}")[0],
        "body 11 MiB": oversized_body_status(headers, 11 << 20),
    }
    wire.close()
    after = api_get(admin, "/api/me")
    record_figure("api_http_limits", {"answers": answers, "apiAnswersAfterwards": after["username"] == ADMIN})
    assert answers["path 10 KiB"] == 414 and answers["query 10 KiB"] == 414, answers
    assert answers["header 20 KiB"] == 431, answers
    assert answers["body 11 MiB"] == 413, answers
