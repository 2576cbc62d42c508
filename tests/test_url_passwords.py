"""A password written into a URL never comes back in a message: push URLs, redirects, redaction."""

from __future__ import annotations

import httpx
import pytest

from kimicheck.metrics.push import PushError, push_url
from kimicheck.probe.errors import ProbeEndpoint, from_status
from kimicheck.providers import Kind
from kimicheck.secrets import redact

PASSWORD = "hunter2secret"


@pytest.mark.parametrize("url", [f"ftp://bob:{PASSWORD}@gw:9091", f"http://bob:{PASSWORD}@gw.example",
                                 f"https://bob:{PASSWORD}@gw.example"])
def test_push_url_with_userinfo_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(PushError) as caught:
        push_url(url, "kimicheck", with_credentials=False)
    assert str(caught.value) == (
        "put Pushgateway credentials in KIMICHECK_PUSHGATEWAY_USERNAME and KIMICHECK_PUSHGATEWAY_PASSWORD, "
        "not in the URL"
    )


def test_a_redirect_detail_names_the_host_but_not_its_userinfo() -> None:
    headers = httpx.Headers({"location": f"https://bob:{PASSWORD}@elsewhere.example/v1"})
    error = from_status(302, b"", headers, kind=Kind.MOONSHOT, endpoint=ProbeEndpoint.MODELS)
    assert error.detail == (
        "HTTP 302 redirect to https://elsewhere.example/v1; not followed, so the key was not sent there"
    )


def test_redact_masks_url_passwords_too() -> None:
    assert redact(f"proxy https://u:{PASSWORD}@h.example/x failed") == "proxy https://u:[REDACTED]@h.example/x failed"
