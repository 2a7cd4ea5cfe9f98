"""The AI share of postings: what counts as an AI job, and the monthly series the policy allows.

Pure: the definition is read from the contract and the skills taxonomy (not restated here), and
``monthly_points`` applies the honesty policy to the series from
dashboard.queries.demand.ai_share_by_month.
"""

from __future__ import annotations

import pandas as pd

from dashboard.stats.honesty import Thresholds, median_reason, thresholds
from etl.contract import AI_ROLES
from etl.normalise.skills import load_taxonomy


def ai_definition() -> str:
    """The AI-job definition in words, from the contract and the taxonomy (not restated here)."""
    table = load_taxonomy().table()
    ai = table.loc[table["ai"], "skill"].tolist()  # file order: the reviewers' order
    shown = ", ".join(ai[:10]) + (f" and {len(ai) - 10} more" if len(ai) > 10 else "")
    return (
        f"**AI job** = a posting whose role is {', '.join(AI_ROLES[:-1])} or {AI_ROLES[-1]} "
        f"(*by title*), or that asks for at least one skill of the AI-skills group "
        f"(*by skills*: {shown}). Share = AI postings ÷ all postings in the selection."
    )


def monthly_points(monthly: pd.DataFrame, t: Thresholds | None = None) -> pd.DataFrame:
    """Every month from the first to the last (gaps break the line), with the share blanked
    where a month has fewer postings than the policy's minimum (``note`` says why)."""
    t = t or thresholds()
    cols = ["n", "ai", "by_title", "by_skills"]
    data = monthly.assign(month=pd.to_datetime(monthly["month"])).set_index("month")
    every = pd.date_range(data.index.min(), data.index.max(), freq="MS")
    data = data.reindex(every).rename_axis("month").reset_index()
    data[cols] = data[cols].fillna(0).astype("int64")
    data["note"] = [median_reason(int(n), "postings", t) or "" for n in data["n"]]
    data["share"] = data["share"].where(data["note"] == "")
    return data
