"""The package's public surface: every exported name resolves, and importing it stays light."""

import subprocess
import sys

import kimicheck


def test_all_lists_exactly_the_lazy_exports() -> None:
    assert sorted(kimicheck.__all__) == sorted(["__version__", *kimicheck._EXPORTS])


def test_every_public_name_resolves_to_what_its_module_defines() -> None:
    for name in kimicheck.__all__:
        assert getattr(kimicheck, name) is not None, name
    assert kimicheck.lint_text.__module__ == "kimicheck.lint.engine"
    assert kimicheck.Reason.OK.value == "ok"


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        kimicheck.lint_file  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'kimicheck' has no attribute 'lint_file'"
    else:
        raise AssertionError("expected AttributeError")


def test_importing_the_package_imports_no_heavy_stack() -> None:
    code = "import sys, kimicheck; print(sorted(m for m in ('pydantic', 'httpx', 'starlette', 'uvicorn', " \
           "'prometheus_client', 'yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
