"""Human number formats shared by tables, charts and sentences ($152k, 12.3%, 12,345).

One place so that a figure reads the same in a chart's hover, a metric and a sentence.
"""

from __future__ import annotations

import math


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
"""Currency symbols written before an amount; other currencies are written as 'PLN 450k'."""


def money(value: float | None, missing: str = "—", currency: str = "USD") -> str:
    """Amount, compact: 152000 -> "$152k", 1250000 -> "$1.25M", 950 -> "$950"; in another
    currency "€152k" or "PLN 450k" (dashboard/stats/currency.py converts)."""
    if _missing(value):
        return missing
    if currency != "USD":
        text = money(value, missing)
        sign = "-" if text.startswith("-") else ""
        symbol = SYMBOLS.get(currency, f"{currency} ")
        return sign + symbol + text.lstrip("-").removeprefix("$")
    v = float(value)  # type: ignore[arg-type]
    sign = "-" if v < 0 else ""
    v = abs(v)
    if v >= 1_000_000:
        return f"{sign}${v / 1_000_000:.2f}M"
    if v >= 1_000:
        k = round(v / 1_000)
        return f"{sign}${k / 1000:.2f}M" if k >= 1000 else f"{sign}${k:,.0f}k"
    return f"{sign}${v:,.0f}"


def percent(share: float | None, digits: int = 1, missing: str = "—") -> str:
    """A share in [0, 1] as a percentage: 0.1234 -> "12.3%"."""
    if _missing(share):
        return missing
    return f"{float(share) * 100:.{digits}f}%"  # type: ignore[arg-type]


def signed_percent(change: float | None, digits: int = 0, missing: str = "—") -> str:
    """A relative change with its sign: 0.34 -> "+34%", -0.05 -> "-5%"."""
    if _missing(change):
        return missing
    return f"{float(change) * 100:+.{digits}f}%"  # type: ignore[arg-type]


def count(value: float | None, missing: str = "—") -> str:
    """An integer count with thousands separators: 12345 -> "12,345"."""
    if _missing(value):
        return missing
    return f"{round(float(value)):,}"  # type: ignore[arg-type]


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 record", "12 records"."""
    return f"{count(n)} {word if n == 1 else (words or word + 's')}"
