"""The status page and the static HTML report: the status document rendered by a Jinja2 template.

Jinja2 is imported here only, never on `kimicheck lint`'s path. Autoescaping is on for every template, so a
provider's text (error messages, model ids) is always shown as text. The page links its stylesheet and
carries no script at all; the report of `kimicheck probe --format html` embeds the same stylesheet so it is
one self-contained file.
"""

from __future__ import annotations

import time
from decimal import Decimal, InvalidOperation
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

__all__ = ["STATIC_FILES", "balance_bar", "render_exchange", "render_page", "static_file"]

#: the files served under /static/ and their media types
STATIC_FILES = {"status.css": "text/css; charset=utf-8"}

_env = Environment(
    loader=PackageLoader("kimicheck.serve", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def static_file(name: str) -> bytes:
    """The bytes of one of `STATIC_FILES`."""
    return resources.files("kimicheck.serve").joinpath("static", name).read_bytes()


def _decimal(text: object) -> Decimal | None:
    try:
        return Decimal(str(text)) if text is not None else None
    except InvalidOperation:
        return None


def balance_bar(balance: dict[str, object]) -> dict[str, float] | None:
    """Percentages along the bar for the available amount and the warning and critical marks."""
    available = _decimal(balance.get("available"))
    if available is None:
        return None
    warn, critical = _decimal(balance.get("warn_below")), _decimal(balance.get("critical_below"))
    top = max([available, *(v for v in (warn, critical) if v is not None)]) * Decimal("1.25")
    if top <= 0:
        top = Decimal(1)

    def pct(value: Decimal | None) -> float:
        return -1.0 if value is None else round(float(max(Decimal(0), min(value, top)) / top * 100), 2)

    return {"fill": pct(available), "warn": pct(warn), "critical": pct(critical)}


def _age(seconds: object) -> str:
    if not isinstance(seconds, int | float):
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return f"{int(seconds)}s ago"


def _when(at: object) -> str:
    if not isinstance(at, int | float):
        return "—"
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(at))


_env.filters.update(age=_age, when=_when)
_env.globals.update(balance_bar=balance_bar)


def render_page(document: dict[str, object], *, refresh_seconds: int | None = 30, embed_css: bool = False,
                debug_links: bool = True) -> str:
    """The page for `document` (`status_document`'s): linked CSS and auto-refresh for `serve`, embedded CSS
    and no refresh for a static report."""
    css = static_file("status.css").decode() if embed_css else None
    return _env.get_template("status.html").render(
        doc=document, refresh=refresh_seconds, css=css, debug_links=debug_links
    )


def _seconds(value: object) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value * 1000:.1f} ms"


def _rate(value: object) -> str:
    if not isinstance(value, int | float):
        return "— tokens/s"
    return f"{value:.1f} tokens/s"


def _percent(value: object) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value * 100:.0f}%"


_env.filters.update(seconds=_seconds, rate=_rate, percent=_percent)


def render_exchange(document: dict[str, object]) -> str:
    """The debug view of one check (`debug_document`'s data), with the page's stylesheet."""
    return _env.get_template("exchange.html").render(doc=document)
