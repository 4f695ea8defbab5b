"""Security of the running API (issue #8): the session cookie, cross-site request forgery, no
credentials in any log, an audit log nothing can rewrite, and the role and four-eyes rules as the
running configuration applies them.

The Java suite covers the rules in depth (security/RbacTest, CsrfTest, AuthenticationTest,
ProductionCookieTest, runs/RunLifecycleTest); these tests prove the live stack matches.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import subprocess
import sys
import time
import uuid
from typing import Any

import psycopg2
import requests

from conftest import ADMIN, API, DEMO_PASSWORD, ENGINEER, NAMESPACE, RELEASE_MANAGER, ROOT, STATE, TEMPORAL, \
    connect_db, record_figure, sign_in, unreadable_partitions

CSRF = "X-Rankops-Csrf"
FOREIGN = "http://127.0.0.1:5500"  # another port of the same host: the same *site*, another origin
COOKIE = "rankops-session"
APPLICATION_PROPERTIES = ROOT / "services/api/src/main/resources/application.properties"
DEMO_START, DEMO_DAYS = "2026-11-01", 7
DEMO_RUN = {"modelFamily": "resflow", "regionMask": True, "window": {"start": "2026-11-01", "end": "2026-11-07"},
            "params": {"epochs": 2, "batchSize": 64, "learningRate": 0.002, "embeddingDim": 8, "patience": 1,
                       "seed": 7},
            "gate": {"k": 10, "minWeightedRecall": 0.05, "maxRegression": 1}, "device": "cpu", "trigger": "api"}
APPROVAL_WAIT = float(os.environ.get("RANKOPS_APPROVAL_WAIT_S", "480"))


def basic(username: str, password: str = DEMO_PASSWORD) -> requests.Session:
    session = requests.Session()
    session.auth = (username, password)
    return session


def audit_fingerprint(db) -> tuple[int, str]:
    with db.cursor() as cursor:
        cursor.execute("SELECT count(*), md5(coalesce(string_agg(a::text, E'\\n' ORDER BY a.id), '')) FROM audit_log a")
        return tuple(cursor.fetchone())


def schedule_body(schedule_id: str) -> dict[str, Any]:
    return {"id": schedule_id, "description": "security test", "cron": "0 3 * * MON", "windowDays": 7,
            "paused": True, "run": {"modelFamily": "mmoe"}}


def schedule_exists(session: requests.Session, schedule_id: str) -> bool:
    return session.get(f"{API}/api/schedules/{schedule_id}", timeout=30).status_code == 200


# ----------------------------------------------------------------------------- (a) the session cookie
def test_the_session_cookie_is_http_only_strict_scoped_bounded_and_secure_in_production():
    response = requests.post(f"{API}/api/session", data={"username": ENGINEER, "password": DEMO_PASSWORD},
                             headers={"Origin": API}, timeout=30)
    assert response.status_code == 200, response.text
    header = response.headers["Set-Cookie"]
    attributes = {part.split("=", 1)[0].strip().lower(): (part.split("=", 1) + [""])[1].strip()
                  for part in header.split(";")[1:]}
    checks = {
        "named rankops-session": header.startswith(f"{COOKIE}="),
        "HttpOnly": "httponly" in attributes,
        "SameSite=Strict": attributes.get("samesite", "").lower() == "strict",
        "Path=/": attributes.get("path") == "/",
        "Max-Age at most 12 h (the session's absolute lifetime)": 0 < int(attributes.get("max-age", "0") or 0) <= 12 * 3600,
        "Expires set": "expires" in attributes,
        "no Secure on plain-HTTP localhost": "secure" not in attributes,
    }
    # Secure in production: Quarkus marks the cookie Secure only for requests that reached it over TLS,
    # so the prod profile turns on RequestGuard's rankops.session.secure-cookie (proved by the Java
    # test ProductionCookieTest, which runs the API under the prod profile over plain HTTP).
    properties = APPLICATION_PROPERTIES.read_text()
    checks["%prod secure-cookie configured"] = re.search(
        r"^%prod\.rankops\.session\.secure-cookie\s*=\s*true\s*$", properties, re.M) is not None
    checks["no ignored Quarkus cookie-secure key"] = "quarkus.http.auth.form.cookie-secure" not in properties
    checks["prod-profile test exists"] = (ROOT / "services/api/src/test/java/io/rankops/api/security/"
                                                 "ProductionCookieTest.java").exists()
    record_figure("security_cookie", {"setCookie": re.sub(r"=[^;]+", "=<value>", header, count=1),
                                      "checks": checks, "checksPassed": sum(checks.values()),
                                      "checksTotal": len(checks)})
    assert all(checks.values()), checks


# ----------------------------------------------------------------------------- (b) CSRF
def test_cross_site_requests_with_the_session_cookie_are_refused(db):
    marker = uuid.uuid4().hex[:10]
    engineer = sign_in(ENGINEER)
    engineer.headers.pop(CSRF, None)  # what a forged request carries: the cookie, not the header
    observer = basic(ADMIN)
    checks: dict[str, bool] = {}
    audit_before = audit_fingerprint(db)

    # A cookie request without the header: what a forged <form> post would be.
    refused = engineer.post(f"{API}/api/schedules", json=schedule_body(f"csrf-a-{marker}"), timeout=30)
    checks["cookie without header -> 403"] = refused.status_code == 403
    checks["403 is the JSON error naming the header"] = refused.headers.get("content-type", "").startswith(
        "application/json") and CSRF in refused.json().get("detail", "")
    wrong_value = engineer.post(f"{API}/api/runs/run-absent/cancel", headers={CSRF: "true"}, timeout=30)
    checks["header with another value -> 403"] = wrong_value.status_code == 403
    # The header, but from another origin (a page on another port of this host is the same site,
    # so SameSite=Strict would have sent the cookie).
    foreign = engineer.post(f"{API}/api/schedules", json=schedule_body(f"csrf-b-{marker}"),
                            headers={CSRF: "1", "Origin": FOREIGN}, timeout=30)
    checks["foreign Origin with header -> 403"] = foreign.status_code == 403
    null_origin = engineer.post(f"{API}/api/runs/run-absent/cancel", headers={CSRF: "1", "Origin": "null"}, timeout=30)
    checks["Origin null -> 403"] = null_origin.status_code == 403
    kept = engineer.delete(f"{API}/api/session", timeout=30)
    checks["sign-out without header -> 403"] = kept.status_code == 403 and "set-cookie" not in kept.headers
    checks["nothing created"] = not schedule_exists(observer, f"csrf-a-{marker}") and not schedule_exists(
        observer, f"csrf-b-{marker}")
    checks["no audit entry"] = audit_fingerprint(db) == audit_before

    # Login CSRF: another site cannot sign the browser in to an account of its choosing.
    login = requests.post(f"{API}/api/session", data={"username": ENGINEER, "password": DEMO_PASSWORD},
                          headers={"Origin": FOREIGN}, timeout=30)
    checks["sign-in from a foreign Origin -> 403, no cookie"] = login.status_code == 403 and COOKIE not in login.cookies

    # The API grants no CORS preflight, so a foreign page cannot even send the header.
    preflight = requests.options(f"{API}/api/schedules", headers={
        "Origin": FOREIGN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": f"{CSRF.lower()},content-type"}, timeout=30)
    checks["no CORS grant for a foreign origin"] = not any(
        h.lower().startswith("access-control-allow") for h in preflight.headers)

    # Scripts with HTTP Basic and no cookie are not affected, whatever Origin they send.
    scripted = basic(ENGINEER).post(f"{API}/api/runs/run-absent/cancel", headers={"Origin": FOREIGN}, timeout=30)
    checks["Basic without cookie unaffected (404 for an unknown run)"] = scripted.status_code == 404

    # Same origin with the header: works, and changes state as asked.
    schedule_id = f"csrf-ok-{marker}"
    created = engineer.post(f"{API}/api/schedules", json=schedule_body(schedule_id), headers={CSRF: "1"}, timeout=60)
    checks["same origin with header -> 201"] = created.status_code == 201
    checks["the schedule exists"] = schedule_exists(observer, schedule_id)
    removed = engineer.delete(f"{API}/api/schedules/{schedule_id}", headers={CSRF: "1"}, timeout=60)
    checks["same origin with header -> delete 204"] = removed.status_code == 204
    with db.cursor() as cursor:
        cursor.execute("SELECT action FROM audit_log WHERE subject = %s ORDER BY id", (f"schedule:{schedule_id}",))
        checks["audited: create, delete"] = [r[0] for r in cursor.fetchall()] == ["schedule.create", "schedule.delete"]
    signed_out = engineer.delete(f"{API}/api/session", headers={CSRF: "1"}, timeout=30)
    checks["sign-out with header -> 204"] = signed_out.status_code == 204

    record_figure("security_csrf", {"checks": checks, "checksPassed": sum(checks.values()), "checksTotal": len(checks)})
    assert all(checks.values()), {k: v for k, v in checks.items() if not v}


# ----------------------------------------------------------------------------- (c) no credentials in logs
def test_no_credential_reaches_any_log():
    marker = uuid.uuid4().hex[:10]
    wrong_password = f"wrong-{marker}-pw"
    secrets: dict[str, str] = {
        "demo password": DEMO_PASSWORD,
        "RANKOPS_PG_PASSWORD": os.environ["RANKOPS_PG_PASSWORD"],
        "RANKOPS_MINIO_PASSWORD": os.environ["RANKOPS_MINIO_PASSWORD"],
        "RANKOPS_RANKER_ADMIN_PASSWORD": os.environ["RANKOPS_RANKER_ADMIN_PASSWORD"],
        "a wrong password tried": wrong_password,
    }
    exercised = 0
    # Form logins, good and bad; each good one's cookie value is a credential too.
    for user in (ENGINEER, RELEASE_MANAGER, ADMIN):
        session = sign_in(user)
        secrets[f"session cookie of {user}"] = session.cookies.get(COOKIE)
        assert session.get(f"{API}/api/me", timeout=30).status_code == 200
        exercised += 2
    for password in (wrong_password, DEMO_PASSWORD + "x", ""):
        response = requests.post(f"{API}/api/session", data={"username": ENGINEER, "password": password},
                                 headers={"Origin": API}, timeout=30)
        assert response.status_code in (400, 401)
        exercised += 1
    # HTTP Basic, good and bad: the base64 header values must not appear either.
    for user, password in ((ENGINEER, DEMO_PASSWORD), (ADMIN, DEMO_PASSWORD), (ENGINEER, wrong_password)):
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        secrets[f"Basic header of {user}" + (" (wrong)" if password != DEMO_PASSWORD else "")] = token
        response = requests.get(f"{API}/api/me", headers={"Authorization": f"Basic {token}"}, timeout=30)
        assert response.status_code == (200 if password == DEMO_PASSWORD else 401)
        exercised += 1
    # A run trigger through the whole stack (API, Temporal, worker): on a window of unreadable
    # partitions it fails fast in extraction, so nothing trains.
    window = {"start": "1991-01-01", "end": "1991-01-03"}
    unreadable_partitions(window)
    run = basic(ENGINEER).post(f"{API}/api/runs", json={"modelFamily": "mmoe", "trigger": "api", "window": window},
                               timeout=60)
    assert run.status_code == 201, run.text
    run_id = run.json()["id"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = basic(ENGINEER).get(f"{API}/api/runs/{run_id}", timeout=30).json()["run"]["status"]
        if status not in ("RUNNING", "AWAITING_APPROVAL"):
            break
        time.sleep(1)
    exercised += 1
    time.sleep(2)  # let the services flush their log lines

    logs = sorted(p for p in (STATE / "logs").rglob("*") if p.is_file())
    leaks = []
    scanned = 0
    for path in logs:
        data = path.read_bytes()
        scanned += len(data)
        for name, secret in secrets.items():
            if secret and secret.encode() in data:
                leaks.append(f"{name} in {path.relative_to(STATE)}")
    record_figure("security_logs", {"logFiles": [str(p.relative_to(STATE)) for p in logs], "bytesScanned": scanned,
                                    "secretsSearched": len(secrets), "requestsExercised": exercised,
                                    "leaks": leaks})
    assert not leaks, leaks


# ----------------------------------------------------------------------------- (d) the audit log
def test_the_audit_log_cannot_be_changed_through_the_api_or_sql(db):
    admin = sign_in(ADMIN)
    document = requests.get(f"{API}/q/openapi?format=json", timeout=30).json()
    writes_touching_audit = [f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item
                             if m in ("post", "put", "patch", "delete") and "audit" in p.lower()]
    audit_reads = [p for p, item in document["paths"].items() if "audit" in p.lower() and "get" in item]
    with db.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM audit_log")
        newest = cursor.fetchone()[0]
    assert newest is not None, "the audit log is empty; run any API test first"
    before = audit_fingerprint(db)

    # Whatever an audit endpoint would be called, no method but GET may touch it.
    candidates = sorted(set(audit_reads) | {"/api/audit", f"/api/audit/{newest}", "/api/audit-log", "/api/audit_log",
                                            f"/api/audit-log/{newest}", "/api/runs/run-absent/audit"})
    answers = {}
    for path in candidates:
        for method in ("PUT", "PATCH", "DELETE", "POST"):
            response = admin.request(method, f"{API}{path}", json={"actor": "mallory", "action": "run.approve"},
                                     timeout=30)
            answers[f"{method} {path}"] = response.status_code
    refused_over_http = all(status in (404, 405) for status in answers.values())

    # Straight to the database as the application's own user: the triggers refuse.
    sql_refusals = {}
    connection = connect_db()
    try:
        for name, statement in (
                ("UPDATE", f"UPDATE audit_log SET actor = 'mallory' WHERE id = {newest}"),
                ("DELETE", f"DELETE FROM audit_log WHERE id = {newest}"),
                ("TRUNCATE", "TRUNCATE audit_log")):
            with connection.cursor() as cursor:
                try:
                    cursor.execute(statement)
                    sql_refusals[name] = "NOT refused"
                except psycopg2.Error as error:
                    sql_refusals[name] = str(error).splitlines()[0]
                finally:
                    connection.rollback()  # whatever happened, nothing of it stays
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            user = cursor.fetchone()[0]
    finally:
        connection.close()
    after = audit_fingerprint(db)

    record_figure("security_audit", {"writeOperationsTouchingAudit": writes_touching_audit,
                                     "auditReadEndpoints": audit_reads, "httpAttempts": answers,
                                     "sqlAsUser": user, "sqlRefusals": sql_refusals,
                                     "entries": before[0], "unchanged": before == after,
                                     "checks": len(answers) + len(sql_refusals) + 2})
    assert not writes_touching_audit, writes_touching_audit
    assert refused_over_http, answers
    assert user == os.environ["RANKOPS_PG_USER"]
    assert all("append-only" in message for message in sql_refusals.values()), sql_refusals
    assert before == after


# ----------------------------------------------------------------------------- (e) roles and four eyes
# The Java RbacTest's matrix (services/api/src/test/java/io/rankops/api/security/RbacTest.java), against
# the running configuration: admitted callers reach the endpoint's own answer, others get 403, and
# anonymous callers 401. Nothing here starts a workflow.
EVERY = {ENGINEER, RELEASE_MANAGER, ADMIN}
MATRIX = [
    ("GET", "/api/me", None, EVERY, 200),
    ("GET", "/api/runs", None, EVERY, 200),
    ("POST", "/api/runs", {}, {ENGINEER, ADMIN}, 400),
    ("GET", "/api/runs/run-absent", None, EVERY, 404),
    ("POST", "/api/runs/run-absent/cancel", None, EVERY, 404),
    ("GET", "/api/runs/run-absent/events", None, EVERY, 404),
    ("POST", "/api/runs/run-absent/decision", {"approved": True}, {RELEASE_MANAGER, ADMIN}, 404),
    ("GET", "/api/approvals", None, {RELEASE_MANAGER, ADMIN}, 200),
    ("GET", "/api/runs/run-absent/rollout", None, EVERY, 404),
    ("POST", "/api/runs/run-absent/rollout/pause", {}, {RELEASE_MANAGER, ADMIN}, 404),
    ("POST", "/api/runs/run-absent/rollout/resume", {}, {RELEASE_MANAGER, ADMIN}, 404),
    ("POST", "/api/runs/run-absent/rollout/abort", {}, {RELEASE_MANAGER, ADMIN}, 404),
    ("POST", "/api/runs/run-absent/rollout/promote", {}, {RELEASE_MANAGER, ADMIN}, 404),
    ("GET", "/api/models/rbac-absent-model/versions", None, EVERY, 404),
    ("GET", "/api/schedules", None, EVERY, 200),
    ("POST", "/api/schedules", {}, {ENGINEER, ADMIN}, 400),
    ("GET", "/api/schedules/rbac-absent", None, EVERY, 404),
    ("POST", "/api/schedules/rbac-absent/pause", {}, {ENGINEER, ADMIN}, 404),
    ("POST", "/api/schedules/rbac-absent/unpause", {}, {ENGINEER, ADMIN}, 404),
    ("POST", "/api/schedules/rbac-absent/trigger", None, {ENGINEER, ADMIN}, 404),
    ("POST", "/api/schedules/rbac-absent/backfill", {"start": "2025-01-01", "end": "2025-01-07"}, {ENGINEER, ADMIN},
     404),
    ("DELETE", "/api/schedules/rbac-absent", None, {ENGINEER, ADMIN}, 404),
]


def wait_for(session: requests.Session, run_id: str, wanted: set[str], timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    run: dict[str, Any] = {}
    while time.monotonic() < deadline:
        run = session.get(f"{API}/api/runs/{run_id}", timeout=30).json()["run"]
        if run["status"] in wanted:
            return run
        if run["status"] not in ("RUNNING", "AWAITING_APPROVAL"):
            break
        time.sleep(2)
    raise AssertionError(f"run {run_id} did not reach {wanted} in {timeout:.0f} s: {run}")


def workflow_status(workflow_id: str, timeout: float) -> str:
    """Temporal's status of a workflow once it has closed (or RUNNING after the timeout)."""
    async def wait() -> str:
        from temporalio.client import Client, WorkflowExecutionStatus
        client = await Client.connect(TEMPORAL, namespace=NAMESPACE)
        deadline = time.monotonic() + timeout
        while True:
            status = (await client.get_workflow_handle(workflow_id).describe()).status
            if status != WorkflowExecutionStatus.RUNNING or time.monotonic() > deadline:
                return status.name
            await asyncio.sleep(1)
    return asyncio.run(wait())


def test_roles_and_four_eyes_hold_on_the_running_stack(db):
    sessions = {user: sign_in(user) for user in EVERY}
    anonymous = requests.Session()
    results: dict[str, tuple[int, int]] = {}
    for method, path, body, admitted, admitted_status in MATRIX:
        for caller in sorted(EVERY) + ["anonymous"]:
            session = anonymous if caller == "anonymous" else sessions[caller]
            expected = 401 if caller == "anonymous" else admitted_status if caller in admitted else 403
            kwargs: dict[str, Any] = {"timeout": 30}
            if body is not None:
                kwargs["json"] = body
            if path.endswith("/events"):
                kwargs["headers"] = {"Accept": "text/event-stream"}
            results[f"{method} {path} as {caller}"] = (expected, session.request(method, f"{API}{path}",
                                                                                 **kwargs).status_code)
    results["POST /api/status/probe as anonymous"] = (401, anonymous.post(f"{API}/api/status/probe", timeout=60)
                                                      .status_code)
    mismatches = {k: v for k, v in results.items() if v[0] != v[1]}

    # Who may run a schedule's commands, for real (a paused schedule, deleted at the end).
    marker = uuid.uuid4().hex[:10]
    schedule_id = f"rbac-{marker}"
    engineer, manager, admin = sessions[ENGINEER], sessions[RELEASE_MANAGER], sessions[ADMIN]
    lifecycle = {
        "release manager cannot create a schedule": manager.post(f"{API}/api/schedules", json=schedule_body(
            schedule_id), timeout=60).status_code == 403,
        "engineer creates a schedule": engineer.post(f"{API}/api/schedules", json=schedule_body(schedule_id),
                                                     timeout=60).status_code == 201,
    }
    lifecycle["release manager cannot unpause it"] = manager.post(
        f"{API}/api/schedules/{schedule_id}/unpause", json={}, timeout=60).status_code == 403
    lifecycle["release manager cannot trigger it"] = manager.post(
        f"{API}/api/schedules/{schedule_id}/trigger", timeout=60).status_code == 403
    lifecycle["release manager cannot delete it"] = manager.delete(
        f"{API}/api/schedules/{schedule_id}", timeout=60).status_code == 403
    lifecycle["engineer unpauses and pauses it"] = engineer.post(
        f"{API}/api/schedules/{schedule_id}/unpause", json={}, timeout=60).status_code == 200 and engineer.post(
        f"{API}/api/schedules/{schedule_id}/pause", json={"note": "rbac test"}, timeout=60).status_code == 200
    lifecycle["admin deletes it"] = admin.delete(f"{API}/api/schedules/{schedule_id}", timeout=60).status_code == 204

    # Four eyes, on a real run: the admin starts one on the demo week and may not decide it; the
    # engineer may not decide at all; neither the engineer (not the trigger) nor the release manager
    # may cancel it; the release manager decides (a rejection: nothing is promoted).
    subprocess.run([sys.executable, "-m", "rankops_world.seed_events", "--start", DEMO_START,
                    "--days", str(DEMO_DAYS)], check=True, capture_output=True, timeout=300)
    started = admin.post(f"{API}/api/runs", json=DEMO_RUN, timeout=60)
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    try:
        lifecycle["engineer cannot cancel another's run"] = engineer.post(
            f"{API}/api/runs/{run_id}/cancel", timeout=60).status_code == 403
        lifecycle["release manager cannot cancel"] = manager.post(
            f"{API}/api/runs/{run_id}/cancel", timeout=60).status_code == 403
        waited = time.monotonic()
        wait_for(admin, run_id, {"AWAITING_APPROVAL"}, APPROVAL_WAIT)
        waited = time.monotonic() - waited
        own = admin.post(f"{API}/api/runs/{run_id}/decision", json={"approved": True}, timeout=60)
        lifecycle["admin cannot approve own run (four eyes)"] = own.status_code == 403 and "four-eyes" in own.text
        lifecycle["engineer cannot approve"] = engineer.post(
            f"{API}/api/runs/{run_id}/decision", json={"approved": True}, timeout=60).status_code == 403
        decided = manager.post(f"{API}/api/runs/{run_id}/decision",
                               json={"approved": False, "comment": "security test: four eyes proven"}, timeout=60)
        lifecycle["release manager decides another's run"] = decided.status_code == 200
        lifecycle["the run ends rejected"] = wait_for(admin, run_id, {"REJECTED"}, 60)["status"] == "REJECTED"
        with db.cursor() as cursor:
            cursor.execute("SELECT action, actor FROM audit_log WHERE subject = %s ORDER BY id", (run_id,))
            actions = cursor.fetchall()
        lifecycle["audited: start, refused own decision, reject"] = [a for a, _ in actions] == [
            "run.start", "run.decision.refused", "run.reject"] and actions[-1][1] == RELEASE_MANAGER
    finally:
        run = admin.get(f"{API}/api/runs/{run_id}", timeout=30).json()["run"]
        if run["status"] in ("RUNNING", "AWAITING_APPROVAL"):
            admin.post(f"{API}/api/runs/{run_id}/cancel", timeout=60)

    # An engineer cancels their own run (the demo week, cancelled at once): accepted, and Temporal,
    # the source of truth, closes the workflow as cancelled.
    own_run = engineer.post(f"{API}/api/runs", json=DEMO_RUN, timeout=60)
    assert own_run.status_code == 201, own_run.text
    own_id = own_run.json()["id"]
    lifecycle["engineer cancels own run"] = engineer.post(f"{API}/api/runs/{own_id}/cancel", timeout=60).status_code == 202
    lifecycle["Temporal closes it cancelled"] = workflow_status(own_id, 120) == "CANCELED"
    failed_lifecycle = [k for k, v in lifecycle.items() if not v]

    record_figure("security_rbac", {"matrixChecks": len(results), "matrixMismatches": mismatches,
                                    "lifecycleChecks": len(lifecycle), "lifecycleFailures": failed_lifecycle,
                                    "secondsToAwaitApproval": round(waited, 1)})
    assert not mismatches, mismatches
    assert not failed_lifecycle, failed_lifecycle


def test_a_run_cancelled_during_an_activity_ends_cancelled():
    engineer = sign_in(ENGINEER)
    subprocess.run([sys.executable, "-m", "rankops_world.seed_events", "--start", DEMO_START,
                    "--days", str(DEMO_DAYS)], check=True, capture_output=True, timeout=300)
    started = engineer.post(f"{API}/api/runs", json=DEMO_RUN, timeout=60)
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    assert engineer.post(f"{API}/api/runs/{run_id}/cancel", timeout=60).status_code == 202
    temporal = workflow_status(run_id, 120)
    # The workflow writes its last step record on the way out; the row follows within moments.
    row = wait_for(engineer, run_id, {"CANCELLED"}, 30)["status"]
    record_figure("security_cancel_projection", {"temporalStatus": temporal, "rowStatus": row})
    assert temporal == "CANCELED"
    assert row == "CANCELLED", f"Temporal says {temporal}, the run's row says {row}"
