"""--web-config: the exporter-toolkit format, with exact errors for what cannot be used."""

import asyncio
from pathlib import Path

import bcrypt
import pytest

from kimicheck.errors import ConfigError
from kimicheck.serve.auth import Credentials
from kimicheck.serve.web_config import ClientAuth, load_web_config

HASH = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "web.yml"
    path.write_text(text)
    return path


def test_tls_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "server.crt").write_text("cert")
    (tmp_path / "server.key").write_text("key")
    path = write(tmp_path, f"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                           f"basic_auth_users:\n  prometheus: '{HASH}'\n")
    config = load_web_config(path)
    assert config.tls_server_config is not None
    assert config.tls_server_config.cert_file == tmp_path.resolve() / "server.crt"
    assert config.tls_server_config.client_auth_type is ClientAuth.NONE
    assert config.basic_auth_users == {"prometheus": HASH}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("basic_auth_user:\n  a: b\n", "basic_auth_user: unknown key"),
        ("basic_auth_users:\n  ops: plain\n",
         "basic_auth_users: Value error, the password of 'ops' must be a bcrypt hash ($2a$, $2b$ or $2y$)"),
        ("tls_server_config:\n  cert_file: x.crt\n", "tls_server_config.key_file: Field required"),
        ("tls_server_config:\n  cert_file: x.crt\n  key_file: x.key\n", "{dir}/x.crt does not exist"),
        ("tls_server_config: [\n", "not valid YAML"),
    ],
)
def test_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_web_config(path)
    assert str(error.value) == f"web config {path}: " + message.format(dir=tmp_path.resolve())


@pytest.mark.parametrize(
    "hashed",
    [
        "$2b$12$not-a-hash",  # what bcrypt refuses at every login
        HASH[:-1],  # cut short by a copy and paste
        HASH + "x",
        HASH.replace("$04$", "$4$"),
        HASH.replace("$04$", "$32$"),  # past bcrypt's highest cost
        HASH[:-2] + "!!",
        HASH + " ",
        "$2b$",
    ],
    ids=["not-a-hash", "short", "long", "one-digit-cost", "cost-32", "bad-characters", "trailing-space", "prefix"],
)
def test_a_malformed_bcrypt_hash_is_refused_naming_the_file_and_the_user(tmp_path: Path, hashed: str) -> None:
    path = write(tmp_path, f"basic_auth_users:\n  prometheus: '{HASH}'\n  ops: '{hashed}'\n")
    with pytest.raises(ConfigError) as error:
        load_web_config(path)
    assert str(error.value) == (
        f"web config {path}: basic_auth_users: Value error, the password of 'ops' is not a whole bcrypt hash "
        "($2b$, a cost from 04 to 31, $, then 53 characters of ./A-Za-z0-9): every login would fail"
    )


@pytest.mark.parametrize("prefix", ["$2a$", "$2b$", "$2y$"])
def test_every_bcrypt_version_is_taken(tmp_path: Path, prefix: str) -> None:
    hashed = prefix + HASH[4:]
    config = load_web_config(write(tmp_path, f"basic_auth_users:\n  ops: '{hashed}'\n"))
    assert config.basic_auth_users == {"ops": hashed}
    assert not config.protects_nothing


def test_an_empty_file_changes_nothing(tmp_path: Path) -> None:
    config = load_web_config(write(tmp_path, ""))
    assert config.tls_server_config is None
    assert config.basic_auth_users == {}
    assert config.protects_nothing  # serve warns about it


def header(user: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials() -> None:
    async def main() -> None:
        credentials = Credentials({"prometheus": HASH, "broken": "$2b$12$not-a-hash"})
        assert await credentials.check(header("prometheus", "s3cret"))
        assert await credentials.check(header("prometheus", "s3cret"))  # from the cache
        assert not await credentials.check(header("prometheus", "wrong"))
        assert not await credentials.check(header("nobody", "s3cret"))
        assert not await credentials.check(header("broken", "s3cret"))
        assert not await credentials.check(header("prometheus", "s3cret" + "x" * 72))  # past bcrypt's 72 bytes
        assert not await credentials.check("Basic not-base64!")
        assert not await credentials.check("Bearer x")
        assert not await credentials.check(None)

    asyncio.run(main())
