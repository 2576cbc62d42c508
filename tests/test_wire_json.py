"""JSON from the wire: nesting deeper than the decoder follows is one more malformed body."""

from decimal import Decimal

import pytest

from kimicheck.wire_json import NestedTooDeeply, decode_json


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"a":' * 100_000, b"[" * 100_000 + b"]" * 100_000,
                                  "[" * 100_000])
def test_deep_nesting_is_a_value_error(body: bytes | str) -> None:
    with pytest.raises(NestedTooDeeply) as raised:
        decode_json(body)
    assert str(raised.value) == "the JSON is nested too deeply"
    assert issubclass(NestedTooDeeply, ValueError)


def test_exact_decodes_fractions_as_decimals() -> None:
    assert decode_json(b'{"a": 1.10, "b": 2, "c": 1e999999999}', exact=True) == \
        {"a": Decimal("1.10"), "b": 2, "c": Decimal("1e999999999")}
    assert decode_json(b'{"a": 1.5}') == {"a": 1.5}


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe", b"[1,]"])
def test_other_malformed_json_is_a_value_error(body: bytes) -> None:
    with pytest.raises(ValueError):
        decode_json(body)
