"""The command dispatcher: help, version, unknown commands, and no traceback on errors."""

from kimicheck import __version__
from kimicheck.cli import COMMANDS
from tests.commands.clirun import kimicheck


def run(*argv: str) -> tuple[int, str, str]:
    result = kimicheck(*argv)
    return result.code, result.out, result.err


def test_version() -> None:
    assert run("--version") == (0, f"kimicheck {__version__}\n", "")


def test_help_lists_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for name in COMMANDS:
        assert f"\n  {name} " in out


def test_no_arguments_is_a_usage_error() -> None:
    code, out, _ = run()
    assert code == 2
    assert out.startswith("usage: kimicheck")


def test_unknown_command() -> None:
    code, _, err = run("lnit")
    assert code == 2
    assert err.startswith("kimicheck: error: unknown command 'lnit'\n")


def test_command_help_goes_to_the_given_stdout() -> None:
    code, out, err = run("lint", "--help")
    assert code == 0
    assert out.startswith("usage: kimicheck lint")
    assert err == ""


def test_usage_error_of_a_command_goes_to_the_given_stderr() -> None:
    code, out, err = run("lint", "--format", "xml")
    assert code == 2
    assert out == ""
    assert "kimicheck lint: error: argument --format: invalid choice: 'xml'" in err


def test_a_command_that_fails_to_import_is_an_internal_error_not_a_traceback(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(COMMANDS, "broken", ("kimicheck.commands.does_not_exist", "x"))
    code, _, err = run("broken")
    assert code == 2
    assert err == (
        "kimicheck broken: internal error: ModuleNotFoundError. This is a bug in kimicheck; rerun with "
        "KIMICHECK_DEBUG=1 for the traceback and report it.\n"
    )


def test_a_closed_stdout_ends_quietly_with_the_sigpipe_status(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    config = tmp_path / "kimicheck.yaml"
    # far more output than a pipe buffer holds, so writing must meet the closed pipe
    config.write_text("version: 1\nproviders:\n" + "".join(
        f"  - {{name: p{i}, kind: moonshot, base_url: 'https://api.moonshot.ai/v1', api_key_env: K, typo{i}: 1}}\n"
        for i in range(2000)
    ))
    process = subprocess.Popen([sys.executable, "-m", "kimicheck", "lint", str(config)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    with process.stderr:
        stderr = process.stderr.read()
    assert (process.wait(timeout=60), stderr) == (141, b"")
