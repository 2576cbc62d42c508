"""Pushing to a Pushgateway: URL, grouping key, auth from env, and failures as PushError."""

import base64

import httpx
import pytest

from kimicheck.metrics.push import PushError, push_results, push_url

URL = "http://127.0.0.1:9091"


def capture(status: int = 200, body: str = "") -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, text=body)

    return seen, httpx.MockTransport(handler)


def test_puts_the_exposition_under_the_job_without_instance() -> None:
    seen, transport = capture()
    push_results(URL, "kimicheck", b"kimicheck_build_info 1\n", {}, transport=transport)
    (request,) = seen
    assert request.method == "PUT"
    assert str(request.url) == "http://127.0.0.1:9091/metrics/job/kimicheck"
    assert request.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert request.content == b"kimicheck_build_info 1\n"
    assert "authorization" not in request.headers


def test_basic_auth_from_the_environment() -> None:
    seen, transport = capture()
    env = {"KIMICHECK_PUSHGATEWAY_USERNAME": "ops", "KIMICHECK_PUSHGATEWAY_PASSWORD": "s3cret"}
    push_results("https://push.example.test/", "kimicheck", b"", env, transport=transport)
    expected = "Basic " + base64.b64encode(b"ops:s3cret").decode()
    assert seen[0].headers["authorization"] == expected
    assert str(seen[0].url) == "https://push.example.test/metrics/job/kimicheck"


@pytest.mark.parametrize(
    ("job", "path"),
    [
        ("nightly check", "/metrics/job/nightly%20check"),
        ("a/b", "/metrics/job@base64/YS9i"),
        ("", "/metrics/job@base64/="),
    ],
)
def test_job_names_are_encoded(job: str, path: str) -> None:
    assert push_url(URL, job) == URL + path


def test_plain_http_to_an_in_cluster_gateway_without_credentials() -> None:
    # the metrics carry no secret: the shipped CronJob pushes to http://pushgateway.monitoring.svc:9091
    seen, transport = capture()
    push_results("http://pushgateway.monitoring.svc:9091", "kimicheck-probe", b"", {}, transport=transport)
    assert str(seen[0].url) == "http://pushgateway.monitoring.svc:9091/metrics/job/kimicheck-probe"
    assert "authorization" not in seen[0].headers


def test_credentials_are_never_sent_over_plain_http_to_another_host() -> None:
    seen, transport = capture()
    env = {"KIMICHECK_PUSHGATEWAY_USERNAME": "ops", "KIMICHECK_PUSHGATEWAY_PASSWORD": "s3cret"}
    with pytest.raises(PushError) as error:
        push_results("http://pushgateway.monitoring.svc:9091", "kimicheck", b"", env, transport=transport)
    assert str(error.value) == (
        "the Pushgateway URL 'http://pushgateway.monitoring.svc:9091' uses plain http to a non-loopback host, "
        "which would send the KIMICHECK_PUSHGATEWAY_USERNAME credentials in clear text: use https://"
    )
    assert seen == []


def test_credentials_over_plain_http_to_loopback() -> None:
    seen, transport = capture()
    env = {"KIMICHECK_PUSHGATEWAY_USERNAME": "ops", "KIMICHECK_PUSHGATEWAY_PASSWORD": "s3cret"}
    push_results(URL, "kimicheck", b"", env, transport=transport)
    assert seen[0].headers["authorization"] == "Basic " + base64.b64encode(b"ops:s3cret").decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1", "the Pushgateway URL 'ftp://127.0.0.1' must start with https:// or http://"),
        ("https://u:p@push.example.test", "put Pushgateway credentials in KIMICHECK_PUSHGATEWAY_USERNAME and "
         "KIMICHECK_PUSHGATEWAY_PASSWORD, not in the URL"),
        ("http://u:p@push.example.test", "put Pushgateway credentials in KIMICHECK_PUSHGATEWAY_USERNAME and "
         "KIMICHECK_PUSHGATEWAY_PASSWORD, not in the URL"),
    ],
)
def test_refused_urls(url: str, message: str) -> None:
    with pytest.raises(PushError) as error:
        push_url(url, "kimicheck")
    assert str(error.value) == message


def test_a_rejected_push_names_the_status_and_the_gateways_reason() -> None:
    _, transport = capture(400, "pushed metrics are invalid or inconsistent with existing metrics:\n collected ...")
    with pytest.raises(PushError) as error:
        push_results(URL, "kimicheck", b"", {}, transport=transport)
    assert str(error.value) == (
        "the Pushgateway at http://127.0.0.1:9091 answered HTTP 400: pushed metrics are invalid or "
        "inconsistent with existing metrics: collected ..."
    )


def test_refused_credentials() -> None:
    _, transport = capture(401)
    with pytest.raises(PushError) as error:
        push_results(URL, "kimicheck", b"", {}, transport=transport)
    assert str(error.value) == (
        "the Pushgateway at http://127.0.0.1:9091 refused the push (HTTP 401): check "
        "KIMICHECK_PUSHGATEWAY_USERNAME and KIMICHECK_PUSHGATEWAY_PASSWORD"
    )


def test_unreachable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(PushError) as error:
        push_results(URL, "kimicheck", b"", {}, transport=httpx.MockTransport(refuse))
    assert str(error.value) == "cannot reach the Pushgateway at http://127.0.0.1:9091 (ConnectError)"
