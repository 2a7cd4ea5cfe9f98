"""Naive baselines: what a first version would do, measured beside the real code in the same run.

- skills: one case-insensitive ``str.contains`` regex per canonical skill over the descriptions
  (a pass over all the text per skill);
- titles: ``Series.apply(map_role)`` row by row instead of once per distinct title;
- queries: the dashboard's aggregates in pandas on in-memory DataFrames (boolean masks, groupby,
  merge), i.e. what a page would cost without DuckDB.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from etl.normalise import roles
from etl.normalise.skills import SkillTaxonomy, load_taxonomy


def skill_patterns(taxonomy: SkillTaxonomy | None = None) -> dict[str, str]:
    """skill -> one regex of its aliases with word boundaries (the obvious hand-written form)."""
    taxonomy = taxonomy or load_taxonomy()
    out = {}
    for row in taxonomy.table().itertuples(index=False):
        aliases = (
            row.aliases if isinstance(row.aliases, list | tuple) else str(row.aliases).split(",")
        )
        forms = sorted({str(a).strip() for a in [row.skill, *aliases] if str(a).strip()}, key=len)
        body = "|".join(re.escape(f) for f in reversed(forms))
        out[row.skill] = rf"(?<![\w.])(?:{body})(?![\w+#])"
    return out


def naive_extract(texts: pd.Series, patterns: dict[str, str]) -> pd.Series:
    """Per text, the skills whose regex matches (one ``str.contains`` per skill)."""
    texts = texts.astype("object").fillna("")
    hits = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "pattern has match groups"
        for skill, pattern in patterns.items():
            hits[skill] = texts.str.contains(pattern, case=False, regex=True)
    frame = pd.DataFrame(hits, index=texts.index)
    cols = frame.columns.to_numpy()
    return pd.Series([list(cols[row]) for row in frame.to_numpy()], index=texts.index)


def naive_roles(titles: pd.Series) -> pd.Series:
    """map_role applied row by row (no de-duplication of repeated titles)."""
    rules = roles.load_role_rules()
    return titles.apply(lambda t: roles.map_role(t, rules))


# ---------------------------------------------------------------------------- naive queries
def _mask(df: pd.DataFrame, f, table: str, skip: tuple[str, ...] = ()) -> np.ndarray:
    """The Filters ``f`` as a boolean mask over ``df`` (same semantics as dashboard.queries)."""
    from dashboard.queries.filters import month_bounds

    m = np.ones(len(df), dtype=bool)
    for col, values in f.by_column():
        if values and col not in skip:
            m &= df[col].isin(values).to_numpy(dtype=bool, na_value=False)
    if table == "postings" and f.months and "time" not in skip:
        lo, hi = (pd.Timestamp(d) for d in month_bounds(f.months))
        m &= ((df["posted_date"] >= lo) & (df["posted_date"] < hi)).to_numpy(bool, na_value=False)
    if table == "salaries" and f.years and "time" not in skip:
        m &= df["year"].between(f.years[0], f.years[1]).to_numpy(bool, na_value=False)
    return m


def _share(counts: pd.Series) -> pd.DataFrame:
    out = counts.rename("n").reset_index()
    out["share"] = out["n"] / out["n"].sum()
    return out


def _headline(d, f):
    p = d["postings"][_mask(d["postings"], f, "postings")]
    s = d["salaries"][_mask(d["salaries"], f, "salaries")]
    return {
        "postings": len(p),
        "postings_with_pay": int(p["salary_usd"].notna().sum()),
        "median_advertised": p["salary_usd"].median(),
        "ai_postings": int(p["is_ai"].sum()),
        "first_posted": p["posted_date"].min(),
        "last_posted": p["posted_date"].max(),
        "salaries": len(s),
        "median_survey": s["salary_usd"].median(),
        "first_year": s["year"].min(),
        "last_year": s["year"].max(),
    }


def _by_month(d, f):
    p = d["postings"][_mask(d["postings"], f, "postings", skip=("role",))]
    month = p["posted_date"].dt.to_period("M")
    m = p.groupby([month, p["role"]], observed=True).size().rename("n").reset_index()
    m["share"] = m["n"] / m.groupby("posted_date")["n"].transform("sum")
    return m[m["role"].isin(f.roles)] if f.roles else m


def _postings_by(d, f, dim):
    p = d["postings"][_mask(d["postings"], f, "postings")]
    return _share(p[dim].value_counts(dropna=False))


def _by_country(d, f):
    p = d["postings"][_mask(d["postings"], f, "postings")]
    p = p[p["country_code"].notna()]
    return _share(p.groupby("country_code").size())


def _records_by_year(d, f):
    s = d["salaries"][_mask(d["salaries"], f, "salaries")]
    return s.groupby("year").size()


def _quantiles(d, f, kind, by=()):
    if kind == "survey":
        src = d["salaries"][_mask(d["salaries"], f, "salaries")]
    else:
        src = d["postings"][_mask(d["postings"], f, "postings")]
        src = src[src["salary_usd"].notna()].assign(year=lambda x: x["posted_date"].dt.year)
    qs = [0.1, 0.25, 0.5, 0.75, 0.9]
    if not by:
        return src["salary_usd"].quantile(qs)
    return src.groupby(list(by))["salary_usd"].quantile(qs).unstack()


def _selected_skills(d, f, extra=None):
    p = d["postings"]
    m = _mask(p, f, "postings")
    if extra is not None:
        m &= extra(p)
    p = p.loc[m, ["posting_id", "role", "posted_date", "salary_usd"]]
    return p, d["posting_skills"].merge(p, on="posting_id")


def _top_skills(d, f, top=20):
    p, ps = _selected_skills(d, f)
    n = ps.groupby("skill").size().sort_values(ascending=False).head(top)
    return (n / len(p)).rename("share")


def _shares_by_role(d, f, top=15):
    p, ps = _selected_skills(d, f)
    keep = ps["skill"].value_counts().head(top).index
    n = ps[ps["skill"].isin(keep)].groupby(["role", "skill"]).size()
    return n / p.groupby("role").size().reindex(n.index.get_level_values(0)).to_numpy()


def _skill_trend(d, f, chosen):
    p, ps = _selected_skills(d, f)
    total = p.groupby(p["posted_date"].dt.to_period("M")).size()
    ps = ps[ps["skill"].isin(chosen)]
    n = ps.groupby([ps["posted_date"].dt.to_period("M"), "skill"]).size()
    return n / total.reindex(n.index.get_level_values(0)).to_numpy()


def _cooccurring(d, f, skill, top=15):
    _, ps = _selected_skills(d, f)
    with_it = ps.loc[ps["skill"] == skill, "posting_id"]
    others = ps[ps["posting_id"].isin(with_it) & (ps["skill"] != skill)]
    return others.groupby("skill").size().sort_values(ascending=False).head(top) / len(with_it)


def _role_profile(d, f, chosen, min_n=1):
    return _shares_by_role(d, f.with_(roles=tuple(chosen)), top=10_000)


def _role_coverage(d, f, top=15):
    p = d["postings"][_mask(d["postings"], f, "postings")]
    s = d["salaries"][_mask(d["salaries"], f, "salaries")]
    both = pd.concat([p[["role", "title"]], s[["role", "title"]]])
    return _share(both["role"].value_counts()), both.loc[
        both["role"] == "Other", "title"
    ].value_counts().head(top)


def _filtered_rows(d, f, table, cap=20_000):
    df = d[table][_mask(d[table], f, table)]
    order = ["posted_date", "posting_id"] if table == "postings" else ["year", "record_id"]
    return df.sort_values(order, ascending=[False, True]).head(cap), len(df)


def _preview_rows(d, f, table, limit=1_000):
    from dashboard.queries.sources import PREVIEW_COLUMNS

    rows, n = _filtered_rows(d, f, table, limit)
    return rows[list(PREVIEW_COLUMNS[table])], n


def _ai_by_month(d, f):
    p = d["postings"][_mask(d["postings"], f, "postings")]
    g = p.groupby(p["posted_date"].dt.to_period("M"))
    return pd.DataFrame({"n": g.size(), "ai": g["is_ai"].sum()})


def _ai_by(d, f, dim):
    p = d["postings"][_mask(d["postings"], f, "postings")]
    p = p[p[dim].notna()]
    g = p.groupby(dim)
    return pd.DataFrame({"n": g.size(), "ai": g["is_ai"].sum()})


NAIVE = {
    "headline": _headline,
    "postings_by_month": _by_month,
    "postings_by": _postings_by,
    "postings_by_country": _by_country,
    "salary_records_by_year": _records_by_year,
    "salary_quantiles": _quantiles,
    "top_skills": _top_skills,
    "skill_shares_by_role": _shares_by_role,
    "skill_trend": _skill_trend,
    "cooccurring": _cooccurring,
    "role_skill_profile": _role_profile,
    "role_coverage": _role_coverage,
    "filtered_rows": _filtered_rows,
    "preview_rows": _preview_rows,
    "ai_share_by_month": _ai_by_month,
    "ai_share_by": _ai_by,
}
"""Query name -> the same aggregate in pandas: ``func(frames, filters, *other_args)``."""
