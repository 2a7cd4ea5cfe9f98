"""Skill premiums from pay-bucket counts and the few amounts near the ranks they read.

Every statistic of a premium is an order statistic: a median, or a bootstrap draw of one, which
is the value at a rank drawn from the sample's *size* alone (premium._boot). So the ranks a
premium reads are known before any amount is: plan them from the counts, read only the amounts
of the pay buckets that hold those ranks, then compute. At 10M postings a premium reads a few
thousand amounts around each median instead of 15M amounts, with the same numbers, draw for draw.

Three steps, pure (the query layer runs the SQL between them):

1. ``plan``: from ``Counts`` (postings with pay per group, level and pay bucket; and the same for
   the postings with each skill), run the premium on ``Span`` samples, which know only their size
   and note the ranks asked of them, with generators that record their draws.
2. ``wanted``: the (group, level, bucket) cells of everyone and the (skill, group, level, bucket)
   cells of the postings with a skill whose amounts the ranks fall in (level ``POOLED``: every
   level of the group, for the pooled raw premium).
3. ``finish``: with those amounts sorted (``Amounts``), run the premium again on ``Window``
   samples and the recorded draws: the values at the noted ranks, and the same figures as
   premium.skill_premium on every amount.

The buckets must be the same on both sides (pay_values.bucket and posting_skill_facts.bucket come
from one expression over the same amount): ``finish`` checks every window holds exactly the
counted amounts and raises otherwise, rather than read a wrong rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.stats import premium
from dashboard.stats.honesty import Thresholds, thresholds

POOLED = 255
"""The level code of a pooled window (every level of the group)."""

_BUCKET_SPAN = 1 << 16  # bucket ids are SMALLINT
_FIELD = 1 << 12  # room per key column before the bucket: skills, groups, level codes


@dataclass(frozen=True)
class Counts:
    """Postings with pay per pay bucket: ``everyone[g, level, b]`` of each group, and
    ``with_skill[k, g, level, b]`` of those asking for skill k; ``buckets`` the bucket ids (sorted,
    ascending pay) of the last axis."""

    buckets: np.ndarray
    everyone: np.ndarray
    with_skill: np.ndarray

    @classmethod
    def of(
        cls,
        everyone: dict[str, np.ndarray],
        with_skill: dict[str, np.ndarray],
        groups: int,
        skills: int,
        levels: int,
    ) -> Counts:
        """From grouped rows: ``everyone`` (g, lv, bucket, n), ``with_skill`` (k, g, lv, bucket,
        n)."""
        buckets = np.union1d(everyone["bucket"], with_skill["bucket"]).astype("int64")

        def dense(rows: dict[str, np.ndarray], axes: dict[str, int]) -> np.ndarray:
            out = np.zeros((*axes.values(), len(buckets)), dtype="int64")
            cell = (*(rows[a] for a in axes), np.searchsorted(buckets, rows["bucket"]))
            np.add.at(out, cell, rows["n"])
            return out

        return cls(
            buckets,
            dense(everyone, {"g": groups, "lv": levels}),
            dense(with_skill, {"k": skills, "g": groups, "lv": levels}),
        )


class Span(premium.Ordered):
    """A sample known by its per-bucket counts only: notes the lowest and highest rank read."""

    def __init__(self, counts: np.ndarray) -> None:
        self.counts = counts
        self.n = int(counts.sum())
        self.lo: int | None = None
        self.hi: int | None = None

    def at(self, k: np.ndarray) -> np.ndarray:
        k = np.asarray(k)
        lo, hi = int(k.min()), int(k.max())
        if not 0 <= lo <= hi < self.n:
            raise IndexError(f"ranks {lo}..{hi} outside a sample of {self.n}")
        self.lo = lo if self.lo is None else min(self.lo, lo)
        self.hi = hi if self.hi is None else max(self.hi, hi)
        return np.ones(len(k))  # any positive value: only the ranks matter on this pass

    def window(self) -> tuple[int, int, int] | None:
        """(first bucket index, last bucket index, ranks below the first) holding lo…hi."""
        if self.lo is None or self.hi is None:
            return None
        cum = np.cumsum(self.counts)
        b0 = int(np.searchsorted(cum, self.lo, "right"))
        b1 = int(np.searchsorted(cum, self.hi, "right"))
        return b0, b1, int(cum[b0 - 1]) if b0 else 0


class Recorded:
    """A seeded generator whose beta draws are kept, to be handed out again by ``replay``."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        self.draws: list[np.ndarray] = []

    def beta(self, a: float, b: float, size: int) -> np.ndarray:
        out = self._rng.beta(a, b, size)
        self.draws.append(out)
        return out

    def replay(self) -> Replayed:
        return Replayed(list(self.draws))


@dataclass
class Replayed:
    """The recorded draws, in the order they were made (the second pass asks in the same order)."""

    draws: list[np.ndarray]

    def beta(self, a: float, b: float, size: int) -> np.ndarray:
        out = self.draws.pop(0)
        if len(out) != size:
            raise RuntimeError("a premium asked for other draws on its second pass")
        return out


class Window(premium.Ordered):
    """A sample of ``n`` amounts, of which only the sorted ``values`` at ranks ``offset`` … are
    read."""

    def __init__(self, n: int, offset: int, values: np.ndarray) -> None:
        self.n = n
        self.offset = offset
        self.values = values

    def at(self, k: np.ndarray) -> np.ndarray:
        j = np.asarray(k) - self.offset
        if len(j) and (j.min() < 0 or j.max() >= len(self.values)):
            raise IndexError("a rank outside the amounts read for it")
        return self.values[j]


def without(values: np.ndarray, minus: np.ndarray) -> np.ndarray:
    """Sorted ``values`` less sorted ``minus`` (a sub-multiset of them): one copy per removal."""
    if not len(minus):
        return values
    # the i-th of a run of equal removed values takes the i-th copy of that value
    nth = np.arange(len(minus)) - np.searchsorted(minus, minus, "left")
    at = np.searchsorted(values, minus, "left") + nth
    if at[-1] >= len(values) or not (values[at] == minus).all():
        raise ValueError("the amounts to remove are not among the values")
    keep = np.ones(len(values), dtype=bool)
    keep[at] = False
    return values[keep]


def _kept(values: np.ndarray, minus: np.ndarray, first: int, last: int) -> tuple[int, np.ndarray]:
    """(rank of the first kept value returned, the kept values) of sorted ``values`` less sorted
    ``minus``, from the one at rank ``first`` to the one at rank ``last``, ties included: a
    bucket of everyone's pay at 10M postings holds ~300k amounts, a premium reads a few thousand
    of them, so only those are copied."""
    low, high = premium.Sample(values, minus).at(np.array([first, last]))
    v0, v1 = np.searchsorted(values, low, "left"), np.searchsorted(values, high, "right")
    m0, m1 = np.searchsorted(minus, low, "left"), np.searchsorted(minus, high, "right")
    return int(v0 - m0), without(values[v0:v1], minus[m0:m1])


@dataclass
class Plan:
    """One (role, skill) premium's first pass: its spans (in premium_rows' order) and draws."""

    role: str
    skill: str
    g: int
    k: int
    levels: list[tuple[str, int]]  # (name, level code) in premium order
    spans: dict[tuple[str, int], Span]  # ("with" | "without", level code or POOLED)
    windows: dict[tuple[str, int], tuple[int, int, int] | None]  # each span's Span.window()
    draws: tuple[Recorded, Recorded]
    seed: int = 0


def plan(
    role: str,
    skill: str,
    g: int,
    k: int,
    counts: Counts,
    names: list[str],
    *,
    t: Thresholds | None = None,
    n_boot: int = premium.N_BOOT,
    seed: int = 0,
    excluded: tuple[str, ...] = premium.EXCLUDED_LEVELS,
) -> Plan:
    """The first pass of one premium: which ranks of which sample it reads, and its draws."""
    t = t or thresholds()
    every, mine = counts.everyone[g], counts.with_skill[k, g]
    present = [i for i in range(len(names)) if every[i].sum() > 0]
    order = premium._level_order([names[i] for i in present])
    levels = [(name, names.index(name)) for name in order]
    spans = {
        ("with", POOLED): Span(mine.sum(axis=0)),
        ("without", POOLED): Span(every.sum(axis=0) - mine.sum(axis=0)),
    }
    for _, i in levels:
        spans["with", i] = Span(mine[i])
        spans["without", i] = Span(every[i] - mine[i])
    seed_rs = premium.seed_for(role, skill, seed)
    draws = (Recorded(seed_rs), Recorded(seed_rs))
    _run(role, skill, spans, levels, t, n_boot, seed, excluded, draws)
    windows = {key: span.window() for key, span in spans.items()}
    return Plan(role, skill, g, k, levels, spans, windows, draws, seed)


def _run(
    role: str,
    skill: str,
    samples: dict,
    levels: list[tuple[str, int]],
    t: Thresholds,
    n_boot: int,
    seed: int,
    excluded: tuple[str, ...],
    draws: tuple,
) -> tuple[dict, list[dict]]:
    pairs = [(name, samples["with", i], samples["without", i]) for name, i in levels]
    return premium.premium_rows(
        role,
        skill,
        samples["with", POOLED],
        samples["without", POOLED],
        pairs,
        t=t,
        n_boot=n_boot,
        seed=seed,
        excluded=excluded,
        draws=draws,
    )


Cells = dict[str, np.ndarray]


def wanted(plans: list[Plan], counts: Counts) -> tuple[Cells, Cells]:
    """The cells whose amounts ``finish`` needs: everyone's (g, lv, bucket) and the postings with
    a skill's (k, g, lv, bucket), lv = POOLED for every level of the group."""
    every: set[tuple[int, int, int]] = set()
    mine: set[tuple[int, int, int, int]] = set()
    for p in plans:
        for (side, lv), win in p.windows.items():
            if win is None:
                continue
            for b in counts.buckets[win[0] : win[1] + 1].tolist():
                mine.add((p.k, p.g, lv, b))
                if side == "without":
                    every.add((p.g, lv, b))
    e = np.array(sorted(every), dtype="int64").reshape(-1, 3)
    m = np.array(sorted(mine), dtype="int64").reshape(-1, 4)
    return (
        {"g": e[:, 0], "lv": e[:, 1], "bucket": e[:, 2]},
        {"k": m[:, 0], "g": m[:, 1], "lv": m[:, 2], "bucket": m[:, 3]},
    )


@dataclass(frozen=True)
class Amounts:
    """Amounts sorted by cell (the key columns, bucket last) then amount, to slice by cell."""

    key: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, columns: dict[str, np.ndarray], keys: tuple[str, ...]) -> Amounts:
        """From fetched columns ``keys`` (bucket last) and ``salary_usd``, in that sort order."""
        key = np.zeros(len(columns["salary_usd"]), dtype="int64")
        for name in keys[:-1]:
            part = columns[name].astype("int64")
            if len(part) and (part.min() < 0 or part.max() >= _FIELD):
                raise ValueError(f"{name} codes must lie in 0…{_FIELD - 1}")
            key = key * _FIELD + part
        key = key * _BUCKET_SPAN + (columns[keys[-1]].astype("int64") + _BUCKET_SPAN // 2)
        values = np.asarray(columns["salary_usd"], dtype="float64")
        if (
            len(key) > 1
            and not (
                (key[1:] > key[:-1]) | ((key[1:] == key[:-1]) & (values[1:] >= values[:-1]))
            ).all()
        ):
            raise ValueError("amounts must come sorted by cell, then amount")
        return cls(key, values)

    def between(self, prefix: tuple[int, ...], first: int, last: int) -> np.ndarray:
        """The sorted amounts of the cells prefix + (bucket first … last)."""
        base = 0
        for x in prefix:
            base = base * _FIELD + x
        base *= _BUCKET_SPAN
        lo = int(np.searchsorted(self.key, base + first + _BUCKET_SPAN // 2, "left"))
        hi = int(np.searchsorted(self.key, base + last + _BUCKET_SPAN // 2, "right"))
        return self.values[lo:hi]


def finish(
    p: Plan,
    counts: Counts,
    everyone: Amounts,
    with_skill: Amounts,
    *,
    t: Thresholds | None = None,
    n_boot: int = premium.N_BOOT,
    excluded: tuple[str, ...] = premium.EXCLUDED_LEVELS,
) -> tuple[dict, list[dict]]:
    """The premium's rows (premium.premium_rows) from the amounts of its windows."""
    samples: dict[tuple[str, int], premium.Ordered] = {}
    for (side, lv), span in p.spans.items():
        win = p.windows[side, lv]
        if win is None:
            samples[side, lv] = span  # never read: its size is all the premium asks
            continue
        b0, b1, offset = win
        first, last = int(counts.buckets[b0]), int(counts.buckets[b1])
        values = with_skill.between((p.k, p.g, lv), first, last)
        held = len(values)
        if side == "without":
            every = everyone.between((p.g, lv), first, last)
            held = len(every) - len(values)
        counted = int(span.counts[b0 : b1 + 1].sum())
        if held != counted:
            raise RuntimeError(
                f"pay buckets {first}…{last} hold {held} amounts, counted {counted}: the "
                "store's buckets disagree"
            )
        if side == "without":
            assert span.lo is not None and span.hi is not None
            below, values = _kept(every, values, span.lo - offset, span.hi - offset)
            offset += below
        samples[side, lv] = Window(span.n, offset, values)
    replay = (p.draws[0].replay(), p.draws[1].replay())
    return _run(
        p.role, p.skill, samples, p.levels, t or thresholds(), n_boot, p.seed, excluded, replay
    )
