"""How the trainer reaches Temporal: target and namespace from StackSettings, and in production TLS,
mutual TLS or an API key from the environment (docs/deploy.md, "Temporal authentication").

The variable names are the Java platform's (platform/.../temporal/TemporalVariables.java), and the
rules are the same as its TemporalStubs: every file is read and every combination checked before
connecting, and an error names the variable. tests/test_temporal_client.py checks both lists agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.service import TLSConfig

#: ``true``: TLS to the frontend (Temporal Cloud, a self-hosted frontend with TLS).
TLS = "RANKOPS_TEMPORAL_TLS"
#: PEM file of the CA that signed the frontend's certificate; unset: the system trust store.
CA_CERT = "RANKOPS_TEMPORAL_CA_CERT"
#: PEM file of the client certificate chain, for mutual TLS; needs CLIENT_KEY.
CLIENT_CERT = "RANKOPS_TEMPORAL_CLIENT_CERT"
#: PEM file of the client's unencrypted PKCS#8 private key (the Java services read only that form).
CLIENT_KEY = "RANKOPS_TEMPORAL_CLIENT_KEY"
#: Name to expect on the frontend's certificate (and SNI) when it differs from the target host.
SERVER_NAME = "RANKOPS_TEMPORAL_SERVER_NAME"
#: Sent as ``Authorization: Bearer <key>`` on every call (Temporal Cloud API keys).
API_KEY = "RANKOPS_TEMPORAL_API_KEY"
#: ``true`` lets an API key travel without TLS: a local test against a plaintext server only.
ALLOW_PLAINTEXT_API_KEY = "RANKOPS_TEMPORAL_ALLOW_PLAINTEXT_API_KEY"

ALL = (TLS, CA_CERT, CLIENT_CERT, CLIENT_KEY, SERVER_NAME, API_KEY, ALLOW_PLAINTEXT_API_KEY)

# MicroProfile Config's boolean spellings, which the Java services accept for the same variables.
_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}


class TemporalSettingsError(RuntimeError):
    """A Temporal connection setting that cannot work; the message names the variable."""


@dataclass(frozen=True)
class TemporalAuth:
    """What Client.connect needs beyond target and namespace. ``tls`` None means plaintext."""

    tls: TLSConfig | None = None
    api_key: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "TemporalAuth":
        env = os.environ if env is None else env

        def value(name: str) -> str | None:
            return env.get(name) or None  # empty, as a chart renders an unset value, is unset

        tls = _flag(env, TLS)
        if not tls:
            for name in (CA_CERT, CLIENT_CERT, CLIENT_KEY, SERVER_NAME):
                if value(name):
                    # Certificates configured but a plaintext connection made would look secured and not be.
                    raise TemporalSettingsError(f"{name} is set but {TLS} is not true: set {TLS}=true or remove it")
            if value(API_KEY) and not _flag(env, ALLOW_PLAINTEXT_API_KEY):
                raise TemporalSettingsError(
                    f"{API_KEY} is set but {TLS} is not true: the key would travel in clear text. Set {TLS}=true "
                    f"(Temporal Cloud needs it), or for a local test only {ALLOW_PLAINTEXT_API_KEY}=true")
        if bool(value(CLIENT_CERT)) != bool(value(CLIENT_KEY)):
            given, missing = (CLIENT_CERT, CLIENT_KEY) if value(CLIENT_CERT) else (CLIENT_KEY, CLIENT_CERT)
            raise TemporalSettingsError(f"{given} is set without {missing}: mutual TLS needs both")
        api_key = value(API_KEY)
        if api_key is not None and not api_key.strip():
            raise TemporalSettingsError(f"{API_KEY} is blank")
        if not tls:
            return cls(tls=None, api_key=api_key)
        return cls(
            tls=TLSConfig(
                server_root_ca_cert=_pem(CA_CERT, value(CA_CERT), "CERTIFICATE"),
                client_cert=_pem(CLIENT_CERT, value(CLIENT_CERT), "CERTIFICATE"),
                client_private_key=_pem(CLIENT_KEY, value(CLIENT_KEY), "PRIVATE KEY"),
                domain=value(SERVER_NAME),
            ),
            api_key=api_key,
        )

    def describe(self) -> str:
        """For logs: how the connection is secured, never the secrets themselves."""
        if self.tls is None:
            parts = ["plaintext"]
        else:
            parts = ["mutual TLS" if self.tls.client_cert else "TLS",
                     "private CA" if self.tls.server_root_ca_cert else "system trust store"]
            if self.tls.domain:
                parts.append(f"server name {self.tls.domain}")
        if self.api_key:
            parts.append("API key")
        return ", ".join(parts)


async def connect(target: str, namespace: str, auth: TemporalAuth | None = None, **options: Any) -> Client:
    """The trainer's one way to a Temporal client (the worker and its health check use it)."""
    auth = TemporalAuth.from_env() if auth is None else auth
    # tls=False, not None: with an API key the SDK would otherwise switch TLS on by itself.
    return await Client.connect(target, namespace=namespace, tls=auth.tls or False, api_key=auth.api_key, **options)


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "false").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise TemporalSettingsError(f"{name}={env.get(name)!r} is neither true nor false")


def _pem(name: str, path: str | None, kind: str) -> bytes | None:
    if path is None:
        return None
    file = Path(path)
    if not file.is_file():
        raise TemporalSettingsError(f"{name}: no such file {path}")
    try:
        data = file.read_bytes()
    except OSError as e:
        raise TemporalSettingsError(f"{name}: cannot read {path}: {e}") from e
    if f"-----BEGIN {kind}-----".encode() not in data:
        found = ("an encrypted key" if b"ENCRYPTED PRIVATE KEY" in data
                 else "a PKCS#1/SEC1 key" if kind == "PRIVATE KEY" and b"PRIVATE KEY-----" in data
                 else "no PEM " + kind.lower())
        hint = ("; it must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY): "
                "`openssl pkcs8 -topk8 -nocrypt -in client.key -out client-pkcs8.key`") if kind == "PRIVATE KEY" else ""
        raise TemporalSettingsError(f"{name}: {path} holds {found}{hint}")
    return data
