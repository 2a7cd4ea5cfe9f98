"""'Is this offer good?': where one pay figure falls among comparable pay, and how sure we can be.

The comparison group (a *cell*) is role x seniority x place. When that cell has fewer than
``min_n`` figures, the checker widens it step by step — the country's region, then anywhere, then
every seniority — and says which cell it used and why. The position is a percentile: the share of
the cell's figures below the offer, counting figures equal to it as half below (the "mean" rank,
so an offer equal to every figure sits at the 50th percentile).

Nothing the user types is kept: these are pure functions of their arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.normalise.pay import load_pay_rules

PERIODS: tuple[str, ...] = ("year", "month", "week", "day", "hour")


def annual(amount: float, period: str) -> float:
    """A pay figure per ``period`` as a yearly figure, with the ETL's factors (data/pay.yaml)."""
    factors = load_pay_rules().factors
    if period not in factors:
        raise ValueError(f"unknown pay period {period!r}: use one of {', '.join(PERIODS)}")
    return float(amount) * factors[period]


def percentile_of(value: float, sample: np.ndarray | pd.Series) -> float:
    """Percent of ``sample`` below ``value``, ties counted half (0-100); NaN for an empty sample."""
    values = np.asarray(pd.to_numeric(pd.Series(sample), errors="coerce").dropna(), dtype="float64")
    if values.size == 0:
        return float("nan")
    below = np.count_nonzero(values < value)
    equal = np.count_nonzero(values == value)
    return 100.0 * (below + 0.5 * equal) / values.size


@dataclass(frozen=True)
class Cell:
    """One comparison group: the filters it keeps and how to say it."""

    label: str
    seniority: str | None
    country_code: str | None
    region: str | None


def cell_ladder(
    role: str,
    seniority: str | None,
    country: str | None,
    region: str | None,
    country_label: str | None = None,
) -> list[Cell]:
    """The cells to try, narrowest first: role x seniority x country, x region, x anywhere, then
    role at any seniority anywhere. Steps whose filter is not given are skipped; the country is
    named ``country_label`` (default: its code)."""
    level = seniority if seniority and seniority != "any" else None
    ladder: list[Cell] = []
    who = f"{role}, {level}" if level else role
    if country:
        ladder.append(Cell(f"{who} in {country_label or country}", level, country, None))
    if region:
        ladder.append(Cell(f"{who} in {region}", level, None, region))
    ladder.append(Cell(f"{who}, anywhere", level, None, None))
    if level:
        ladder.append(Cell(f"{role}, any seniority, anywhere", None, None, None))
    return ladder


@dataclass(frozen=True)
class Position:
    """Where the offer falls in ``cell``. ``widened`` says why a narrower cell was not used
    (empty when the first cell had enough data); ``enough`` is False when no cell had ``min_n``."""

    cell: Cell
    n: int
    percentile: float
    p25: float
    p50: float
    p75: float
    widened: str
    enough: bool


def _in_cell(frame: pd.DataFrame, cell: Cell) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    if cell.seniority:
        keep &= frame["seniority"] == cell.seniority
    if cell.country_code:
        keep &= frame["country_code"] == cell.country_code
    if cell.region:
        keep &= frame["region"] == cell.region
    return keep & frame["salary_usd"].notna()


def locate(value_usd: float, frame: pd.DataFrame, ladder: list[Cell], min_n: int) -> Position:
    """The offer's position in the first cell of ``ladder`` with at least ``min_n`` figures.

    ``frame``: the role's pay figures (columns seniority, country_code, region, salary_usd).
    When no cell is large enough, the widest one is described with ``enough=False`` (the page
    then shows its n, never a percentile).
    """
    skipped: list[str] = []
    for i, cell in enumerate(ladder):
        sample = frame.loc[_in_cell(frame, cell), "salary_usd"].to_numpy(dtype="float64")
        last = i == len(ladder) - 1
        if sample.size >= min_n or last:
            enough = sample.size >= min_n
            quart = np.percentile(sample, [25, 50, 75]) if enough else [np.nan] * 3
            return Position(
                cell=cell,
                n=int(sample.size),
                percentile=percentile_of(value_usd, sample) if enough else float("nan"),
                p25=float(quart[0]),
                p50=float(quart[1]),
                p75=float(quart[2]),
                widened="; ".join(skipped),
                enough=enough,
            )
        skipped.append(f"{cell.label} has {sample.size} figures (fewer than {min_n})")
    raise ValueError("the ladder of cells is empty")


def verdict(percentile: float) -> str:
    """A plain reading of a percentile."""
    if np.isnan(percentile):
        return "not enough data to say"
    if percentile < 25:
        return "in the bottom quarter"
    if percentile < 50:
        return "below the middle"
    if percentile < 75:
        return "above the middle"
    return "in the top quarter"


def ordinal(percentile: float) -> str:
    """63.4 -> '63rd', 1 -> '1st', 12 -> '12th', 22 -> '22nd' (rounded to a whole percentile)."""
    n = round(percentile)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
