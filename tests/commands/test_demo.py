# ruff: noqa: E501  (the golden output has the long lines a user sees)
"""`kimicheck demo`: the README's Quick start, exactly as a user sees it (port and timings normalised)."""

import re

from .clirun import kimicheck

EXPECTED = """\
kimicheck demo: a simulated Kimi API listens on http://127.0.0.1:PORT (no real key is used)

$ kimicheck lint demo.yaml
no problems in 1 file

$ kimicheck probe demo.yaml
PROVIDER     CHECK    MODEL      RESULT  REASON           HTTP  TIME   DETAIL
kimi-main    models   -          ok      ok               200   T  7 models listed; all 2 configured ids present
kimi-main    balance  -          ok      ok               200   T  available 49.58894 USD (voucher 29.08894, cash 20.5)
kimi-main    chat     kimi-k2.6  ok      ok               200   T  6 prompt + 16 completion tokens, finish_reason length
kimi-batch   models   -          ok      ok               200   T  7 models listed; the configured id is present
kimi-batch   balance  -          warn    balance_low      200   T  available 3.2 USD (voucher 0.0, cash 3.2): below warn_below 10
    fix: top up soon: the available balance is below warn_below
kimi-agents  models   -          FAIL    model_not_found  200   T  kimi-k2.6-turbo is not listed (did you mean kimi-k2.6, kimi-k3.1-pro, kimi-k2.7-code?)
    fix: fix the id in the config: kimi-k2.6-turbo -> kimi-k2.6
kimi-agents  balance  -          ok      ok               200   T  available 42.0 USD (voucher 0.0, cash 42.0)
7 checks: 6 ok (1 with warnings), 1 failed

What to fix:
  - kimi-batch (balance, balance_low): top up soon: the available balance is below warn_below
  - kimi-agents (models, model_not_found): fix the id in the config: kimi-k2.6-turbo -> kimi-k2.6

The demo exits 0: these findings are its point. `kimicheck probe` on your own config exits 1 when a
check fails, and `kimicheck probe --format json` gives the same results as data.
"""


def test_demo_prints_lint_probe_and_fixes_and_exits_0() -> None:
    result = kimicheck("demo", environ={})
    assert (result.code, result.err) == (0, "")
    shown = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", result.out)
    shown = re.sub(r"\d+\.\d\ds {2}", "T  ", shown)
    assert shown == EXPECTED
    assert "sk-demo" not in result.out
