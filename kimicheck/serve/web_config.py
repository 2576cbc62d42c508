"""`--web-config`: TLS and basic auth in the style of the Prometheus exporter-toolkit's web config file.

    tls_server_config:
      cert_file: server.crt
      key_file: server.key
      client_ca_file: clients.crt               # optional: with client_auth_type, mutual TLS
      client_auth_type: RequireAndVerifyClientCert
    basic_auth_users:
      prometheus: $2b$12$...                     # bcrypt hash (htpasswd -nBC 12 "" | tr -d ':\\n')

Relative file paths are taken relative to the web config file, as the exporter-toolkit does. Unknown keys
are refused rather than ignored: a misspelt `basic_auth_users` must not leave the exporter open.
"""

from __future__ import annotations

import re
import ssl
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kimicheck.config.files import Unreadable, read_file
from kimicheck.errors import ConfigError

__all__ = ["WEB_CONFIG_MAX_BYTES", "ClientAuth", "TLSConfig", "WebConfig", "load_web_config"]

_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
#: TLS file names and a few bcrypt hashes; a larger file is not a web config.
WEB_CONFIG_MAX_BYTES = 1 << 20
#: a modular-crypt bcrypt hash: version, cost 04-31, then 22 characters of salt and 31 of hash
_BCRYPT_HASH = re.compile(r"\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}")


class ClientAuth(StrEnum):
    """The exporter-toolkit's client certificate policies that `serve` supports."""

    NONE = "NoClientCert"
    VERIFY_IF_GIVEN = "VerifyClientCertIfGiven"
    REQUIRE_AND_VERIFY = "RequireAndVerifyClientCert"

    @property
    def cert_reqs(self) -> ssl.VerifyMode:
        """The `ssl` verify mode of this policy."""
        return {
            ClientAuth.NONE: ssl.CERT_NONE,
            ClientAuth.VERIFY_IF_GIVEN: ssl.CERT_OPTIONAL,
            ClientAuth.REQUIRE_AND_VERIFY: ssl.CERT_REQUIRED,
        }[self]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TLSConfig(_Strict):
    """Serve HTTPS with this certificate and key."""

    cert_file: Path
    key_file: Path
    client_ca_file: Path | None = None
    client_auth_type: ClientAuth = ClientAuth.NONE


class WebConfig(_Strict):
    """The whole web config file; both parts are optional."""

    tls_server_config: TLSConfig | None = None
    basic_auth_users: dict[str, str] = Field(default_factory=dict)

    @field_validator("basic_auth_users")
    @classmethod
    def _bcrypt_only(cls, users: dict[str, str]) -> dict[str, str]:
        for user, hashed in users.items():
            if not hashed.startswith(_BCRYPT_PREFIXES):
                raise ValueError(f"the password of {user!r} must be a bcrypt hash ($2a$, $2b$ or $2y$)")
            # bcrypt refuses a malformed hash at each login, so every login of this user would fail
            if not _BCRYPT_HASH.fullmatch(hashed):
                raise ValueError(
                    f"the password of {user!r} is not a whole bcrypt hash ($2b$, a cost from 04 to 31, $, then "
                    "53 characters of ./A-Za-z0-9): every login would fail"
                )
        return users

    @property
    def protects_nothing(self) -> bool:
        """True when it sets neither TLS nor basic auth: serving with it is serving without it."""
        return self.tls_server_config is None and not self.basic_auth_users


def _resolve(path: Path, base: Path) -> Path:
    return path if path.is_absolute() else base / path


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
    return f"{where}: {message}" if where else message


def load_web_config(path: Path) -> WebConfig:
    """Read and check the web config at `path`; raise ConfigError with the file and the first problem."""
    raw = read_file(path, WEB_CONFIG_MAX_BYTES)
    if isinstance(raw, Unreadable):
        raise ConfigError(f"web config {path}: {raw.reason}")
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        raise ConfigError(f"web config {path}: not valid YAML") from None
    try:
        config = WebConfig.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise ConfigError(f"web config {path}: {_first_error(exc)}") from None
    tls = config.tls_server_config
    if tls is None:
        return config
    base = path.resolve().parent
    tls = tls.model_copy(
        update={
            "cert_file": _resolve(tls.cert_file, base),
            "key_file": _resolve(tls.key_file, base),
            "client_ca_file": _resolve(tls.client_ca_file, base) if tls.client_ca_file else None,
        }
    )
    if tls.client_auth_type is not ClientAuth.NONE and tls.client_ca_file is None:
        raise ConfigError(f"web config {path}: tls_server_config.client_auth_type needs client_ca_file")
    for file in (tls.cert_file, tls.key_file, tls.client_ca_file):
        if file is not None and not file.is_file():
            raise ConfigError(f"web config {path}: {file} does not exist")
    return config.model_copy(update={"tls_server_config": tls})
