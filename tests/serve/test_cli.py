"""`kimicheck serve` argument handling, in process."""

from kimicheck.commands.serve import parse_listen
from tests.commands.clirun import kimicheck


def run_cli(*argv: str) -> tuple[int, str, str]:
    result = kimicheck(*argv)
    return result.code, result.out, result.err


def test_parse_listen() -> None:
    assert parse_listen("127.0.0.1:9961") == ("127.0.0.1", 9961)
    assert parse_listen("[::1]:0") == ("::1", 0)


def test_a_missing_config() -> None:
    assert run_cli("serve", "missing.yaml") == (
        2, "", "kimicheck serve: error: missing.yaml: cannot be read (No such file or directory)\n"
    )
