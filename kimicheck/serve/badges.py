"""Small SVG badges in the usual two-part style: a provider's overall state, and its balance.

Text is XML-escaped here (a provider's name is config text, an amount and currency come from the
provider); widths are estimated from the character count, as badge services do without a font.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

__all__ = ["badge_svg", "balance_badge", "state_badge"]

_COLOURS = {"ok": "#2da44e", "warn": "#bf8700", "fail": "#cf222e", "skipped": "#8250df", "not_run": "#8c959f",
            "warning": "#bf8700", "critical": "#cf222e"}
_CHAR_WIDTH = 7
_PAD = 10


def badge_svg(label: str, value: str, colour: str) -> str:
    """A badge reading `label | value`, the value on `colour`."""
    left, right = len(label) * _CHAR_WIDTH + _PAD, len(value) * _CHAR_WIDTH + _PAD
    width = left + right
    label_x, value_x = left / 2, left + right / 2
    text = escape(f"{label}: {value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{text}">'
        f"<title>{text}</title>"
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{label_x}" y="14">{escape(label)}</text><text x="{value_x}" y="14">{escape(value)}</text>'
        "</g></svg>"
    )


def state_badge(provider: dict[str, object]) -> str:
    """The badge of a provider's overall state (`provider` as in the status document)."""
    state = str(provider["state"])
    return badge_svg(str(provider["name"]), "not yet run" if state == "not_run" else state,
                     _COLOURS.get(state, "#8c959f"))


def balance_badge(provider: dict[str, object]) -> str:
    """The badge of a provider's available balance and currency, grey when not known yet."""
    balance = provider.get("balance")
    if not isinstance(balance, dict):
        return badge_svg("balance", "unknown", _COLOURS["not_run"])
    amount = balance.get("available")
    value = "unlimited" if amount is None else f"{amount} {balance.get('currency') or ''}".strip()
    return badge_svg("balance", value, _COLOURS.get(str(balance.get("level")), _COLOURS["ok"]))
