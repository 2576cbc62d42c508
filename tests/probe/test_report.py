"""What a user reads: the exact JSON document, the text table and the fix hints."""

import json
from decimal import Decimal

import pytest

from kimicheck.config.models import Provider
from kimicheck.probe.report import FIX_HINTS, fix_hint, render_json, render_text, summarize
from kimicheck.probe.result import (
    BalanceData,
    BalanceLevel,
    ChatData,
    Check,
    MissingModel,
    ModelsData,
    ProbeResult,
    Reason,
)

RESULTS = [
    ProbeResult("intl", Check.MODELS, True, Reason.OK, 0.1234567, "2 models listed", status_code=200,
                data=ModelsData(2, {"kimi-k2.6": True}, listed=("kimi-k2.6", "kimi-k2.5"))),
    ProbeResult("intl", Check.BALANCE, True, Reason.BALANCE_LOW, 0.05, "available 3.5 USD: below warn_below 10",
                status_code=200, data=BalanceData("USD", BalanceLevel.WARNING, Decimal("3.50001"),
                                                  Decimal("0"), Decimal("-1.2"))),
    ProbeResult("cn", Check.MODELS, False, Reason.MODEL_NOT_FOUND, 0.2,
                "kimi-k2-thinkng is not listed (did you mean kimi-k2-thinking?)", status_code=200,
                data=ModelsData(1, {"kimi-k2-thinkng": False},
                                (MissingModel("kimi-k2-thinkng", ("kimi-k2-thinking",)),))),
    ProbeResult("cn", Check.CHAT, False, Reason.AUTH_FAILED, 0.01, "HTTP 401", model="kimi-k2.6", status_code=401),
    ProbeResult("gw", Check.BALANCE, True, Reason.UNSUPPORTED, 0.0, "no balance endpoint"),
    ProbeResult("gw", Check.CHAT, True, Reason.OK, 1.0, "9 prompt + 1 completion tokens", model="m",
                status_code=200, data=ChatData(9, 1)),
]


def test_json_document_exactly() -> None:
    document = json.loads(render_json(RESULTS))
    assert list(document) == ["version", "results", "summary"]
    assert document["version"] == 1
    assert document["summary"] == {"total": 6, "ok": 4, "failed": 2, "warnings": 1}
    assert document["results"][0] == {
        "provider": "intl", "check": "models", "model": None, "ok": True, "reason": "ok", "status_code": 200,
        "duration_seconds": 0.123457, "detail": "2 models listed",
        "data": {"listed_count": 2, "present": {"kimi-k2.6": True}, "missing": []},
    }
    assert document["results"][1]["data"] == {
        "currency": "USD", "level": "warning", "available": "3.50001", "voucher": "0", "cash": "-1.2",
        "in_arrears": True,
    }
    assert document["results"][2]["data"]["missing"] == [{"id": "kimi-k2-thinkng",
                                                          "suggestions": ["kimi-k2-thinking"]}]
    assert document["results"][3]["model"] == "kimi-k2.6"
    assert document["results"][4]["data"] is None
    assert document["results"][5]["data"] == {"prompt_tokens": 9, "completion_tokens": 1}


def test_text_table_exactly() -> None:
    cn = Provider(name="cn", kind="moonshot", base_url="https://api.moonshot.cn/v1", api_key_env="K")
    assert render_text(RESULTS, {"cn": cn}) == """\
PROVIDER  CHECK    MODEL      RESULT  REASON           HTTP  TIME   DETAIL
intl      models   -          ok      ok               200   0.12s  2 models listed
intl      balance  -          warn    balance_low      200   0.05s  available 3.5 USD: below warn_below 10
    fix: top up soon: the available balance is below warn_below
cn        models   -          FAIL    model_not_found  200   0.20s  kimi-k2-thinkng is not listed (did you mean \
kimi-k2-thinking?)
    fix: fix the id in the config: kimi-k2-thinkng -> kimi-k2-thinking
cn        chat     kimi-k2.6  FAIL    auth_failed      401   0.01s  HTTP 401
    fix: a Moonshot key works only in its own region: a platform.moonshot.cn key needs https://api.moonshot.cn/v1, \
a platform.moonshot.ai key https://api.moonshot.ai/v1
gw        balance  -          n/a     unsupported      -     0.00s  no balance endpoint
gw        chat     m          ok      ok               200   1.00s  9 prompt + 1 completion tokens
6 checks: 4 ok (1 with warnings), 2 failed
"""


def test_no_results() -> None:
    assert render_text([]) == "no checks to run (chat runs only for models with chat: true)\n"
    assert json.loads(render_json([]))["summary"] == {"total": 0, "ok": 0, "failed": 0, "warnings": 0}


def test_every_failure_reason_has_a_hint() -> None:
    for reason in Reason:
        result = ProbeResult("p", Check.MODELS, False, reason, 0.0)
        assert bool(fix_hint(result)) == (reason not in {Reason.OK, Reason.UNSUPPORTED}), reason
    assert set(FIX_HINTS) == set(Reason)


def test_generic_auth_hint_without_a_moonshot_401() -> None:
    result = ProbeResult("p", Check.MODELS, False, Reason.AUTH_FAILED, 0.0, status_code=None)
    assert fix_hint(result) == FIX_HINTS[Reason.AUTH_FAILED]
    assert summarize([result]) == {"total": 1, "ok": 0, "failed": 1, "warnings": 0}


def _missing(*missing: MissingModel) -> ProbeResult:
    return ProbeResult("p", Check.MODELS, False, Reason.MODEL_NOT_FOUND, 0.1, "", status_code=200,
                       data=ModelsData(3, {m.id: False for m in missing}, missing))


@pytest.mark.parametrize(("missing", "hint"), [
    ((MissingModel("kimi-k2.6-thinking", ("kimi-k2.6", "kimi-k2-thinking")),),
     "there is no kimi-k2.6-thinking: thinking is a request parameter; use kimi-k2.6"),
    # the live list wins: no "use" of an id this provider does not list
    ((MissingModel("kimi-k2.6-thinking", ("kimi-k2-thinking",)),),
     "there is no kimi-k2.6-thinking: thinking is a request parameter"),
    ((MissingModel("moonshotai/kimi-k2.6-thinking", ("moonshotai/kimi-k2.6",)),),
     "there is no moonshotai/kimi-k2.6-thinking: thinking is a request parameter; use moonshotai/kimi-k2.6"),
    ((MissingModel("kimi-k2.6-thinking", ("kimi-k2.6",)), MissingModel("kimi-k2-thinkng", ("kimi-k2-thinking",))),
     "there is no kimi-k2.6-thinking: thinking is a request parameter; use kimi-k2.6; "
     "fix the id in the config: kimi-k2-thinkng -> kimi-k2-thinking"),
])
def test_known_wrong_ids_get_the_reason_and_the_right_id(missing: tuple[MissingModel, ...], hint: str) -> None:
    assert fix_hint(_missing(*missing)) == hint


def test_chat_on_a_known_wrong_id_names_the_right_id() -> None:
    result = ProbeResult("p", Check.CHAT, False, Reason.MODEL_NOT_FOUND, 0.1, "HTTP 404", model="kimi-k2.6-thinking",
                         status_code=404)
    assert fix_hint(result) == "there is no kimi-k2.6-thinking: thinking is a request parameter; use kimi-k2.6"
    other = ProbeResult("p", Check.CHAT, False, Reason.MODEL_NOT_FOUND, 0.1, "HTTP 404", model="kimi-k9",
                        status_code=404)
    assert fix_hint(other) == FIX_HINTS[Reason.MODEL_NOT_FOUND]


def test_terminal_escapes_from_a_provider_never_reach_the_table() -> None:
    hostile = ProbeResult("gw", Check.MODELS, False, Reason.BAD_REQUEST, 0.1,
                          "HTTP 400: \x1b[2J\x1b]0;pwned\x07 gone\r\nnext", status_code=400)
    table = render_text([hostile])
    assert "\x1b" not in table and "\x07" not in table and "\r" not in table
    assert "HTTP 400: \ufffd[2J\ufffd]0;pwned\ufffd gone  next" in table
