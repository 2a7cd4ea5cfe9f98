""" "Where do you fit?" in numbers: skills from a pick list or pasted text, coverage per role,
what to learn.

Coverage of a role = the share of the role's demand-weighted skills the user has: each skill
weighs as often as the role's postings (within the current filters) ask for it, so knowing the
skill half the postings ask for counts ten times a skill one in twenty asks for. A skill's gain is
how much coverage would rise by learning it (its weight ÷ the total weight). Pure functions; the
pasted text never leaves the caller (nothing here stores, caches or logs it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import pandas as pd

from dashboard.stats.honesty import Thresholds, median_reason, thresholds
from etl.normalise.skills import SkillExtractor, SkillTaxonomy, load_taxonomy

EXCLUDED_ROLES: tuple[str, ...] = ("Other",)
"""Catch-all roles that are not a role one can aim for."""

COVERAGE_COLUMNS = ["role", "coverage", "matched", "skills", "postings", "note"]
SUGGESTION_COLUMNS = ["role", "skill", "share", "n", "gain", "coverage_after"]


@lru_cache(maxsize=1)
def default_extractor() -> SkillExtractor:
    """The ETL's extractor over the shipped taxonomy (built once: the automaton takes a moment)."""
    return SkillExtractor(load_taxonomy())


def extract_skills(text: str | None, extractor: SkillExtractor | None = None) -> list[str]:
    """Canonical skills named in a pasted CV or skills paragraph, in order of first mention."""
    return (extractor or default_extractor()).extract(text)


def valid_skills(values: Iterable[object], taxonomy: SkillTaxonomy | None = None) -> list[str]:
    """Canonical names of the values the taxonomy knows (aliases allowed), distinct, order kept."""
    taxonomy = taxonomy or load_taxonomy()
    out: dict[str, None] = {}
    for v in values:
        if isinstance(v, str):
            name = v if v in taxonomy.skills else taxonomy.canonical(v)
            if name is not None:
                out.setdefault(name, None)
    return list(out)


def _profile(frequencies: pd.DataFrame, exclude: Sequence[str]) -> pd.DataFrame:
    f = frequencies[~frequencies["role"].isin(exclude)]
    return f[f["n"] > 0]


def coverage(
    frequencies: pd.DataFrame,
    have: Iterable[str],
    *,
    exclude: Sequence[str] = EXCLUDED_ROLES,
    t: Thresholds | None = None,
) -> pd.DataFrame:
    """Coverage per role, best first (COVERAGE_COLUMNS).

    ``frequencies``: role, skill, n (postings of the role asking for the skill), role_postings.
    Coverage = Σ n of the skills the user has ÷ Σ n of all the role's skills. Roles with fewer
    postings than the median threshold get a note and sort after the others.
    """
    t = t or thresholds()
    have = set(have)
    prof = _profile(frequencies, exclude)
    if prof.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    prof = prof.assign(hit=prof["skill"].isin(have))
    g = prof.groupby("role", sort=False)
    out = pd.DataFrame(
        {
            "total": g["n"].sum(),
            "got": prof[prof["hit"]].groupby("role")["n"].sum(),
            "matched": prof[prof["hit"]].groupby("role")["skill"].count(),
            "skills": g["skill"].count(),
            "postings": g["role_postings"].max(),
        }
    ).fillna({"got": 0, "matched": 0})
    out["coverage"] = out["got"] / out["total"]
    out["note"] = [
        f"too few postings to rank: {why}" if (why := median_reason(int(n), "postings", t)) else ""
        for n in out["postings"]
    ]
    out = out.reset_index(names="role")
    out["thin"] = out["note"] != ""
    out = out.sort_values(["thin", "coverage", "postings"], ascending=[True, False, False])
    out = out.astype({"matched": "int64", "skills": "int64", "postings": "int64"})
    return out[COVERAGE_COLUMNS].reset_index(drop=True)


def suggestions(
    frequencies: pd.DataFrame, have: Iterable[str], role: str, top: int = 5
) -> pd.DataFrame:
    """The ``top`` skills of ``role`` the user lacks that would raise coverage most.

    share = share of the role's postings asking for it; gain = the coverage it would add;
    coverage_after = coverage with it. Ties go to the alphabetically first skill.
    """
    have = set(have)
    prof = frequencies[(frequencies["role"] == role) & (frequencies["n"] > 0)]
    if prof.empty:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    total = prof["n"].sum()
    now = prof.loc[prof["skill"].isin(have), "n"].sum() / total
    missing = prof[~prof["skill"].isin(have)].copy()
    missing["share"] = missing["n"] / missing["role_postings"]
    missing["gain"] = missing["n"] / total
    missing["coverage_after"] = now + missing["gain"]
    missing = missing.sort_values(["gain", "skill"], ascending=[False, True]).head(top)
    return missing[SUGGESTION_COLUMNS].reset_index(drop=True)


def best_roles(cov: pd.DataFrame, k: int = 2) -> list[str]:
    """The ``k`` best-covered roles with enough postings to be ranked."""
    return cov.loc[cov["note"] == "", "role"].head(k).tolist()
