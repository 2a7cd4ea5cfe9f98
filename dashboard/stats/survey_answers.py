"""Practitioners' survey answers turned into the figures and plain-language answers the Compare
page shows: shares with their n, the median band, and the FAQ's sentences.

Pure functions over the query layer's small DataFrames (dashboard/queries/practitioners.py), so
every number in a sentence comes from a query and the sentences are testable without Streamlit.
A figure over fewer respondents than the honesty policy's median threshold is withheld, with why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.stats.bands import band_label, median_band, median_code, years_label, years_order
from dashboard.stats.format import count, percent
from dashboard.stats.honesty import median_reason


@dataclass(frozen=True)
class Share:
    """One share with its count: ``value`` None when withheld (``why`` says why)."""

    value: float | None
    n: int
    why: str | None = None

    def text(self) -> str:
        return percent(self.value, 0) if self.value is not None else "—"


def share_of(answers: pd.DataFrame, role: str, answer: str) -> Share:
    """The share of ``role``'s respondents who answered ``answer`` (answer_shares rows)."""
    rows = answers[answers["role"] == role]
    if rows.empty:
        return Share(None, 0, "no respondents")
    n = int(rows["answered"].max())
    hit = rows.loc[rows["answer"] == answer, "n"].sum()
    why = median_reason(n, "respondents")
    return Share(None if why else hit / n if n else None, n, why)


def median_years(answers: pd.DataFrame, role: str) -> tuple[str | None, int, str | None]:
    """(median band code, respondents, why withheld) of a years question for ``role``."""
    rows = answers[(answers["role"] == role) & (answers["answer"] != "unknown")]
    n = int(rows["n"].sum())
    why = median_reason(n, "respondents")
    if why or rows.empty:
        return None, n, why or "no respondents"
    return median_code(rows.rename(columns={"answer": "code"}), "code"), n, None


def years_distribution(answers: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows (role, band, share, n) ordered by band, and the band labels in order."""
    rows = answers[answers["answer"] != "unknown"].copy()
    codes = sorted(set(rows["answer"]), key=years_order)
    rows["band"] = rows["answer"].map(years_label)
    return rows, [years_label(c) for c in codes]


def pay_median(bands: pd.DataFrame, role: str) -> tuple[str | None, int, str | None]:
    """(median band label, respondents, why withheld) over ``role``'s pay bands (all countries
    in ``bands``)."""
    rows = bands[bands["role"] == role]
    grouped = rows.groupby(["salary_min_usd", "salary_max_usd"], dropna=False)["n"].sum()
    grouped = grouped.reset_index()
    n = int(grouped["n"].sum())
    why = median_reason(n, "respondents")
    if why:
        return None, n, why
    middle = median_band(grouped)
    return (None if middle is None else str(middle["label"])), n, None


def pay_distribution(bands: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """role, label, n, share (of the role's respondents) per band, and the labels in order."""
    grouped = (
        bands.groupby(["role", "salary_min_usd", "salary_max_usd"], dropna=False)["n"]
        .sum()
        .reset_index()
    )
    if grouped.empty:
        return grouped.assign(label=[], share=[]), []
    grouped["label"] = [
        band_label(lo, None if pd.isna(hi) else hi)
        for lo, hi in zip(grouped["salary_min_usd"], grouped["salary_max_usd"], strict=True)
    ]
    grouped["share"] = grouped["n"] / grouped.groupby("role")["n"].transform("sum")
    order = grouped.sort_values("salary_min_usd")["label"].drop_duplicates().tolist()
    return grouped, order


def pay_by_country(bands: pd.DataFrame, roles: tuple[str, ...]) -> pd.DataFrame:
    """country_code, then per role its median band and n ("—" when withheld): the countries
    where at least one role has enough respondents, most respondents first."""
    rows = []
    for country, part in bands.groupby("country_code"):
        row: dict[str, object] = {"country": country}
        shown = False
        for role in roles:
            label, n, _ = pay_median(part, role)
            row[f"{role}: median band"] = label or "—"
            row[f"{role}: n"] = n
            shown = shown or label is not None
        if shown:
            rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    total = out[[f"{r}: n" for r in roles]].sum(axis=1)
    return out.assign(_t=total).sort_values("_t", ascending=False).drop(columns="_t")


def top_tools(tools: pd.DataFrame, role: str, category: str | None, top: int) -> pd.DataFrame:
    """The ``top`` tools of ``role`` (in ``category``, or over all categories), largest first."""
    rows = tools[tools["role"] == role]
    if category:
        rows = rows[rows["category"] == category]
    return rows.sort_values(["share", "skill"], ascending=[False, True]).head(top)


def shown_tools(
    tools: pd.DataFrame, role: str, category: str | None, top: int
) -> tuple[pd.DataFrame, int, str | None]:
    """(``role``'s top tools, its respondents n, why they are withheld or None): what the tools
    chart and the FAQ's frameworks answer both show; rows empty when the role has no answers."""
    rows = top_tools(tools, role, category, top)
    n = int(rows["respondents"].max()) if not rows.empty else 0
    return rows, n, median_reason(n, "respondents") if not rows.empty else None


# --- the FAQ's sentences -----------------------------------------------------------------------


def _role_share(answers: pd.DataFrame, role: str, answer: str, what: str) -> str:
    s = share_of(answers, role, answer)
    if s.value is None:
        return f"{role}: not shown ({s.why})"
    return f"{role}: **{s.text()}** {what} (n = {count(s.n)})"


def phd_answer(education: pd.DataFrame, roles: tuple[str, ...]) -> str:
    """ "Do I need a PhD…?": the doctorate share of each role, with n."""
    parts = [_role_share(education, r, "doctorate", "hold a doctoral degree") for r in roles]
    return (
        "; ".join(parts)
        + ". A doctorate is common where the share is high, but the rest of the role's"
        " respondents work without one. Education is the highest degree attained *or planned"
        " within two years*, so shares lean high."
    )


def frameworks_answer(tools: pd.DataFrame, roles: tuple[str, ...], top: int = 3) -> str:
    """ "Which frameworks does each role use?": each role's top frameworks with shares."""
    parts = []
    for role in roles:
        rows, n, why = shown_tools(tools, role, "ML & DL frameworks", top)
        if rows.empty:
            parts.append(f"{role}: no answers")
            continue
        if why:
            parts.append(f"{role}: not shown ({why})")
            continue
        listed = ", ".join(f"{r.skill} {percent(r.share, 0)}" for r in rows.itertuples())
        parts.append(f"{role}: {listed} (n = {count(n)})")
    return "; ".join(parts) + ". Shares are of all the role's respondents, who may tick several."


def pay_answer(bands: pd.DataFrame, roles: tuple[str, ...], countries: int = 3) -> str:
    """ "Which pays more, and where?": each role's median band overall and in the countries
    with the most respondents where every role has enough of them."""
    overall = []
    for role in roles:
        label, n, why = pay_median(bands, role)
        overall.append(
            f"{role}: median band **{label}** (n = {count(n)})"
            if label
            else f"{role}: not shown ({why})"
        )
    table = pay_by_country(bands, roles)
    where = []
    if not table.empty:
        full = table[table[[f"{r}: median band" for r in roles]].ne("—").all(axis=1)].head(
            countries
        )
        for row in full.to_dict("records"):
            bits = ", ".join(f"{r} {row[f'{r}: median band']}" for r in roles)
            where.append(f"{row['country']}: {bits}")
    text = "Overall — " + "; ".join(overall) + "."
    if where:
        text += " By country — " + "; ".join(where) + "."
    return text + (
        " These are bands of yearly pay in USD reported by survey respondents, not amounts; they"
        " are never mixed with advertised pay or the aijobs survey's amounts."
    )


def years_answer(years_ml: pd.DataFrame, roles: tuple[str, ...]) -> str:
    """ "How many years of ML experience…?": each role's median band and share with 5+ years."""
    parts = []
    for role in roles:
        code, n, why = median_years(years_ml, role)
        if code is None:
            parts.append(f"{role}: not shown ({why})")
            continue
        rows = years_ml[(years_ml["role"] == role) & (years_ml["answer"] != "unknown")]
        five = rows.loc[rows["answer"].map(lambda c: years_order(c)[0] >= 5), "n"].sum() / n
        parts.append(
            f"{role}: median **{years_label(code)}**, {percent(five, 0)} with 5 years or more"
            f" (n = {count(n)})"
        )
    return "; ".join(parts) + "."
