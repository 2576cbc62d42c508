"""`kimicheck serve --web-config`: TLS, mutual TLS and basic auth refuse the wrong client."""

import ssl
from pathlib import Path

import bcrypt
import httpx
import pytest

from tests.serve.certs import make_certs
from tests.serve.process import serve, sim_config, wait_until

#: starts `kimicheck serve` as a real process
pytestmark = pytest.mark.slow

HASH = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode()


def tls_context(ca: Path, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca))
    if cert is not None:
        context.load_cert_chain(str(cert), str(key))
    return context


def test_tls_and_basic_auth(tmp_path: Path) -> None:
    certs = make_certs(tmp_path)
    web = tmp_path / "web.yml"
    web.write_text(f"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                   f"basic_auth_users:\n  prometheus: '{HASH}'\n")
    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"))
    with serve(config, "--web-config", str(web)) as served:
        assert served.url.startswith("https://127.0.0.1:")
        served.wait_for_log("(auth, config")
        with httpx.Client(verify=tls_context(certs.ca), auth=("prometheus", "s3cret")) as good:
            wait_until(lambda: good.get(served.url + "/healthz").status_code == 200, what="/healthz")
            assert "kimicheck_build_info" in good.get(served.url + "/metrics").text
        with httpx.Client(verify=tls_context(certs.ca), auth=("prometheus", "wrong")) as wrong_password:
            assert wrong_password.get(served.url + "/metrics").status_code == 401
        with httpx.Client(verify=tls_context(certs.ca)) as anonymous:
            assert anonymous.get(served.url + "/metrics").status_code == 401
        with httpx.Client(auth=("prometheus", "s3cret")) as untrusting, pytest.raises(httpx.ConnectError):
            untrusting.get(served.url + "/metrics")  # the system CAs do not know this certificate
        with httpx.Client() as plain, pytest.raises(httpx.HTTPError):
            plain.get(served.url.replace("https://", "http://") + "/metrics")


def test_mutual_tls_refuses_a_client_without_a_certificate(tmp_path: Path) -> None:
    certs = make_certs(tmp_path)
    web = tmp_path / "web.yml"
    web.write_text("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                   "  client_ca_file: ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n")
    config = tmp_path / "kimicheck.yaml"
    config.write_text(sim_config("http://127.0.0.1:9/v1"))
    with serve(config, "--web-config", str(web)) as served:
        with httpx.Client(verify=tls_context(certs.ca, certs.client_cert, certs.client_key)) as client:
            wait_until(lambda: client.get(served.url + "/healthz").status_code == 200, what="/healthz")
        with httpx.Client(verify=tls_context(certs.ca)) as no_cert, pytest.raises(httpx.HTTPError):
            no_cert.get(served.url + "/healthz")
