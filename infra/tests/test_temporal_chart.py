"""The chart's Temporal authentication values (docs/deploy.md, "Temporal authentication"): they set
the variables the services read, for the Temporal clients only, and refuse what the services would.

    HELM=/path/to/helm .rankops/venv/bin/python -m pytest -q infra/tests
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_deploy_files import ROOT, by_kind, container_env, deployment, render

sys.path.insert(0, str(ROOT / "services" / "trainer"))
from rankops_trainer import temporal_client  # noqa: E402

CLIENTS = ("api", "worker", "trainer")
ENDPOINT = {"RANKOPS_TEMPORAL_TARGET", "RANKOPS_TEMPORAL_NAMESPACE", "RANKOPS_TEMPORAL_UI_URL"}
CLOUD_API_KEY = ["externalTemporal.tls=true", "externalTemporal.apiKey.existingSecret=temporal-cloud"]
SELF_HOSTED_MTLS = ["externalTemporal.tls=true", "externalTemporal.serverName=temporal-frontend.temporal",
                    "externalTemporal.certificates.existingSecret=temporal-client-tls",
                    "externalTemporal.certificates.caCertKey=ca.crt",
                    "externalTemporal.certificates.clientCertKey=tls.crt",
                    "externalTemporal.certificates.clientKeyKey=tls.key"]


def temporal_env(docs: list[dict], component: str) -> dict[str, str]:
    env, _ = container_env(docs, component)
    return {k: v for k, v in env.items() if k.startswith("RANKOPS_TEMPORAL_") and k not in ENDPOINT}


def mounts(docs: list[dict], component: str) -> tuple[list[dict], list[dict]]:
    pod = deployment(docs, component)["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    return ([m for m in container["volumeMounts"] if m["name"] == "temporal-certificates"],
            [v for v in pod["volumes"] if v["name"] == "temporal-certificates"])


def test_by_default_temporal_is_plaintext_without_credentials() -> None:
    docs = render()
    for component in CLIENTS:
        assert temporal_env(docs, component) == {temporal_client.TLS: "false"}, component
        assert mounts(docs, component) == ([], []), component


def test_temporal_cloud_api_key_comes_from_its_secret_for_the_temporal_clients_only() -> None:
    docs = render(*CLOUD_API_KEY)
    for component in CLIENTS:
        env = temporal_env(docs, component)
        assert env == {temporal_client.TLS: "true", temporal_client.API_KEY: "<secret temporal-cloud/api-key>"}
        assert mounts(docs, component) == ([], [])
    assert temporal_client.API_KEY not in container_env(docs, "ranker")[0]
    (config,) = by_kind(docs, "ConfigMap").values()
    assert temporal_client.API_KEY not in config["data"], "a credential in the ConfigMap"


def test_self_hosted_mtls_mounts_the_certificates_and_names_their_paths() -> None:
    docs = render(*SELF_HOSTED_MTLS)
    for component in CLIENTS:
        assert temporal_env(docs, component) == {
            temporal_client.TLS: "true", temporal_client.SERVER_NAME: "temporal-frontend.temporal",
            temporal_client.CA_CERT: "/etc/rankops/temporal/ca.crt",
            temporal_client.CLIENT_CERT: "/etc/rankops/temporal/tls.crt",
            temporal_client.CLIENT_KEY: "/etc/rankops/temporal/tls.key"}, component
        (mount,), (volume,) = mounts(docs, component)
        assert mount == {"name": "temporal-certificates", "mountPath": "/etc/rankops/temporal", "readOnly": True}
        assert volume["secret"]["secretName"] == "temporal-client-tls"
    assert mounts(docs, "ranker") == ([], [])


def test_the_chart_sets_only_variables_the_services_read() -> None:
    docs = render(*SELF_HOSTED_MTLS, "externalTemporal.apiKey.existingSecret=temporal-cloud")
    for component in CLIENTS:
        assert set(temporal_env(docs, component)) <= set(temporal_client.ALL), component


@pytest.mark.parametrize("values", [
    ["externalTemporal.apiKey.existingSecret=temporal-cloud"],
    ["externalTemporal.certificates.existingSecret=s", "externalTemporal.certificates.caCertKey=ca.crt"],
    ["externalTemporal.tls=true", "externalTemporal.certificates.existingSecret=s",
     "externalTemporal.certificates.clientCertKey=tls.crt"],
    ["externalTemporal.tls=true", "externalTemporal.certificates.caCertKey=ca.crt"],
], ids=["api-key-without-tls", "certificates-without-tls", "cert-without-key", "key-without-secret"])
def test_combinations_the_services_would_refuse_do_not_render(values: list[str]) -> None:
    with pytest.raises(subprocess.CalledProcessError) as failed:
        render(*values)
    assert "externalTemporal" in failed.value.stderr


def test_the_trainer_accepts_what_the_chart_renders(tmp_path: Path) -> None:
    # The chart's env with the mounted files made real: the trainer's own checks pass on it.
    docs = render(*SELF_HOSTED_MTLS)
    env = temporal_env(docs, "trainer")
    for variable in (temporal_client.CA_CERT, temporal_client.CLIENT_CERT):
        path = tmp_path / Path(env[variable]).name
        path.write_text("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n")
        env[variable] = str(path)
    key = tmp_path / "tls.key"
    key.write_text("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n")
    env[temporal_client.CLIENT_KEY] = str(key)
    auth = temporal_client.TemporalAuth.from_env(env)
    assert auth.describe() == "mutual TLS, private CA, server name temporal-frontend.temporal"
