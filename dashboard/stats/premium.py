"""Skill pay premiums that survive scrutiny: raw and seniority-adjusted, with n and an interval.

A raw premium (median pay of postings asking for a skill ÷ median of those that do not, − 1)
mostly measures seniority: skills that senior postings ask for look "well paid". The adjusted
premium compares pay *within* each seniority level and combines the levels' premiums weighted by
how many postings with the skill each level has, so a different seniority mix cannot create it.

Postings whose title states no level (``unknown``) are left out of the adjusted premium: they mix
every level, so comparing within them would bring the mix back. A level is used only when it has
enough postings with *and* without the skill (the honesty policy's premium threshold); the result
says which levels were used and what share of the postings with the skill they hold.

Both come with a percentile-bootstrap 90% interval (resampling postings within each group
compared, seeded per role and skill so the same data always gives the same interval). Pure:
arrays or frames in, frames out.

Speed (1M postings with pay): every statistic here is an order statistic (a median, or the
bootstrap's draws near it), so the work is done on *sorted* pay. The postings of a group are
sorted once (per seniority level); the postings *with* a skill are a small sorted sub-multiset,
and the order statistics of the postings *without* it are read off the two sorted arrays
(``Sample``) instead of masking, copying and sorting ~1M values per skill. The results are the
same numbers, draw for draw, as computing on the masked arrays.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from dashboard.stats.honesty import Thresholds, premium_reason, thresholds
from etl.contract import SENIORITY_CODES

ALL_ROLES = "All roles"
EXCLUDED_LEVELS: tuple[str, ...] = ("unknown",)
N_BOOT = 2000
LEVEL = 0.90

PREMIUM_COLUMNS = [
    "role",
    "skill",
    "n_with",
    "n_without",
    "median_with",
    "median_without",
    "raw",
    "raw_low",
    "raw_high",
    "raw_note",
    "adjusted",
    "adjusted_low",
    "adjusted_high",
    "adjusted_n_with",
    "adjusted_n_without",
    "levels",
    "coverage",
    "adjusted_note",
]


@dataclass(frozen=True)
class Premium:
    """One premium: the estimate and its interval, or a note saying why it is hidden."""

    value: float | None
    low: float | None
    high: float | None
    n_with: int
    n_without: int
    note: str = ""  # "" when shown
    levels: tuple[str, ...] = ()  # adjusted only: the seniority levels compared
    coverage: float | None = None  # adjusted only: share of the with-skill postings they hold


def seed_for(role: str, skill: str, seed: int = 0) -> int:
    """A stable seed per (role, skill): an interval does not depend on what else is computed."""
    return zlib.crc32(f"{role}\x1f{skill}".encode()) ^ seed


_EMPTY = np.empty(0, dtype="float64")
NARROW_ABOVE = 4096
"""Removed values in a rank range above which ``Sample.at`` first narrows the range: a few
dozen microseconds that spare sorting-cost searches of up to len(minus) values."""


class Ordered:
    """Pay read at sorted positions: ``n`` values, the k-th smallest (0-based) by ``at``.

    The statistics below read samples only through these two, so a sample can be the whole sorted
    pay (``Sample``) or just the amounts near the ranks a statistic reads (rank_windows.py).
    """

    n: int

    def at(self, k: np.ndarray) -> np.ndarray:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def median(self) -> float | None:
        """As np.median: the middle value, or the mean of the middle two; None when empty."""
        n = self.n
        if n == 0:
            return None
        if n % 2:
            return float(self.at(np.array([n // 2]))[0])
        a, b = self.at(np.array([n // 2 - 1, n // 2]))
        return float((a + b) / 2)


class Draws(Protocol):
    """What the bootstrap asks of its generator (np.random.Generator, or a recording of one)."""

    def beta(self, a: float, b: float, size: int) -> np.ndarray: ...


@dataclass(frozen=True)
class Sample(Ordered):
    """Sorted pay ``values``, minus ``minus`` (a sorted sub-multiset of them) when given.

    The postings without a skill are all postings minus those with it: their k-th smallest is
    found from the two sorted arrays in O(log n) instead of masking and sorting the big side.
    """

    values: np.ndarray
    minus: np.ndarray | None = None

    @property
    def n(self) -> int:  # type: ignore[override]
        return len(self.values) - (0 if self.minus is None else len(self.minus))

    def at(self, k: np.ndarray) -> np.ndarray:
        """The values at 0-based sorted positions ``k`` of the sample."""
        m = self.minus
        if m is None or not len(m):
            return self.values[k]
        # the kept k-th lies between values[k] and values[k + len(m)]: only the removed values
        # in that range can move it, and all removed values below it move it by one each
        x = self.values
        lo, hi = int(k.min()), int(k.max())
        a = int(np.searchsorted(m, x[lo], "left"))
        b = int(np.searchsorted(m, x[min(hi + len(m), len(x) - 1)], "right"))
        if b - a > NARROW_ABOVE:
            a, b = self._narrowed(lo, hi, a, b)
        part = m[a:b]
        # per removed value in range: how many kept values are smaller (non-decreasing); with
        # ties the removed copies count as coming first, which leaves the kept values unchanged
        below = np.searchsorted(x, part, "left") - (a + np.searchsorted(part, part, "left"))
        return x[k + a + np.searchsorted(below, k, "right")]

    def _narrowed(self, lo: int, hi: int, a: int, b: int) -> tuple[int, int]:
        """(a, b) of ``at`` for ranks lo…hi with the removed values outside the kept values'
        span left out: a = removed values below a value at most the kept lo-th, b = removed
        values up to one at least the kept hi-th (each boundary located to 1/4096 of its range
        by two grid searches, instead of spanning len(minus) positions of x)."""
        x, m = self.values, self.minus
        assert m is not None
        last = len(x) - 1

        def kept_below(i: np.ndarray) -> np.ndarray:  # kept values < x[i]
            return np.searchsorted(x, x[i], "left") - np.searchsorted(m, x[i], "left")

        def kept_upto(i: np.ndarray) -> np.ndarray:  # kept values <= x[i]
            return np.searchsorted(x, x[i], "right") - np.searchsorted(m, x[i], "right")

        # x[lo + a] is never above the kept lo-th value; x[min(hi + b, last)] never below the
        # kept hi-th (a and b as first bounded): each grid keeps a point that says so
        start = _grid(lo + a, min(lo + b, last), lambda i: kept_below(i) <= lo, last=True)
        end = _grid(hi + a, min(hi + b, last), lambda i: kept_upto(i) >= hi + 1, last=False)
        return int(np.searchsorted(m, x[start], "left")), int(np.searchsorted(m, x[end], "right"))


def _grid(
    first: int,
    stop: int,
    holds: Callable[[np.ndarray], np.ndarray],
    *,
    last: bool,
    points: int = 65,
    rounds: int = 2,
) -> int:
    """An index in [first, stop] where the monotone test ``holds`` is true, as near the switch as
    ``rounds`` grids of ``points`` find: the last true one when the test turns false upwards
    (true at ``first``), the first true one when it turns true (true at ``stop``)."""
    lo, hi = first, stop
    for _ in range(rounds):
        if hi - lo <= 1:
            break
        grid = np.unique(np.linspace(lo, hi, points).astype("int64"))
        ok = holds(grid)
        if last:  # true … true false … false
            j = int(np.count_nonzero(ok)) - 1
            lo, hi = int(grid[j]), int(grid[min(j + 1, len(grid) - 1)])
        else:  # false … false true … true
            j = len(grid) - int(np.count_nonzero(ok))
            lo, hi = int(grid[max(j - 1, 0)]), int(grid[j])
    return lo if last else hi


def _boot(sample: Ordered, n_boot: int, rng: Draws) -> np.ndarray:
    n = sample.n
    if n == 0:
        return np.full(n_boot, np.nan)
    k = (n + 1) // 2
    u = rng.beta(k, n + 1 - k, n_boot)
    lo = sample.at(np.minimum((u * n).astype("int64"), n - 1))
    if n % 2:
        return lo
    u2 = u + (1 - u) * rng.beta(1, n - k, n_boot)
    return (lo + sample.at(np.minimum((u2 * n).astype("int64"), n - 1))) / 2


def bootstrap_medians(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Medians of ``n_boot`` resamples (with replacement, same size) of ``values``, in O(n_boot).

    Exact, without building the resamples: a resample is n draws of floor(n·U) into the sorted
    values, so its k-th smallest is x[floor(n·U₍ₖ₎)] with U₍ₖ₎ ~ Beta(k, n+1−k), and the next one
    is U₍ₖ₊₁₎ = U₍ₖ₎ + (1 − U₍ₖ₎)·Beta(1, n−k). An even n averages the two middle ones, as
    ``np.median`` does. Only the counts decide the draws; the values are read at the drawn ranks.
    """
    return _boot(Sample(np.sort(np.asarray(values, dtype="float64"))), n_boot, rng)


def _interval(draws: np.ndarray) -> tuple[float, float]:
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)


def _clean(pay: object, has: object) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(pay, dtype="float64")
    h = np.asarray(has, dtype=bool)
    ok = np.isfinite(p) & (p > 0)
    return p[ok], h[ok]


@dataclass(frozen=True)
class Strata:
    """Sorted pay of a set of postings, overall and per seniority level (finite and > 0 only)."""

    pay: np.ndarray = field(default_factory=lambda: _EMPTY)
    levels: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def of(cls, pay: np.ndarray, codes: np.ndarray, names: Sequence[str]) -> Strata:
        """From pay and integer level ``codes`` into ``names``.

        Pay is sorted once, stably, unless it comes sorted (the query layer reads it from tables
        stored sorted by amount; DuckDB's parallel scan may hand a selection back as a few sorted
        runs, which the stable sort, a timsort, merges in linear time). Each level's pay is then
        picked out of the sorted pay in order with a mask, so it stays sorted (10M values, seven
        levels: 109 ms against 162 for a radix partition and its gather).
        """
        p = np.asarray(pay, dtype="float64")
        c = np.asarray(codes)
        ok = np.isfinite(p) & (p > 0)
        if not ok.all():
            p, c = p[ok], c[ok]
        if len(p) > 1 and not (p[1:] >= p[:-1]).all():
            o = np.argsort(p, kind="stable")
            p, c = p[o], c[o]
        levels, seen = {}, 0
        for i, name in enumerate(names):
            mask = c == i
            n = int(np.count_nonzero(mask))
            if n:  # a level holding all the pay is that pay itself, not a copy
                levels[name] = p if n == len(p) else np.compress(mask, p)
                seen += n
            if seen == len(p):  # the other names hold nothing
                break
        return cls(p, levels)


def _level_order(levels: Sequence[str]) -> list[str]:
    order = [s for s in SENIORITY_CODES if s in levels]
    return order + sorted(set(levels) - set(order))


def _raw(
    w: Ordered, wo: Ordered, t: Thresholds, n_boot: int, seed: int, rng: Draws | None = None
) -> Premium:
    why = premium_reason(w.n, wo.n, "postings", t)
    if why:
        return Premium(None, None, None, w.n, wo.n, f"hidden: {why}")
    value = float(np.float64(w.median()) / np.float64(wo.median()) - 1)
    rng = rng or np.random.default_rng(seed)
    draws = _boot(w, n_boot, rng) / _boot(wo, n_boot, rng) - 1
    return Premium(value, *_interval(draws), w.n, wo.n)


def raw_premium(
    pay: Sequence[float] | np.ndarray | pd.Series,
    has: Sequence[bool] | np.ndarray | pd.Series,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> Premium:
    """median(pay | skill) ÷ median(pay | no skill) − 1 over all postings given, with a 90% CI."""
    p, h = _clean(pay, has)
    return _raw(Sample(np.sort(p[h])), Sample(np.sort(p[~h])), t or thresholds(), n_boot, seed)


Pairs = list[tuple[str, Ordered, Ordered]]
"""(level, postings with the skill, postings without it) per seniority level, in level order."""


def _pairs(everyone: Strata, with_skill: Strata) -> Pairs:
    out = []
    for s in _level_order(list(everyone.levels)):
        w = with_skill.levels.get(s, _EMPTY)
        out.append((s, Sample(w), Sample(everyone.levels[s], w)))
    return out


def _level_rows(pairs: Pairs, t: Thresholds, excluded: tuple[str, ...]) -> list[dict]:
    rows = []
    for s, w, wo in pairs:
        if s in excluded:
            why = "title states no level: mixes every level"
        else:
            why = premium_reason(w.n, wo.n, "postings", t)
        med_w, med_wo = w.median(), wo.median()
        rows.append(
            {
                "seniority": s,
                "n_with": w.n,
                "median_with": med_w,
                "n_without": wo.n,
                "median_without": med_wo,
                "premium": (med_w / med_wo - 1) if med_w is not None and med_wo else None,
                "used": why is None,
                "note": "" if why is None else f"not used: {why}",
            }
        )
    return rows


LEVEL_COLUMNS = [
    "seniority",
    "n_with",
    "median_with",
    "n_without",
    "median_without",
    "premium",
    "used",
    "note",
]


def level_breakdown(
    pay: Sequence[float] | np.ndarray | pd.Series,
    has: Sequence[bool] | np.ndarray | pd.Series,
    level: Sequence[str] | np.ndarray | pd.Series,
    *,
    t: Thresholds | None = None,
    excluded: tuple[str, ...] = EXCLUDED_LEVELS,
) -> pd.DataFrame:
    """Per seniority level: n and median with / without, the level's premium, used or why not."""
    everyone, with_skill = _strata_pair(pay, has, level)
    rows = _level_rows(_pairs(everyone, with_skill), t or thresholds(), excluded)
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def _strata_pair(pay: object, has: object, level: object) -> tuple[Strata, Strata]:
    p = np.asarray(pay, dtype="float64")
    h = np.asarray(has, dtype=bool)
    names = pd.Series(level, dtype="object").fillna("unknown").to_numpy(dtype=object)
    codes, uniques = pd.factorize(names)
    labels = [str(u) for u in uniques]
    return Strata.of(p, codes, labels), Strata.of(p[h], codes[h], labels)


def _adjusted(
    rows: list[dict],
    pairs: Pairs,
    t: Thresholds,
    n_boot: int,
    seed: int,
    excluded: tuple[str, ...],
    rng: Draws | None = None,
) -> Premium:
    used = [(r, pair) for r, pair in zip(rows, pairs, strict=True) if r["used"]]
    known = [r for r in rows if r["seniority"] not in excluded]
    n_with_all = int(sum(r["n_with"] for r in known))
    if not used:
        if not known:
            why = "no posting with pay states its seniority"
        else:
            best = max(known, key=lambda r: (r["n_with"], r["n_without"]))  # first of ties
            why = (
                f"no level has {t.min_n_premium} with and {t.min_n_premium} "
                f"without (best: {best['seniority']}, {int(best['n_with'])} with, "
                f"{int(best['n_without'])} without)"
            )
        return Premium(None, None, None, 0, 0, f"hidden: {why}")
    weights = np.array([r["n_with"] for r, _ in used], dtype="float64")
    weights = weights / weights.sum()
    value = float(np.dot(weights, np.array([r["premium"] for r, _ in used], dtype="float64")))
    rng = rng or np.random.default_rng(seed)
    draws = np.zeros(n_boot)
    for wgt, (_, (_, w, wo)) in zip(weights, used, strict=True):
        draws += wgt * (_boot(w, n_boot, rng) / _boot(wo, n_boot, rng) - 1)
    n_w = int(sum(r["n_with"] for r, _ in used))
    n_wo = int(sum(r["n_without"] for r, _ in used))
    return Premium(
        value,
        *_interval(draws),
        n_w,
        n_wo,
        levels=tuple(r["seniority"] for r, _ in used),
        coverage=n_w / n_with_all if n_with_all else None,
    )


def adjusted_premium(
    pay: Sequence[float] | np.ndarray | pd.Series,
    has: Sequence[bool] | np.ndarray | pd.Series,
    level: Sequence[str] | np.ndarray | pd.Series,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
    excluded: tuple[str, ...] = EXCLUDED_LEVELS,
) -> Premium:
    """Σ over levels of w_level × (median with ÷ median without − 1), w = share of with-postings.

    Only levels with enough postings on both sides take part; the interval resamples postings
    within each level and side (the weights stay fixed, as the group sizes do).
    """
    t = t or thresholds()
    pairs = _pairs(*_strata_pair(pay, has, level))
    return _adjusted(_level_rows(pairs, t, excluded), pairs, t, n_boot, seed, excluded)


def skill_premium(
    role: str,
    skill: str,
    everyone: Strata,
    with_skill: Strata,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
    excluded: tuple[str, ...] = EXCLUDED_LEVELS,
) -> tuple[dict, list[dict]]:
    """One PREMIUM_COLUMNS row and its per-level rows (LEVEL_COLUMNS) for one role and skill.

    ``everyone``: the group's postings with pay; ``with_skill``: those of them asking for it.
    """
    w, wo = Sample(with_skill.pay), Sample(everyone.pay, with_skill.pay)
    pairs = _pairs(everyone, with_skill)
    return premium_rows(role, skill, w, wo, pairs, t=t, n_boot=n_boot, seed=seed, excluded=excluded)


def premium_rows(
    role: str,
    skill: str,
    w: Ordered,
    wo: Ordered,
    pairs: Pairs,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
    excluded: tuple[str, ...] = EXCLUDED_LEVELS,
    draws: tuple[Draws, Draws] | None = None,
) -> tuple[dict, list[dict]]:
    """``skill_premium`` on samples: the pooled postings with (``w``) and without (``wo``) the
    skill and the per-level ``pairs``. ``draws``: the raw and the adjusted premium's generators
    (default: two seeded per role and skill, as the interval's reproducibility requires)."""
    t = t or thresholds()
    seed_rs = seed_for(role, skill, seed)
    raw_rng, adj_rng = draws or (None, None)
    raw = _raw(w, wo, t, n_boot, seed_rs, raw_rng)
    levels = _level_rows(pairs, t, excluded)
    adj = _adjusted(levels, pairs, t, n_boot, seed_rs, excluded, adj_rng)
    row = {
        "role": role,
        "skill": skill,
        "n_with": raw.n_with,
        "n_without": raw.n_without,
        "median_with": w.median(),
        "median_without": wo.median(),
        "raw": raw.value,
        "raw_low": raw.low,
        "raw_high": raw.high,
        "raw_note": raw.note,
        "adjusted": adj.value,
        "adjusted_low": adj.low,
        "adjusted_high": adj.high,
        "adjusted_n_with": adj.n_with,
        "adjusted_n_without": adj.n_without,
        "levels": ", ".join(adj.levels),
        "coverage": adj.coverage,
        "adjusted_note": adj.note,
    }
    return row, [{"role": role, "skill": skill, **r} for r in levels]


def premium_frames(rows: list[dict], levels: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of ``skill_premium`` as frames: (PREMIUM_COLUMNS, role + skill + LEVEL_COLUMNS)."""
    out = pd.DataFrame(rows, columns=PREMIUM_COLUMNS)
    for c in ("median_with", "median_without", "raw", "raw_low", "raw_high", "adjusted",
              "adjusted_low", "adjusted_high", "coverage"):  # fmt: skip
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out, pd.DataFrame(levels, columns=["role", "skill", *LEVEL_COLUMNS])


def premium_table(
    pay: pd.DataFrame,
    posting_skills: pd.DataFrame,
    skills: Sequence[str],
    roles: Sequence[str] | None = None,
    *,
    t: Thresholds | None = None,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> pd.DataFrame:
    """Raw and adjusted premium per skill and role (PREMIUM_COLUMNS).

    ``pay``: one row per posting with pay (posting_id, role, seniority, salary_usd);
    ``posting_skills``: (posting_id, skill). ``roles`` None pools every role as "All roles".
    """
    t = t or thresholds()
    groups: list[tuple[str, pd.DataFrame]] = (
        [(ALL_ROLES, pay)] if roles is None else [(r, pay[pay["role"] == r]) for r in roles]
    )
    rows = []
    for role, frame in groups:
        salary = frame["salary_usd"].to_numpy(dtype="float64")
        names = frame["seniority"].astype("object").fillna("unknown").to_numpy(dtype=object)
        codes, uniques = pd.factorize(names)
        labels = [str(u) for u in uniques]
        everyone = Strata.of(salary, codes, labels)
        for skill in skills:
            ids = posting_skills.loc[posting_skills["skill"] == skill, "posting_id"]
            has = frame["posting_id"].isin(ids).to_numpy(dtype=bool)
            with_skill = Strata.of(salary[has], codes[has], labels)
            rows.append(skill_premium(role, skill, everyone, with_skill, t=t, n_boot=n_boot,
                                      seed=seed)[0])  # fmt: skip
    return premium_frames(rows, [])[0]


def describe(value: float | None, low: float | None, high: float | None, note: str) -> str:
    """ "+12% (90% CI +4% to +20%)", or the reason it is hidden."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return note.removeprefix("hidden: ") or "—"
    return f"{_pct(value)} (90% CI {_pct(low)} to {_pct(high)})"


def _pct(x: float | None) -> str:
    r = round(float(x) * 100)  # type: ignore[arg-type]
    return f"{r:+d}%" if r else "0%"  # never "-0%"
