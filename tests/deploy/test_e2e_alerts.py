"""End to end with real binaries on loopback: the simulator, `kimicheck serve`, the real Prometheus loading the
shipped alerts.yml (only its `for:` durations shortened) and the real Alertmanager delivering to a webhook.

Scenario: healthy -> a configured model removed (and restored) -> balance below warning -> below critical ->
key revoked; each alert arrives at the webhook, and the outage raises no model alert. Then every PromQL
expression of the Grafana dashboard and the Grafana alert rules returns data from that Prometheus.
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from kimicheck.providers import Kind
from kimicheck.sim import Account, SimState, serve_in_thread
from kimicheck.sim.batches import BatchBook, SimBatch
from tests.deploy.stack import (
    alertmanager,
    evaluated_since,
    far_retirement_catalog,
    free_port,
    instant,
    load_rules,
    prometheus,
    ranged,
    rule_groups,
    shortened_rules,
    wait_until,
    webhook_receiver,
)
from tests.deploy.tools import PROMETHEUS, grafana_exprs, require_tool
from tests.serve.process import serve

pytestmark = pytest.mark.e2e

KEY = "sk-sim-deploy-e2e-000000000000000000"
ALERT_TIMEOUT = 45.0
#: Prometheus's scrape and rule evaluation interval
EVERY_SECONDS = 0.5


def config(base_url: str) -> str:
    """A config with short intervals: the balance is seen within a second of a change."""
    return f"""\
version: 1
defaults:
  timeout: 2s
  intervals: {{models: 1s, balance: 1s, chat: 2s, stream: 2s, tools: 2s, json: 2s, batch: 1s}}
  chat: {{max_tokens: 16, daily_token_budget: 100000}}
providers:
  - name: sim
    kind: moonshot
    base_url: {base_url}
    api_key_env: SIM_KEY
    models: [kimi-k3, {{id: kimi-k2.6, chat: true, stream: true, tools: true, json: true}}]
    balance: {{warn_below: 10, critical_below: 2, currency: USD}}
    batch: true
"""


def test_model_balance_and_key_alerts_reach_the_webhook_and_dashboards_have_data(tmp_path: Path) -> None:
    prometheus_bin = require_tool("prometheus")
    alertmanager_bin = require_tool("prometheus-alertmanager")
    state = SimState()
    # free completions: four paid checks every 2 s would otherwise drain the balance fast enough for
    # predict_linear to call the runway short in the healthy phase; the test moves the balance itself
    account = state.add(Account(key=KEY, name="deploy", kind=Kind.MOONSHOT, cash=Decimal("50"),
                                price_per_token=Decimal("0"),
                                batch_api=BatchBook(files=3, file_bytes=3000, batches=[SimBatch(age=600)])))
    rules = shortened_rules((PROMETHEUS / "alerts.yml").read_text(encoding="utf-8"),
                            evaluation_seconds=EVERY_SECONDS)
    served_port, alertmanager_port = free_port(), free_port()

    with (
        prometheus(prometheus_bin, tmp_path, f"127.0.0.1:{served_port}", f"127.0.0.1:{alertmanager_port}",
                   EVERY_SECONDS) as prometheus_url,
        serve_in_thread(state, port=0) as sim,
        webhook_receiver() as (webhook, webhook_url),
        alertmanager(alertmanager_bin, tmp_path, webhook_url, alertmanager_port),
    ):
        path = tmp_path / "kimicheck.yml"
        path.write_text(config(sim.base_url), encoding="utf-8")
        with serve(path, "--listen", f"127.0.0.1:{served_port}", "--catalog", str(far_retirement_catalog(tmp_path)),
                   env={"SIM_KEY": KEY}):
            wait_until(lambda: bool(instant(prometheus_url, "kimicheck_build_info")), ALERT_TIMEOUT,
                       "the first scrape of serve")
            load_rules(prometheus_url, tmp_path, rules)
            start = time.time()

            def firing(alertname: str) -> bool:
                return any(labels.get("provider") == "sim" for labels in webhook.firing(alertname))

            # Healthy: data flows, a few evaluations pass, nothing fires.
            wait_until(lambda: bool(instant(prometheus_url, 'kimicheck_balance{type="available"} > 40')),
                       ALERT_TIMEOUT, "the healthy balance in Prometheus")
            wait_until(lambda: bool(instant(prometheus_url, "kimicheck_chat_tokens_total")),
                       ALERT_TIMEOUT, "a chat probe in Prometheus")
            # three scrapes of the balance (enough for its rates), then an evaluation of every rule after them
            wait_until(lambda: bool(instant(prometheus_url, 'count_over_time(kimicheck_balance{type="available"}'
                                                            '[1m]) >= 3')),
                       ALERT_TIMEOUT, "three scrapes of the balance")
            scraped = time.time()
            wait_until(lambda: evaluated_since(prometheus_url, scraped), ALERT_TIMEOUT, "a rule evaluation")
            states = {rule["name"]: rule["state"] for group in rule_groups(prometheus_url)
                      for rule in group["rules"]}
            assert set(states.values()) == {"inactive"}, states  # not even pending
            assert instant(prometheus_url, 'ALERTS{alertstate="firing"}') == []
            assert webhook.names() == set()

            # The provider stops listing a configured model: the models check fails with model_not_found.
            models = list(account.visible_models)
            account.models = [m for m in models if m != "kimi-k3"]
            wait_until(lambda: firing("KimicheckModelNotListed"), ALERT_TIMEOUT, "KimicheckModelNotListed")
            vanished = webhook.firing("KimicheckModelNotListed")[0]
            assert (vanished["severity"], vanished["model"]) == ("critical", "kimi-k3")
            account.models = models
            wait_until(lambda: not instant(prometheus_url, 'ALERTS{alertname="KimicheckModelNotListed"}'),
                       ALERT_TIMEOUT, "KimicheckModelNotListed to resolve")

            account.available = Decimal("8")
            wait_until(lambda: firing("KimicheckBalanceWarning"), ALERT_TIMEOUT, "KimicheckBalanceWarning")
            assert not firing("KimicheckBalanceCritical")
            assert webhook.firing("KimicheckBalanceWarning")[0] == {
                "alertname": "KimicheckBalanceWarning",
                "severity": "warning",
                "provider": "sim",
                "currency": "USD",
            }

            account.available = Decimal("1")
            wait_until(lambda: firing("KimicheckBalanceCritical"), ALERT_TIMEOUT, "KimicheckBalanceCritical")
            assert not firing("KimicheckKeyRejected")
            # the chat probes stop while the balance is critical
            wait_until(lambda: bool(instant(prometheus_url, "kimicheck_probe_skipped_total")),
                       ALERT_TIMEOUT, "a skipped chat probe")

            account.revoked = True
            wait_until(lambda: firing("KimicheckKeyRejected"), ALERT_TIMEOUT, "KimicheckKeyRejected")
            rejected = {labels["check"] for labels in webhook.firing("KimicheckKeyRejected")}
            assert rejected <= {"models", "balance", "chat", "stream", "tools", "json", "batch"} and rejected
            # an outage lists no model: nothing is known to be missing, not even a pending alert
            assert instant(prometheus_url, 'ALERTS{alertname="KimicheckModelNotListed"}') == []

            end = time.time()
            empty = [
                f"{where}: {expr}"
                for where, expr in grafana_exprs()
                if not ranged(prometheus_url, expr, start, end)
            ]
            assert empty == []
