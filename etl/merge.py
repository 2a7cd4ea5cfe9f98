"""Merging one source's new rows with the previous store.

File sources are full snapshots (``replace``: the new file's rows replace that source's rows).
API sources see only today's openings (``accumulate``: union by posting_id, keeping the first and
last day each posting was seen), so history grows with each refresh and a rerun changes nothing.
"""

from __future__ import annotations

import pandas as pd

from etl.contract import columns


def rows_of(table: pd.DataFrame | None, source: str, name: str) -> pd.DataFrame:
    """The rows of ``source`` in a previous table (empty with the contract columns if none)."""
    if table is None or table.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns(name)})
    return table[table["source"] == source].reset_index(drop=True)


def skills_of(
    previous_skills: pd.DataFrame | None, ids: pd.Series, table: str = "posting_skills"
) -> pd.DataFrame:
    """The previous skill rows (posting_skills, or salary_skills) of the given postings (or
    salary records)."""
    key = "record_id" if table == "salary_skills" else "posting_id"
    if previous_skills is None or previous_skills.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns(table)})
    keep = previous_skills[key].isin(set(ids))
    return previous_skills[keep].reset_index(drop=True)


def _concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    # reindex: a store read back from before a column was added (posting_skills.basis) lacks it
    frames = [f.reindex(columns=columns(name)) for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns(name)})
    return pd.concat(frames, ignore_index=True)


def accumulate(
    previous: pd.DataFrame,
    new: pd.DataFrame,
    previous_skills: pd.DataFrame | None = None,
    new_skills: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Union of one source's previous and new postings (and their skills) by posting_id.

    first_seen = the earliest, last_seen = the latest, posted_date = the earliest; every other field
    comes from the newest sighting. A posting's skills come from its newest sighting. Idempotent.
    """
    old = previous[columns("postings")].astype("object")
    fresh = new[columns("postings")].astype("object")
    both = pd.concat([old.assign(_new=0), fresh.assign(_new=1)], ignore_index=True)
    for col in ("first_seen", "last_seen", "posted_date"):
        both[col] = pd.to_datetime(both[col]).dt.date
    spans = both.groupby("posting_id").agg(
        first_seen=("first_seen", "min"),
        last_seen=("last_seen", "max"),
        posted=("posted_date", "min"),
    )
    latest = both.sort_values(["_new", "last_seen"], kind="stable").drop_duplicates(
        "posting_id", keep="last"
    )
    latest = latest.drop(columns=["first_seen", "last_seen", "_new"]).set_index("posting_id")
    latest = latest.join(spans)
    latest["posted_date"] = latest.pop("posted")
    merged = latest.reset_index()[columns("postings")]
    new_ids = set(fresh["posting_id"])
    old_skills = skills_of(previous_skills, merged["posting_id"])
    old_skills = old_skills[~old_skills["posting_id"].isin(new_ids)]
    skills = _concat([old_skills, new_skills], "posting_skills")
    return merged.reset_index(drop=True), skills.reset_index(drop=True)


def combine(parts: dict[str, list[pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Each table's parts (one per source) concatenated with the contract's columns."""
    return {name: _concat(frames, name) for name, frames in parts.items()}
