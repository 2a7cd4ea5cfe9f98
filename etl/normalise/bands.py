"""Bands ("$0-999", "100,000-124,999", ">$1,000,000", "1-3 years", "10,000 or more employees")
-> numeric (low, high) ranges, binned codes and ordered years codes.

Why one parser: surveys publish ranges, not amounts, for pay, years and head-counts, and each
survey year words its edges differently. Reading every band the same way lets a new survey year be
a YAML change (its option texts map through these rules), and keeps the band's honesty: a band is
stored as its two edges, never turned into a made-up point value.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from etl.contract import YEARS_CODE_PATTERN

_NUMBER = r"(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?"
_MULT = {"k": 1_000, "m": 1_000_000}
_NOISE = re.compile(r"[$€£¥₹]|\b(?:usd|eur|gbp|us\$)\b", re.IGNORECASE)
_RANGE = re.compile(rf"^{_NUMBER}\s*(?:-|–|—|to)\s*{_NUMBER}\b")
_BELOW = re.compile(rf"^(?:<|under|less than|below|fewer than|up to)\s*{_NUMBER}", re.IGNORECASE)
_ABOVE_PREFIX = re.compile(rf"^(?:>|over|more than|above)\s*{_NUMBER}", re.IGNORECASE)
_ABOVE_SUFFIX = re.compile(
    rf"^{_NUMBER}\s*(?:\+|or more\b|and more\b|and above\b|or over\b)", re.IGNORECASE
)
_SINGLE = re.compile(rf"^{_NUMBER}\b")


class Band(NamedTuple):
    """A closed range as published: ``high`` None when the band is open at the top."""

    low: float
    high: float | None


def _number(digits: str, suffix: str | None) -> float:
    return float(digits.replace(",", "")) * _MULT.get((suffix or "").lower(), 1)


@lru_cache(maxsize=4096)
def parse_band(text: object) -> Band | None:
    """The (low, high) of a band's text; None when the text is no band ("I prefer not to answer").

    "$0-999" -> (0, 999); "100,000-124,999" -> (100000, 124999); ">$1,000,000" and
    "$1,000,000+" -> (1000000, None); "< 1 years" / "Under 1 year" -> (0, 1); "20 or more years"
    -> (20, None); a plain number "3" -> (3, 3). Currency signs, thousands commas and a k/m
    suffix are understood; the unit words after the numbers are ignored.
    """
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, int | float):
        if math.isnan(text):
            return None
        return Band(float(text), float(text))
    if not isinstance(text, str):
        return None
    clean = " ".join(_NOISE.sub("", text).split())
    if m := _RANGE.match(clean):
        low, high = _number(m[1], m[2]), _number(m[3], m[4])
        if m[4] and not m[2]:  # "100-150k": the suffix applies to both ends
            low = _number(m[1], m[4])
        return Band(low, high) if high >= low else None
    if m := _BELOW.match(clean):
        return Band(0.0, _number(m[1], m[2]))
    if (m := _ABOVE_PREFIX.match(clean)) or (m := _ABOVE_SUFFIX.match(clean)):
        return Band(_number(m[1], m[2]), None)
    if m := _SINGLE.match(clean):
        value = _number(m[1], m[2])
        return Band(value, value)
    return None


def _edge(value: float) -> str:
    return f"{value:.12g}"


def years_code(text: object) -> str | None:
    """The ordered code of a band of years: "0", "<1", "1-3", "20+" (None when no band).

    Codes are the band's own edges, so another survey year with other edges needs no new code
    list; ``years_order`` sorts them.
    """
    band = parse_band(text)
    if band is None:
        return None
    if band.high is None:
        return f"{_edge(band.low)}+"
    if band.low == band.high:
        return _edge(band.low)
    if band.low == 0:
        return f"<{_edge(band.high)}"
    return f"{_edge(band.low)}-{_edge(band.high)}"


YEARS_CODE = re.compile(YEARS_CODE_PATTERN)
"""What a years code looks like (the contract's pattern)."""


def years_order(code: str) -> tuple[float, float]:
    """Sort key of a years code: by its low edge, then its high edge ("20+" last)."""
    if code.startswith("<"):
        return (0.0, float(code[1:]))
    if code.endswith("+"):
        return (float(code[:-1]), math.inf)
    low, _, high = code.partition("-")
    return (float(low), float(high or low))


class Bin(NamedTuple):
    below: float | None  # None: the last, open bin
    code: str


def parse_bins(spec: object, where: str) -> tuple[Bin, ...]:
    """Bins from a sources file: a list of ``{below: N, code: X}`` ending with ``{code: Y}``.

    Raises ValueError with ``where`` in the message when the list is malformed or unordered.
    """
    if not isinstance(spec, list) or not spec:
        raise ValueError(f"{where}: bins must be a list of {{below: N, code: X}}")
    bins: list[Bin] = []
    for i, item in enumerate(spec):
        if not isinstance(item, dict) or "code" not in item or set(item) - {"below", "code"}:
            raise ValueError(f"{where}: bin #{i + 1} must be {{below: N, code: X}} or {{code: X}}")
        below = item.get("below")
        if below is not None and (isinstance(below, bool) or not isinstance(below, int | float)):
            raise ValueError(f"{where}: bin #{i + 1}: 'below' must be a number, got {below!r}")
        if below is None and i != len(spec) - 1:
            raise ValueError(f"{where}: only the last bin may omit 'below'")
        if bins and below is not None and bins[-1].below is not None and below <= bins[-1].below:
            raise ValueError(f"{where}: bins must be in increasing order of 'below'")
        bins.append(Bin(None if below is None else float(below), str(item["code"])))
    return tuple(bins)


def bin_value(text: object, bins: tuple[Bin, ...]) -> str | None:
    """The code of the bin holding the whole band of ``text`` (None when it is no band or it
    straddles a bin edge: "40-60" with an edge at 50 is not guessed)."""
    band = parse_band(text)
    if band is None:
        return None
    for b in bins:
        if b.below is None:
            return b.code
        if band.low < b.below:
            high = band.high
            return b.code if high is not None and high < b.below else None
    return None
