# kimicheck developer entry points. `make demo` and `make test` work on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
SYSTEM_TOOLS := promtool prometheus prometheus-alertmanager prometheus-pushgateway chromium

.PHONY: setup setup-test system-deps demo test test-fast lint-code bench clean

# kimicheck and its runtime dependencies only: enough for `make demo` and every command.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

# ... plus what the test suite, the code checks and the benchmarks use.
$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

# The real Prometheus, promtool, Alertmanager and Pushgateway for the end-to-end tests, and Chromium for the
# status page tests (Debian packages).
system-deps:
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      prometheus prometheus-alertmanager prometheus-pushgateway >/dev/null; \
	  else echo "note: install prometheus, prometheus-alertmanager and prometheus-pushgateway for the end-to-end tests"; fi; \
	fi

demo: setup
	$(VENV)/bin/kimicheck demo

lint-code: setup-test
	$(PY) -m ruff check .
	$(PY) -m mypy

test: setup-test system-deps lint-code
	$(PY) -m pytest

# The edit-test loop: no code checks, no end-to-end binaries, no real processes or timers of seconds.
test-fast: setup-test
	$(PY) -m pytest -q -m "not e2e and not slow"

# Every benchmark, one after another (about 15 minutes; `bench_serve.py --duration` shortens the longest).
bench: setup-test
	for bench in tests/benchmarks/bench_*.py; do $(PY) $$bench || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
