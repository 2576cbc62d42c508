"""deploy/kubernetes/prometheusrule/: the shipped alert rules (deploy/prometheus/alerts.yml) as a `PrometheusRule`
for the Prometheus Operator, generated from them so the two never drift.

After editing alerts.yml: `python -m tests.deploy.prometheusrule` (from the repository root) rewrites the
manifest; `tests/deploy/test_prometheusrule.py` fails while they differ.
"""

from __future__ import annotations

from tests.deploy.tools import KUBERNETES, PROMETHEUS, ROOT

__all__ = ["ALERTS", "MANIFEST", "render"]

ALERTS = PROMETHEUS / "alerts.yml"
MANIFEST = KUBERNETES / "prometheusrule" / "prometheusrule.yaml"

_HEADER = """\
# GENERATED from deploy/prometheus/alerts.yml by `python -m tests.deploy.prometheusrule`: edit alerts.yml
# (its comments explain every rule) and run that again; a test fails while the two differ.
#
# kimicheck's alert rules for the Prometheus Operator. The Prometheus custom resource loads only the
# PrometheusRules its ruleSelector and ruleNamespaceSelector match: with kube-prometheus-stack that is usually
# a `release: <helm release>` label, which you add below (or with a kustomize `labels:` entry).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: kimicheck
  labels:
    app.kubernetes.io/name: kimicheck
    app.kubernetes.io/component: alerts
spec:
"""


def render(alerts: str) -> str:
    """The PrometheusRule manifest wrapping the text of alerts.yml: its `groups:` and everything after it, as
    written (block scalars, order, comments inside the rules), indented under `spec:`."""
    lines = alerts.splitlines()
    start = lines.index("groups:")
    body = [f"  {line}" if line else "" for line in lines[start:]]
    return _HEADER + "\n".join(body) + "\n"


def _main() -> None:
    MANIFEST.write_text(render(ALERTS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(ROOT)}")


if __name__ == "__main__":
    _main()
