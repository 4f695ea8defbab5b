"""Service identities on the running stack (issue #15, items 1 and 4): MLflow answers nobody
without an account and each service only what it was granted (infra/local/mlflow_accounts.py),
and the API's PostgreSQL runtime role cannot rewrite the audit log by any trick a superuser had.

Nothing here changes what the stack serves: every refused call is checked to have changed
nothing, every SQL trick runs in a transaction that is rolled back.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

import psycopg2
import pytest
import requests

from conftest import API, ENGINEER, HOST, MLFLOW, connect_db, record_figure, sign_in

MODEL = os.environ.get("RANKOPS_RANKER_MODEL_NAME") or "rankops-ranker"
REST = f"{MLFLOW}/api/2.0/mlflow"
SHA_TAG = "rankops.onnx_sha256"
FIXTURE_TAG = "rankops.test"


def account(service: str) -> tuple[str, str]:
    return os.environ[f"RANKOPS_MLFLOW_{service}_USER"], os.environ[f"RANKOPS_MLFLOW_{service}_PASSWORD"]


def mlflow_session(auth: tuple[str, str] | None) -> requests.Session:
    session = requests.Session()
    session.auth = auth
    return session


def registry_state(tests: requests.Session) -> dict[str, Any]:
    """What a forged call could change: the served model's aliases and every version's tags."""
    model = tests.get(f"{REST}/registered-models/get", params={"name": MODEL}, timeout=30)
    assert model.status_code == 200, model.text
    versions = tests.get(f"{REST}/model-versions/search", params={"filter": f"name = '{MODEL}'", "max_results": 200},
                         timeout=30).json().get("model_versions", [])
    return {"aliases": sorted((a["alias"], a["version"]) for a in model.json()["registered_model"].get("aliases", [])),
            "versions": sorted((v["version"], sorted((t["key"], t["value"]) for t in v.get("tags", [])))
                               for v in versions)}


@pytest.fixture(scope="module")
def served_version() -> Iterator[str]:
    """A version of the served model to aim the forged calls at. A stack that has never trained
    has none: then one is registered for the test (no alias, so the ranker never serves it) and
    deleted afterwards."""
    tests = mlflow_session(account("TEST"))
    versions = tests.get(f"{REST}/model-versions/search", params={"filter": f"name = '{MODEL}'"},
                         timeout=30).json().get("model_versions", [])
    if versions:
        yield max(versions, key=lambda v: int(v["version"]))["version"]
        return
    created = tests.post(f"{REST}/model-versions/create", json={
        "name": MODEL, "source": f"s3://{os.environ['RANKOPS_BUCKET']}/test/service-identities/model.onnx",
        "tags": [{"key": FIXTURE_TAG, "value": "service-identities"}]}, timeout=30)
    assert created.status_code == 200, created.text
    version = created.json()["model_version"]["version"]
    try:
        yield version
    finally:
        tests.delete(f"{REST}/model-versions/delete", json={"name": MODEL, "version": version}, timeout=30)


def forged_registry_calls(version: str) -> dict[str, tuple[str, str, dict]]:
    """What whoever reaches MLflow would do to decide what buyers are served."""
    return {
        "move champion": ("POST", "registered-models/alias", {"name": MODEL, "alias": "champion", "version": version}),
        "move candidate": ("POST", "registered-models/alias", {"name": MODEL, "alias": "candidate", "version": version}),
        "delete champion": ("DELETE", "registered-models/alias", {"name": MODEL, "alias": "champion"}),
        "change the sha256 tag": ("POST", "model-versions/set-tag",
                                  {"name": MODEL, "version": version, "key": SHA_TAG, "value": "0" * 64}),
        "tag the model": ("POST", "registered-models/set-tag", {"name": MODEL, "key": "rankops.forged", "value": "1"}),
        "register a version": ("POST", "model-versions/create", {"name": MODEL, "source": "s3://elsewhere/model.onnx"}),
        "delete the version": ("DELETE", "model-versions/delete", {"name": MODEL, "version": version}),
        "delete the model": ("DELETE", "registered-models/delete", {"name": MODEL}),
    }


def attempt(session: requests.Session, method: str, path: str, body: dict) -> int:
    return session.request(method, f"{REST}/{path}", json=body, timeout=30).status_code


# ----------------------------------------------------------------------------- MLflow
def test_mlflow_refuses_anonymous_clients_and_nothing_changes(served_version):
    tests = mlflow_session(account("TEST"))
    before = registry_state(tests)
    answers = {name: attempt(mlflow_session(None), *call) for name, call in forged_registry_calls(served_version).items()}
    answers["read the model"] = mlflow_session(None).get(f"{REST}/registered-models/get", params={"name": MODEL},
                                                         timeout=30).status_code
    wrong = account("RANKER")[0], "not-the-password-" + "x" * 8
    answers["read with a wrong password"] = mlflow_session(wrong).get(f"{REST}/registered-models/get",
                                                                      params={"name": MODEL}, timeout=30).status_code
    after = registry_state(tests)

    record_figure("identities_mlflow_anonymous", {"model": MODEL, "version": served_version, "answers": answers,
                                                  "refused401": sum(s == 401 for s in answers.values()),
                                                  "attempts": len(answers), "registryUnchanged": before == after})
    assert all(status == 401 for status in answers.values()), answers
    assert before == after


@pytest.mark.parametrize("service", ["RANKER", "API"])
def test_read_only_accounts_read_the_served_model_but_cannot_change_it(service, served_version):
    tests = mlflow_session(account("TEST"))
    reader = mlflow_session(account(service))
    before = registry_state(tests)
    reads = {
        "registered model": reader.get(f"{REST}/registered-models/get", params={"name": MODEL}, timeout=30).status_code,
        "version": reader.get(f"{REST}/model-versions/get", params={"name": MODEL, "version": served_version},
                              timeout=30).status_code,
    }
    answers = {name: attempt(reader, *call) for name, call in forged_registry_calls(served_version).items()}
    after = registry_state(tests)

    record_figure(f"identities_mlflow_{service.lower()}", {"account": account(service)[0], "reads": reads,
                                                           "writes": answers,
                                                           "refused403": sum(s == 403 for s in answers.values()),
                                                           "attempts": len(answers), "registryUnchanged": before == after})
    assert reads == {"registered model": 200, "version": 200}, reads
    assert all(status == 403 for status in answers.values()), answers
    assert before == after


def test_the_worker_account_is_the_one_that_may_move_aliases():
    """The positive control: the grant the read-only accounts lack is the worker's (asked of MLflow
    as the admin, so nothing is moved to prove it)."""
    admin = mlflow_session((os.environ["RANKOPS_MLFLOW_ADMIN_USER"], os.environ["RANKOPS_MLFLOW_ADMIN_PASSWORD"]))
    levels = {}
    for service in ("WORKER", "TRAINER", "RANKER", "API"):
        answer = admin.get(f"{MLFLOW}/api/3.0/mlflow/users/permissions/get", params={
            "username": account(service)[0], "resource_type": "registered_model", "resource_id": MODEL}, timeout=30)
        assert answer.status_code == 200, answer.text
        levels[service.lower()] = answer.json()["permission"]
    # A run may name a model nobody created yet: the worker must be told "absent" (404), not 403,
    # to register its first version (MLflow answers 403 for what an account has no grant on).
    unknown = mlflow_session(account("WORKER")).get(f"{REST}/registered-models/get",
                                                    params={"name": f"identities-absent-{os.getpid()}"}, timeout=30)
    record_figure("identities_mlflow_grants", {"model": MODEL, "permission": levels,
                                               "workerReadsAnUnknownModel": unknown.status_code})
    assert levels == {"worker": "MANAGE", "trainer": "NO_PERMISSIONS", "ranker": "READ", "api": "READ"}, levels
    assert unknown.status_code == 404, unknown.text


# ----------------------------------------------------------------------------- PostgreSQL
def audit_fingerprint(connection) -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), md5(coalesce(string_agg(a::text, E'\\n' ORDER BY a.id), '')) FROM audit_log a")
        return tuple(cursor.fetchone())


def connect_as(role: str, dbname: str | None = None):
    # A trick the role is allowed to start (the owner's TRUNCATE takes the table's lock before its
    # trigger refuses) must not queue behind the API's transactions for long.
    return psycopg2.connect(host=HOST, port=os.environ["RANKOPS_PG_PORT"], user=os.environ[f"RANKOPS_PG_{role}_USER"],
                            password=os.environ[f"RANKOPS_PG_{role}_PASSWORD"],
                            dbname=dbname or os.environ["RANKOPS_PG_DB"], options="-c lock_timeout=10s")


def observer():
    """The superuser, reading only, in autocommit: it holds no lock between its reads."""
    connection = connect_db()
    connection.autocommit = True
    return connection


def refusal(connection, statement: str) -> str:
    """The first line of PostgreSQL's error, or NOT refused; rolled back either way."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
        return "NOT refused"
    except psycopg2.Error as error:
        return str(error).splitlines()[0]
    finally:
        connection.rollback()


RUNTIME_TRICKS = {
    "UPDATE": "UPDATE audit_log SET actor = 'mallory' WHERE id = (SELECT max(id) FROM audit_log)",
    "DELETE": "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
    "TRUNCATE": "TRUNCATE audit_log",
    "session_replication_role": "SET session_replication_role = replica",
    "disable the triggers": "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "disable the row trigger": "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
    "drop the trigger": "DROP TRIGGER audit_log_no_update_or_delete ON audit_log",
    "replace the trigger function": "CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger "
                                    "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "drop the table": "DROP TABLE audit_log",
    "rename the table": "ALTER TABLE audit_log RENAME TO audit_log_old",
    "create a table": "CREATE TABLE audit_log_shadow (id bigint)",
    "become the owner": f"SET ROLE \"{os.environ['RANKOPS_PG_OWNER_USER']}\"",
    # A GRANT by a role without the grant option only warns; what counts is the UPDATE after it.
    "grant itself UPDATE, then UPDATE": f"GRANT UPDATE ON audit_log TO \"{os.environ['RANKOPS_PG_API_USER']}\"; "
                                        "UPDATE audit_log SET actor = 'mallory' WHERE id = (SELECT max(id) FROM audit_log)",
}


def test_the_runtime_role_cannot_rewrite_the_audit_log_by_any_trick():
    superuser = observer()
    runtime = connect_as("API")
    try:
        with runtime.cursor() as cursor:
            cursor.execute("SELECT current_user, usesuper FROM pg_user WHERE usename = current_user")
            user, is_super = cursor.fetchone()
        before = audit_fingerprint(superuser)
        refusals, unchanged_after = {}, {}
        for name, statement in RUNTIME_TRICKS.items():
            refusals[name] = refusal(runtime, statement)
            unchanged_after[name] = audit_fingerprint(superuser) == before
        # It still does its job: reads the log and appends to it (rolled back, so the log is as it was).
        with runtime.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_log")
            cursor.execute("INSERT INTO audit_log (actor, action, subject) VALUES ('reliability', 'probe', 'identities')")
            appended = cursor.rowcount
        runtime.rollback()
        after = audit_fingerprint(superuser)
    finally:
        runtime.close()
        superuser.close()

    record_figure("identities_pg_runtime_role", {"role": user, "superuser": is_super, "entries": before[0],
                                                 "tricks": len(refusals), "refusals": refusals,
                                                 "refused": sum(m != "NOT refused" for m in refusals.values()),
                                                 "unchangedAfterEachTrick": all(unchanged_after.values()),
                                                 "appendAllowed": appended == 1, "unchanged": before == after})
    assert user == os.environ["RANKOPS_PG_API_USER"] and is_super is False
    assert all(m != "NOT refused" for m in refusals.values()), refusals
    # Refused for the right reason: no privilege or not the owner, not a typo in the statement.
    assert all(("permission denied" in m or "must be owner" in m) for m in refusals.values()), refusals
    assert all(unchanged_after.values()) and before == after
    assert appended == 1


def test_the_owner_meets_the_trigger_and_no_platform_role_is_a_superuser():
    owner = connect_as("OWNER")
    superuser = observer()
    try:
        before = audit_fingerprint(superuser)
        # A row of its own first (rolled back with the rest), so the row trigger has one to refuse
        # even on a fresh stack whose log is empty.
        probe_row = "INSERT INTO audit_log (actor, action, subject) VALUES ('reliability', 'probe', 'identities'); "
        owner_refusals = {name: refusal(owner, probe_row + RUNTIME_TRICKS[name]) for name in ("UPDATE", "DELETE", "TRUNCATE")}
        after = audit_fingerprint(superuser)
        with superuser.cursor() as cursor:
            names = [os.environ[f"RANKOPS_PG_{r}_USER"] for r in ("OWNER", "API", "MLFLOW")]
            cursor.execute("SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
                           "FROM pg_roles WHERE rolname = ANY(%s) ORDER BY rolname", (names,))
            roles = {r[0]: {"superuser": r[1], "createrole": r[2], "createdb": r[3], "bypassrls": r[4],
                            "replication": r[5]} for r in cursor.fetchall()}
            cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'audit_log'")
            audit_owner = cursor.fetchone()[0]
            cursor.execute("SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname = ANY(%s)",
                           ([os.environ["RANKOPS_PG_DB"], os.environ["RANKOPS_PG_TEST_DB"], os.environ["RANKOPS_PG_MLFLOW_DB"]],))
            database_owners = dict(cursor.fetchall())
    finally:
        owner.close()
        superuser.close()

    record_figure("identities_pg_roles", {"roles": roles, "auditLogOwner": audit_owner, "databaseOwners": database_owners,
                                          "ownerRefusals": owner_refusals, "unchanged": before == after})
    assert set(roles) == set(names)
    assert not any(any(flags.values()) for flags in roles.values()), roles
    assert audit_owner == os.environ["RANKOPS_PG_OWNER_USER"]
    assert database_owners == {os.environ["RANKOPS_PG_DB"]: os.environ["RANKOPS_PG_OWNER_USER"],
                               os.environ["RANKOPS_PG_TEST_DB"]: os.environ["RANKOPS_PG_OWNER_USER"],
                               os.environ["RANKOPS_PG_MLFLOW_DB"]: os.environ["RANKOPS_PG_MLFLOW_USER"]}
    # The owner is not limited by grants; the append-only triggers are what stop it.
    assert all("append-only" in m for m in owner_refusals.values()), owner_refusals
    assert before == after


def test_each_role_reaches_only_its_own_databases():
    attempts = {
        "runtime role -> mlflow": ("API", os.environ["RANKOPS_PG_MLFLOW_DB"]),
        "mlflow role -> rankops": ("MLFLOW", os.environ["RANKOPS_PG_DB"]),
        "mlflow role -> rankops_test": ("MLFLOW", os.environ["RANKOPS_PG_TEST_DB"]),
    }
    answers = {}
    for name, (role, dbname) in attempts.items():
        try:
            connect_as(role, dbname).close()
            answers[name] = "connected"
        except psycopg2.OperationalError as error:
            answers[name] = " ".join(str(error).split())
    # And the API really serves as its runtime role: a signed-in read leaves its connections behind.
    assert sign_in(ENGINEER).get(f"{API}/api/runs", timeout=30).status_code == 200
    superuser = observer()
    try:
        with superuser.cursor() as cursor:
            cursor.execute("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = %s AND backend_type = "
                           "'client backend' AND pid <> pg_backend_pid()", (os.environ["RANKOPS_PG_DB"],))
            users = sorted(r[0] for r in cursor.fetchall())
    finally:
        superuser.close()

    record_figure("identities_pg_connect", {"answers": answers, "usersConnectedToPlatformDb": users})
    assert all("permission denied for database" in a for a in answers.values()), answers
    assert os.environ["RANKOPS_PG_API_USER"] in users, users
