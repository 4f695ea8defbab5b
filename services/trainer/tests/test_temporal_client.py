"""The trainer's Temporal connection settings: the same variables as the Java services, the same
refusals, and real TLS handshakes against a local server with a CA made for the test."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import ssl
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.service import RetryConfig

from rankops_trainer import temporal_client
from rankops_trainer.temporal_client import TemporalAuth, TemporalSettingsError, connect

JAVA = (Path(__file__).resolve().parents[3]
        / "platform/src/main/java/io/rankops/platform/temporal/TemporalVariables.java")
SERVER_NAME = "temporal.rankops.test"
CLIENT_NAME = "rankops-trainer"


def test_the_variables_are_the_java_services_variables() -> None:
    java = dict(re.findall(r'public static final String (\w+) = "([^"]*)";', JAVA.read_text(encoding="utf-8")))
    python = {name: getattr(temporal_client, name) for name in dir(temporal_client)
              if name.isupper() and isinstance(getattr(temporal_client, name), str)}
    assert java and python == java, "temporal_client.py and TemporalVariables.java disagree"
    assert set(temporal_client.ALL) == set(java.values())


# ------------------------------------------------------------------ settings from the environment


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A throwaway CA (and a second, unrelated one) with a server and a client certificate."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not on PATH: the TLS tests need it")
    d = tmp_path_factory.mktemp("certs")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=30)

    def key_and_csr(name: str) -> None:
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", f"{name}.key", "-subj", f"/CN={name}", "-out", f"{name}.csr")

    for ca in ("ca", "other-ca"):
        key_and_csr(ca)
        (d / f"{ca}.ext").write_text("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
        openssl("x509", "-req", "-in", f"{ca}.csr", "-signkey", f"{ca}.key", "-days", "1",
                "-extfile", f"{ca}.ext", "-out", f"{ca}.pem")
    leaves = {"server": f"subjectAltName=DNS:{SERVER_NAME}\nextendedKeyUsage=serverAuth\n",
              CLIENT_NAME: "extendedKeyUsage=clientAuth\n"}
    for i, (name, extensions) in enumerate(leaves.items()):
        key_and_csr(name)
        (d / f"{name}.ext").write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                       + extensions)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial",
                str(1000 + i), "-days", "1", "-extfile", f"{name}.ext", "-out", f"{name}.pem")
    return {"ca": d / "ca.pem", "other_ca": d / "other-ca.pem", "server_cert": d / "server.pem",
            "server_key": d / "server.key", "client_cert": d / f"{CLIENT_NAME}.pem",
            "client_key": d / f"{CLIENT_NAME}.key", "dir": d}


def mtls_env(certs: dict[str, Path]) -> dict[str, str]:
    return {temporal_client.TLS: "true", temporal_client.CA_CERT: str(certs["ca"]),
            temporal_client.CLIENT_CERT: str(certs["client_cert"]),
            temporal_client.CLIENT_KEY: str(certs["client_key"]), temporal_client.SERVER_NAME: SERVER_NAME}


def test_with_nothing_set_the_connection_is_plaintext_without_credentials() -> None:
    auth = TemporalAuth.from_env({})
    assert auth == TemporalAuth(tls=None, api_key=None)
    assert auth.describe() == "plaintext"
    # What a chart renders for an unset value is unset too.
    assert TemporalAuth.from_env(dict.fromkeys(temporal_client.ALL, "")) == auth


def test_mutual_tls_reads_the_files_into_the_tls_config(certs: dict[str, Path]) -> None:
    auth = TemporalAuth.from_env(mtls_env(certs))
    assert auth.tls is not None
    assert auth.tls.server_root_ca_cert == certs["ca"].read_bytes()
    assert auth.tls.client_cert == certs["client_cert"].read_bytes()
    assert auth.tls.client_private_key == certs["client_key"].read_bytes()
    assert auth.tls.domain == SERVER_NAME
    assert auth.api_key is None
    assert auth.describe() == f"mutual TLS, private CA, server name {SERVER_NAME}"


def test_tls_alone_trusts_the_system_store_and_carries_the_api_key() -> None:
    auth = TemporalAuth.from_env({temporal_client.TLS: "TRUE", temporal_client.API_KEY: "cloud-key"})
    assert auth.tls is not None and auth.tls.server_root_ca_cert is None and auth.tls.client_cert is None
    assert auth.api_key == "cloud-key"
    assert auth.describe() == "TLS, system trust store, API key"


def test_an_api_key_over_plaintext_is_refused_unless_allowed_for_a_local_test() -> None:
    with pytest.raises(TemporalSettingsError, match="RANKOPS_TEMPORAL_API_KEY is set but RANKOPS_TEMPORAL_TLS") as e:
        TemporalAuth.from_env({temporal_client.API_KEY: "cloud-key"})
    assert "cloud-key" not in str(e.value) and "RANKOPS_TEMPORAL_ALLOW_PLAINTEXT_API_KEY=true" in str(e.value)
    allowed = TemporalAuth.from_env({temporal_client.API_KEY: "k", temporal_client.ALLOW_PLAINTEXT_API_KEY: "true"})
    assert allowed == TemporalAuth(tls=None, api_key="k")


@pytest.mark.parametrize("variable", ["CA_CERT", "CLIENT_CERT", "CLIENT_KEY", "SERVER_NAME"])
def test_tls_settings_without_tls_are_refused(variable: str) -> None:
    name = getattr(temporal_client, variable)
    with pytest.raises(TemporalSettingsError, match=f"^{name} is set but RANKOPS_TEMPORAL_TLS is not true"):
        TemporalAuth.from_env({name: "x"})


def test_a_client_certificate_needs_its_key_and_the_other_way_round(certs: dict[str, Path]) -> None:
    env = mtls_env(certs)
    with pytest.raises(TemporalSettingsError, match="CLIENT_CERT is set without RANKOPS_TEMPORAL_CLIENT_KEY"):
        TemporalAuth.from_env({k: v for k, v in env.items() if k != temporal_client.CLIENT_KEY})
    with pytest.raises(TemporalSettingsError, match="CLIENT_KEY is set without RANKOPS_TEMPORAL_CLIENT_CERT"):
        TemporalAuth.from_env({k: v for k, v in env.items() if k != temporal_client.CLIENT_CERT})


def test_missing_and_wrong_files_are_named_with_their_variable(certs: dict[str, Path], tmp_path: Path) -> None:
    env = mtls_env(certs)
    with pytest.raises(TemporalSettingsError, match=f"^RANKOPS_TEMPORAL_CA_CERT: no such file {tmp_path}/absent.pem"):
        TemporalAuth.from_env({**env, temporal_client.CA_CERT: str(tmp_path / "absent.pem")})
    with pytest.raises(TemporalSettingsError, match="^RANKOPS_TEMPORAL_CLIENT_CERT: .* holds no PEM certificate"):
        TemporalAuth.from_env({**env, temporal_client.CLIENT_CERT: str(certs["client_key"])})
    sec1 = tmp_path / "sec1.key"
    sec1.write_text("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")
    with pytest.raises(TemporalSettingsError, match="^RANKOPS_TEMPORAL_CLIENT_KEY: .* PKCS#1/SEC1 key.*pkcs8 -topk8"):
        TemporalAuth.from_env({**env, temporal_client.CLIENT_KEY: str(sec1)})


def test_a_flag_that_is_neither_true_nor_false_is_refused() -> None:
    with pytest.raises(TemporalSettingsError, match="RANKOPS_TEMPORAL_TLS='ture' is neither true nor false"):
        TemporalAuth.from_env({temporal_client.TLS: "ture"})


def test_connect_hands_tls_and_the_api_key_to_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    async def fake_connect(target: str, **kwargs):
        seen.update(kwargs, target=target)
        return "client"

    monkeypatch.setattr(Client, "connect", fake_connect)
    plaintext_key = TemporalAuth(tls=None, api_key="k")
    assert asyncio.run(connect("frontend:7233", "prod", plaintext_key)) == "client"
    # False, not None: the SDK would switch TLS on by itself for an API key.
    assert seen == {"target": "frontend:7233", "namespace": "prod", "tls": False, "api_key": "k"}
    monkeypatch.setenv(temporal_client.TLS, "true")
    asyncio.run(connect("frontend:7233", "prod"))
    assert seen["tls"] == TemporalAuth.from_env().tls and seen["api_key"] is None


# ------------------------------------------------------------------ real handshakes


class TlsServer:
    """Accepts TLS on 127.0.0.1 (h2 by ALPN, as a gRPC server does) and records each handshake:
    the client certificate's common name and the HTTP/2 preface the client sent, or the error."""

    def __init__(self, certs: dict[str, Path], require_client_cert: bool) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certs["server_cert"], certs["server_key"])
        self.context.load_verify_locations(certs["ca"])
        self.context.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_OPTIONAL
        self.context.set_alpn_protocols(["h2"])
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.handshakes: list[dict] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "TlsServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(5)
        self.listener.close()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                raw, _ = self.listener.accept()
            except TimeoutError:
                continue
            raw.settimeout(5)
            try:
                with self.context.wrap_socket(raw, server_side=True) as tls:
                    subject = dict(pair for rdn in (tls.getpeercert() or {}).get("subject", ()) for pair in rdn)
                    preface = tls.recv(24)
                    self.handshakes.append({"client": subject.get("commonName"), "alpn": tls.selected_alpn_protocol(),
                                            "preface": preface})
            except (ssl.SSLError, OSError) as e:
                self.handshakes.append({"error": str(e)})
                raw.close()


def attempt(server: TlsServer, env: dict[str, str]) -> None:
    """Connects through the trainer's connect(); the server speaks no gRPC, so the call itself fails."""
    with pytest.raises(RuntimeError):
        asyncio.run(connect(f"127.0.0.1:{server.port}", "default", TemporalAuth.from_env(env),
                            retry_config=RetryConfig(max_retries=0), connect_timeout=timedelta(seconds=5)))


def test_with_the_right_ca_server_name_and_client_certificate_the_handshake_succeeds(certs: dict[str, Path]) -> None:
    with TlsServer(certs, require_client_cert=True) as server:
        attempt(server, mtls_env(certs))
    assert server.handshakes, "the client never connected"
    first = server.handshakes[0]
    assert first.get("client") == CLIENT_NAME, first
    assert first["alpn"] == "h2" and first["preface"].startswith(b"PRI * HTTP/2.0")


def test_without_the_ca_or_with_another_the_server_is_not_trusted(certs: dict[str, Path]) -> None:
    for ca in (None, certs["other_ca"]):
        env = {**mtls_env(certs), temporal_client.CA_CERT: str(ca) if ca else ""}
        with TlsServer(certs, require_client_cert=False) as server:
            attempt(server, env)
        assert server.handshakes and all("error" in h for h in server.handshakes), server.handshakes


def test_without_the_server_name_the_certificate_does_not_match_the_address(certs: dict[str, Path]) -> None:
    with TlsServer(certs, require_client_cert=False) as server:
        attempt(server, {**mtls_env(certs), temporal_client.SERVER_NAME: ""})
    assert server.handshakes and all("error" in h for h in server.handshakes), server.handshakes


def test_a_frontend_that_requires_a_client_certificate_refuses_one_without(certs: dict[str, Path]) -> None:
    env = {k: v for k, v in mtls_env(certs).items() if k not in (temporal_client.CLIENT_CERT, temporal_client.CLIENT_KEY)}
    with TlsServer(certs, require_client_cert=True) as server:
        attempt(server, env)
    assert server.handshakes and all("error" in h for h in server.handshakes), server.handshakes
