"""Checks on the deployment files that need no Docker engine and no cluster.

    .rankops/venv/bin/python -m pytest -q infra/tests

Reads infra/compose.yaml, the Dockerfiles, and the Helm chart rendered by `helm template`
(`helm` on PATH or $HELM; the chart tests are skipped, saying so, when there is none). The
variables each Quarkus service needs come from its application.properties, so adding a
`${RANKOPS_...}` there without providing it in compose and the chart fails here.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "infra" / "compose.yaml"
CHART = ROOT / "infra" / "helm" / "rankops"
LOCAL_ENV = ROOT / "infra" / "local" / "rankops.env"
JAVA_SERVICES = ("api", "worker", "ranker")
ALL_SERVICES = JAVA_SERVICES + ("trainer",)

# ---------------------------------------------------------------- helpers


def read_env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


_VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


class MissingVariable(KeyError):
    pass


def interpolate(value, env: dict[str, str]):
    """Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, $$ -> $."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group(1), match.group(2), match.group(3)
        current = env.get(name)
        if op in (":-", "-"):
            return current if current else (arg or "")
        if op in (":?", "?"):
            if not current:
                raise MissingVariable(f"{name}: {arg}")
            return current
        return current or ""

    return _VAR.sub(one, value)


def compose_env() -> dict[str, str]:
    """The documented local quick start: infra/local/rankops.env plus a session key."""
    return {**read_env_file(LOCAL_ENV), "RANKOPS_RANKER_ADMIN_PASSWORD": "y" * 32}


def load_compose(env: dict[str, str] | None = None) -> dict:
    raw = yaml.safe_load(COMPOSE.read_text())  # safe_load resolves anchors and << merges
    return interpolate(raw, compose_env() if env is None else env)


def as_env_dict(environment) -> dict[str, str]:
    if environment is None:
        return {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return {k: "" if v is None else str(v) for k, v in environment.items()}


QUARKUS_DOCKERFILE = ROOT / "services" / "quarkus.Dockerfile"
#: The build arguments each Quarkus image is built with (compose passes the same, a test checks).
QUARKUS_BUILD_ARGS = {"api": {"SERVICE": "api", "PORT": "8080"}, "worker": {"SERVICE": "worker", "PORT": "8081"},
                      "ranker": {"SERVICE": "ranker", "PORT": "8082"}}


def dockerfile(service: str) -> str:
    """The Dockerfile a service is built from, with its build arguments filled in."""
    if service not in QUARKUS_BUILD_ARGS:
        return (ROOT / "services" / service / "Dockerfile").read_text()
    text = QUARKUS_DOCKERFILE.read_text()
    for arg, value in QUARKUS_BUILD_ARGS[service].items():
        text = text.replace("${" + arg + "}", value)
    return text


def dockerfile_env(service: str) -> dict[str, str]:
    """ENV of the final stage (continuation lines joined)."""
    text = dockerfile(service).replace("\\\n", " ")
    final = text[text.rindex("\nFROM "):]
    env: dict[str, str] = {}
    for line in final.splitlines():
        if line.startswith("ENV "):
            for key, value in re.findall(r'([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)', line[4:]):
                env[key] = value.strip('"')
    return env


# ------------------------------------------- what the Quarkus services need


def env_name(prop: str) -> str:
    """MicroProfile Config's environment-variable form of a property name."""
    return re.sub(r"[^A-Za-z0-9]", "_", prop).upper()


def active_prod_properties(service: str) -> dict[str, str]:
    """Properties that apply under the prod profile: %prod.x wins over x; other profiles drop out."""
    props: dict[str, str] = {}
    prod: dict[str, str] = {}
    path = ROOT / "services" / service / "src" / "main" / "resources" / "application.properties"
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key.startswith("%prod."):
            prod[key[len("%prod."):]] = value
        elif not key.startswith("%"):
            props[key] = value
    props.update(prod)
    return props


def unmet_requirements(service: str, provided: dict[str, str]) -> list[str]:
    """Each active property whose ${VAR} (without a default) is not provided, unless the
    property itself is set through its environment name (as compose and the chart do for
    endpoints: RANKOPS_TEMPORAL_TARGET instead of RANKOPS_HOST + RANKOPS_TEMPORAL_PORT)."""
    missing = []
    for prop, value in active_prod_properties(service).items():
        if env_name(prop) in provided:
            continue
        for var, default in re.findall(r"\$\{([A-Z0-9_]+)(:[^}]*)?\}", value):
            if not default and var not in provided:
                missing.append(f"{prop} needs {var}")
    return missing


def credentials_on_local_defaults(service: str, provided: dict[str, str]) -> list[str]:
    """Password-like variables that have a local default in the properties but are not provided:
    the container would run with a credential that is in git."""
    found = []
    for prop, value in active_prod_properties(service).items():
        for var, default in re.findall(r"\$\{([A-Z0-9_]+)(:[^}]*)?\}", value):
            if len(default) > 1 and re.search(r"PASSWORD|SECRET|_KEY$", var) and var not in provided \
                    and env_name(prop) not in provided:
                found.append(var)
    return found


def test_requirements_come_from_the_properties_files() -> None:
    # The parser sees what the services really read; a regression here would make the
    # coverage tests below vacuous.
    api = active_prod_properties("api")
    assert api["rankops.session.secure-cookie"] == "true"  # sessions live in PostgreSQL: no cookie key
    assert api["rankops.demo-users.enabled"] == "false"  # %prod wins
    assert "quarkus.datasource.jdbc.url" in api
    assert unmet_requirements("worker", {}), "an empty environment must be reported"


# ---------------------------------------------------------------- compose


def test_compose_refuses_to_start_without_secrets() -> None:
    env = compose_env()
    for secret in ("RANKOPS_PG_PASSWORD", "RANKOPS_MINIO_PASSWORD", "RANKOPS_RANKER_FEEDBACK_PASSWORD",
                   "RANKOPS_RANKER_ADMIN_PASSWORD", "RANKOPS_PG_OWNER_PASSWORD", "RANKOPS_PG_API_PASSWORD",
                   "RANKOPS_PG_MLFLOW_PASSWORD", "RANKOPS_MLFLOW_ADMIN_PASSWORD", "RANKOPS_MLFLOW_FLASK_SECRET",
                   *(f"RANKOPS_MLFLOW_{s}_PASSWORD" for s in MLFLOW_ACCOUNT_VARS)):
        without = {k: v for k, v in env.items() if k != secret}
        with pytest.raises(MissingVariable, match=secret):
            load_compose(without)


def test_compose_images_are_pinned() -> None:
    for name, service in load_compose()["services"].items():
        image = service.get("image")
        assert image, f"{name}: no image name (built images need a tag too)"
        repo, _, tag = image.rpartition(":")
        assert repo and tag and "/" not in tag, f"{name}: image {image!r} has no tag"
        assert tag != "latest", f"{name}: image {image!r} is not pinned"
        inline = (service.get("build") or {}).get("dockerfile_inline", "")
        for base in re.findall(r"^FROM\s+(\S+)", inline, re.M):
            assert ":" in base and not base.endswith(":latest"), f"{name}: base {base} is not pinned"


def one_shot_jobs(services: dict) -> set[str]:
    return {dep for s in services.values() for dep, cond in (s.get("depends_on") or {}).items()
            if isinstance(cond, dict) and cond.get("condition") == "service_completed_successfully"}


def test_compose_services_have_healthchecks_and_wait_for_healthy_dependencies() -> None:
    services = load_compose()["services"]
    jobs = one_shot_jobs(services)
    assert jobs == {"minio-setup", "mlflow-setup"}
    for name, service in services.items():
        if name in jobs:
            assert service.get("restart") == "no", f"{name}: a one-shot job must not restart"
            continue
        check = service.get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), f"{name}: no healthcheck"
        for dep, cond in (service.get("depends_on") or {}).items():
            assert dep in services, f"{name} depends on unknown {dep}"
            wanted = "service_completed_successfully" if dep in jobs else "service_healthy"
            assert cond.get("condition") == wanted, f"{name} -> {dep}: condition {cond}"


def test_compose_publishes_ports_on_loopback_only() -> None:
    for name, service in load_compose()["services"].items():
        for port in service.get("ports") or []:
            spec = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port.get('published')}"
            assert str(spec).startswith("127.0.0.1:"), f"{name}: port {port} is not bound to 127.0.0.1"


def compose_service_env(services: dict, name: str) -> dict[str, str]:
    return {**dockerfile_env(name), **as_env_dict(services[name].get("environment"))}


@pytest.mark.parametrize("service", JAVA_SERVICES)
def test_compose_gives_each_quarkus_service_what_it_reads(service: str) -> None:
    env = compose_service_env(load_compose()["services"], service)
    assert unmet_requirements(service, env) == []
    assert env.get("QUARKUS_HTTP_HOST") == "0.0.0.0", "in a container Quarkus must not bind 127.0.0.1"
    assert env.get("QUARKUS_PROFILE", "prod") == "prod"
    assert "RANKOPS_DEMO_USERS" not in env and "RANKOPS_DEMO_PASSWORD" not in env
    assert not credentials_on_local_defaults(service, env)


def test_only_the_api_is_given_database_credentials() -> None:
    # One writer per table: the run ledger (pipeline_run, run_step_event, audit_log) is the API's.
    compose = load_compose()["services"]
    rendered = render()
    for service in ("worker", "ranker", "trainer"):
        for env in (compose_service_env(compose, service), container_env(rendered, service)[0]):
            assert not [k for k in env if k.startswith("RANKOPS_PG_") and k != "RANKOPS_PG_DB"], service
        if service != "trainer":
            assert not [p for p in active_prod_properties(service) if p.startswith("quarkus.datasource")], service
    # The API has its runtime role and the schema owner (Flyway), never the superuser.
    api_database_vars = {"RANKOPS_PG_API_USER", "RANKOPS_PG_API_PASSWORD", "RANKOPS_PG_OWNER_USER", "RANKOPS_PG_OWNER_PASSWORD"}
    for env in (compose_service_env(compose, "api"), container_env(rendered, "api")[0]):
        assert api_database_vars <= env.keys()
        assert not {"RANKOPS_PG_USER", "RANKOPS_PG_PASSWORD"} & env.keys()
    api = active_prod_properties("api")
    assert api["quarkus.datasource.username"] == "${RANKOPS_PG_API_USER}"
    assert api["quarkus.flyway.username"] == "${RANKOPS_PG_OWNER_USER}"
    assert api["quarkus.flyway.placeholders.runtime_role"] == api["quarkus.datasource.username"]


#: Each service's MLflow account: the variables it reads them from.
MLFLOW_ACCOUNT_VARS = {"API": "api", "WORKER": "worker", "RANKER": "ranker", "TRAINER": "trainer"}


def mlflow_credential_vars(env: dict[str, str]) -> set[str]:
    return {k for k in env if re.fullmatch(r"(RANKOPS_MLFLOW_[A-Z]+_(USER|PASSWORD)|MLFLOW_TRACKING_(USERNAME|PASSWORD))", k)}


def own_mlflow_vars(service: str) -> set[str]:
    if service == "trainer":  # MLflow's Python client reads these two names
        return {"MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"}
    return {f"RANKOPS_MLFLOW_{service.upper()}_USER", f"RANKOPS_MLFLOW_{service.upper()}_PASSWORD"}


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_each_service_gets_only_its_own_mlflow_account(service: str) -> None:
    compose_env_ = compose_service_env(load_compose()["services"], service)
    chart_env, refs = container_env(render(), service)
    for where, env in (("compose", compose_env_), ("chart", chart_env)):
        assert mlflow_credential_vars(env) == own_mlflow_vars(service), f"{where}: {service}"
        assert all(env[v] for v in own_mlflow_vars(service)), f"{where}: {service} has an empty MLflow credential"
    mlflow_secrets = {r["name"] for r in refs if "mlflow" in r["name"]}
    assert mlflow_secrets == {f"rankops-mlflow-{service}"}, mlflow_secrets
    if service != "trainer":
        props = active_prod_properties(service)
        assert props["rankops.mlflow.username"] == "${RANKOPS_MLFLOW_%s_USER}" % service.upper()
        assert props["rankops.mlflow.password"] == "${RANKOPS_MLFLOW_%s_PASSWORD}" % service.upper()


def test_the_compose_mlflow_server_requires_accounts_and_reads_no_superuser() -> None:
    services = load_compose()["services"]
    mlflow = services["mlflow"]
    command = " ".join(mlflow["command"])
    assert "--app-name basic-auth" in command
    env = as_env_dict(mlflow["environment"])
    assert env["PGUSER"] == read_env_file(LOCAL_ENV)["RANKOPS_PG_MLFLOW_USER"] and "PG_PASSWORD" not in env
    auth = (ROOT / "infra" / "local" / "mlflow-auth.ini").read_text()
    assert re.search(r"^default_permission = NO_PERMISSIONS$", auth, re.M)
    # The accounts job creates every service's account, so it has every password and the admin's.
    setup = as_env_dict(services["mlflow-setup"]["environment"])
    for variable in MLFLOW_ACCOUNT_VARS:
        assert setup[f"RANKOPS_MLFLOW_{variable}_PASSWORD"]
    assert setup["RANKOPS_MLFLOW_ADMIN_PASSWORD"] and "RANKOPS_MLFLOW_TEST_USER" not in setup


def test_a_missing_variable_is_caught() -> None:
    services = load_compose()["services"]
    broken = copy.deepcopy(services)
    del broken["api"]["environment"]["RANKOPS_MLFLOW_TRACKING_URI"]
    assert unmet_requirements("api", compose_service_env(broken, "api")) == [
        "rankops.mlflow.tracking-uri needs RANKOPS_HOST", "rankops.mlflow.tracking-uri needs RANKOPS_MLFLOW_PORT"]


def test_compose_trainer_reserves_a_gpu() -> None:
    services = load_compose()["services"]
    devices = services["trainer"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    assert services["trainer"]["profiles"] == ["gpu"] and services["trainer-cpu"]["profiles"] == ["cpu"]




def trainer_settings(env: dict[str, str]):
    sys.path.insert(0, str(ROOT / "services" / "trainer"))
    from rankops_trainer.config import StackSettings

    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return StackSettings.from_env()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_compose_trainer_reaches_the_stack_by_service_name() -> None:
    settings = trainer_settings(as_env_dict(load_compose()["services"]["trainer"]["environment"]))
    assert settings.temporal_target == "temporal:7233"
    assert settings.minio_endpoint == "minio:9000"
    assert settings.mlflow_tracking_uri == "http://mlflow:5500"


# ---------------------------------------------------------------- Dockerfiles


def base_images(text: str) -> list[str]:
    args = dict(re.findall(r"^ARG\s+([A-Z_]+)=(\S+)", text, re.M))
    bases = []
    for ref in re.findall(r"^FROM\s+(\S+)", text, re.M):
        ref = re.sub(r"\$\{?([A-Z_]+)\}?", lambda m: args.get(m.group(1), m.group(0)), ref)
        bases.append(ref)
    return bases


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_dockerfiles_pin_bases_and_run_as_non_root(service: str) -> None:
    text = dockerfile(service)
    stages = set(re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, re.M | re.I))
    for base in base_images(text):
        if base in stages:
            continue
        assert "$" not in base, f"{service}: unresolved base {base}"
        name, _, tag = base.rpartition(":")
        assert name and tag and tag != "latest" and "/" not in tag, f"{service}: base {base} is not pinned"
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users, f"{service}: no USER"
    assert users[-1].split(":")[0] not in ("root", "0"), f"{service}: runs as {users[-1]}"
    assert re.search(r"^HEALTHCHECK\s", text, re.M), f"{service}: no HEALTHCHECK"


@pytest.mark.parametrize("service", JAVA_SERVICES)
def test_quarkus_images_are_layered_and_health_checked(service: str) -> None:
    text = dockerfile(service)
    assert f"./mvnw -B -ntp -pl services/{service} -am package -DskipTests" in text
    for layer in ("lib/", "*.jar", "app/", "quarkus/"):
        assert f"target/quarkus-app/{layer}" in text
    assert "/q/health/ready" in text
    env = dockerfile_env(service)
    assert env["QUARKUS_HTTP_HOST"] == "0.0.0.0" and env["QUARKUS_PROFILE"] == "prod"
    port = env["QUARKUS_HTTP_PORT"]
    assert port == QUARKUS_BUILD_ARGS[service]["PORT"]
    assert re.search(rf"^EXPOSE {port}$", text, re.M)


def test_the_three_quarkus_images_come_from_one_dockerfile() -> None:
    compose = load_compose()["services"]
    for service, args in QUARKUS_BUILD_ARGS.items():
        build = compose[service]["build"]
        assert build["dockerfile"] == "services/quarkus.Dockerfile", service
        assert {k: str(v) for k, v in build["args"].items()} == args, service
        assert not (ROOT / "services" / service / "Dockerfile").exists(), f"{service} has a Dockerfile of its own"
    text = QUARKUS_DOCKERFILE.read_text()
    # Only the API's image runs npm: the web UI stage is reached through extras-api alone.
    assert re.search(r"^FROM web AS extras-api$", text, re.M)
    assert re.search(r"^FROM extras-\$\{SERVICE\} AS extras$", text, re.M)
    assert not re.search(r"^ARG SERVICE=", text, re.M), "SERVICE has no default: a build must name it"


def test_api_image_builds_the_web_ui_first() -> None:
    text = dockerfile("api")
    web = text.index("npm ci")
    assert web < text.index("npm run build") < text.index("./mvnw")
    assert "cp -r /src/services/api/src/main/resources/META-INF/resources /out/services/api/" in text
    assert text.index("COPY --from=extras /out/ ./") < text.index("./mvnw")


def test_trainer_base_has_the_pinned_torch_and_pip_leaves_it_alone() -> None:
    text = dockerfile("trainer")
    deps = tomllib.loads((ROOT / "services" / "trainer" / "pyproject.toml").read_text())["project"]["dependencies"]
    torch_pin = next(d for d in deps if d.startswith("torch==")).split("==")[1]
    (base,) = base_images(text)
    assert re.fullmatch(rf"pytorch/pytorch:{re.escape(torch_pin)}-cuda12\.\d+-cudnn9-runtime", base), base
    assert "pip install --no-deps ." in text
    assert 'ENTRYPOINT ["python", "-m", "rankops_trainer.worker"]' in text


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".rankops", ".git", "**/node_modules", "**/target"} <= ignored


# ---------------------------------------------------------------- Helm chart


def helm() -> str:
    found = os.environ.get("HELM") or shutil.which("helm")
    if not found:
        pytest.skip("no helm binary (set HELM=/path/to/helm): chart not rendered, chart checks skipped")
    return found


DEV_SECRETS = ["secrets.create=true", "secrets.values.postgresUsername=u", "secrets.values.postgresPassword=p",
               "secrets.values.objectStoreAccessKey=a", "secrets.values.objectStoreSecretKey=s",
               "secrets.values.rankerAdminPassword=r", "secrets.values.rankerFeedbackPassword=f",
               "secrets.values.postgresOwnerUsername=o", "secrets.values.postgresOwnerPassword=op",
               "secrets.values.mlflowApiPassword=m1", "secrets.values.mlflowWorkerPassword=m2",
               "secrets.values.mlflowRankerPassword=m3", "secrets.values.mlflowTrainerPassword=m4"]


def render(*sets: str) -> list[dict]:
    args = [helm(), "template", "rk", str(CHART)]
    for item in sets:
        args += ["--set", item]
    out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def deployment(docs: list[dict], component: str) -> dict:
    (dep,) = [d for d in docs if d["kind"] == "Deployment"
              and d["metadata"]["labels"]["app.kubernetes.io/component"] == component]
    return dep


def container_env(docs: list[dict], component: str) -> tuple[dict[str, str], list[dict]]:
    """(env a container sees: ConfigMap values and placeholders for secret refs, secretKeyRefs)."""
    (container,) = deployment(docs, component)["spec"]["template"]["spec"]["containers"]
    configmaps = by_kind(docs, "ConfigMap")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(configmaps[source["configMapRef"]["name"]]["data"])
    refs = []
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            refs.append(ref)
            env[item["name"]] = f"<secret {ref['name']}/{ref['key']}>"
    return env, refs


def test_chart_renders_with_defaults_and_refuses_latest() -> None:
    docs = render()
    kinds = sorted(d["kind"] for d in docs)
    assert kinds.count("Deployment") == 4 and kinds.count("HorizontalPodAutoscaler") == 3
    assert "Secret" not in kinds and "ScaledObject" not in kinds  # both opt-in
    with pytest.raises(subprocess.CalledProcessError):
        render("image.tag=latest")


@pytest.mark.parametrize("service", JAVA_SERVICES)
def test_chart_gives_each_quarkus_service_what_it_reads(service: str) -> None:
    env, _ = container_env(render(), service)
    assert unmet_requirements(service, env) == []
    assert not credentials_on_local_defaults(service, env)
    assert env["QUARKUS_HTTP_HOST"] == "0.0.0.0" and env["QUARKUS_PROFILE"] == "prod"


def declared_secret_keys() -> dict[str, set[str]]:
    spec = yaml.safe_load((CHART / "values.yaml").read_text())["secrets"]
    return {entry["existingSecret"]: {v for k, v in entry.items() if k.endswith("Key")}
            for name, entry in spec.items() if isinstance(entry, dict) and "existingSecret" in entry}


def test_chart_secret_references_resolve() -> None:
    declared = declared_secret_keys()
    rendered_secrets = by_kind(render(*DEV_SECRETS), "Secret")
    for component in ALL_SERVICES:
        _, refs = container_env(render(), component)
        for ref in refs:
            assert ref["key"] in declared.get(ref["name"], set()), f"{component}: {ref} is not declared in values"
            assert ref["key"] in rendered_secrets[ref["name"]]["stringData"], f"{component}: {ref} not rendered"
    # Config stays out of Secrets and secrets out of the ConfigMap.
    (config,) = by_kind(render(), "ConfigMap").values()
    assert not {k for k in config["data"] if re.search(r"PASSWORD|SECRET|_KEY$", k)}, config["data"]


@pytest.mark.parametrize("service", JAVA_SERVICES)
def test_chart_quarkus_probes_security_and_autoscaling(service: str) -> None:
    docs = render()
    pod = deployment(docs, service)["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/q/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/q/health/ready"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert not container["image"].endswith(":latest")
    hpas = [h for h in by_kind(docs, "HorizontalPodAutoscaler").values()
            if h["spec"]["scaleTargetRef"]["name"] == deployment(docs, service)["metadata"]["name"]]
    assert len(hpas) == 1 and hpas[0]["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    services = [s for s in by_kind(docs, "Service").values()
                if s["spec"]["selector"].get("app.kubernetes.io/component") == service]
    assert len(services) == 1


def test_chart_trainer_runs_on_gpu_nodes() -> None:
    pod = deployment(render(), "trainer")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["resources"]["requests"]["nvidia.com/gpu"] >= 1
    assert container["resources"]["limits"]["nvidia.com/gpu"] == container["resources"]["requests"]["nvidia.com/gpu"]
    assert pod["nodeSelector"] and any(t["key"] == "nvidia.com/gpu" for t in pod["tolerations"])
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_chart_keda_scales_trainers_on_the_training_backlog() -> None:
    docs = render("trainer.keda.enabled=true")
    (scaled,) = by_kind(docs, "ScaledObject").values()
    assert scaled["spec"]["scaleTargetRef"]["name"] == deployment(docs, "trainer")["metadata"]["name"]
    assert "replicas" not in deployment(docs, "trainer")["spec"]  # KEDA owns the count
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "temporal"
    assert trigger["metadata"]["taskQueue"] == "training" and trigger["metadata"]["queueTypes"] == "activity"


def test_chart_trainer_reaches_the_stack() -> None:
    env, _ = container_env(render(), "trainer")
    settings = trainer_settings(env)
    assert settings.temporal_target == "temporal-frontend.temporal.svc.cluster.local:7233"
    assert settings.mlflow_tracking_uri == "http://mlflow.mlops.svc.cluster.local:5000"
