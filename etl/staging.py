"""Staging: a source's raw table -> the fixed staged columns (dbt staging style).

Only renames, casts, constants and value maps declared in the sources file happen here, so every
source looks the same to the transform step and adding a tabular source needs no code.
Normalising (roles, countries, pay) is the transform's job.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STAGED_POSTING_COLUMNS: tuple[str, ...] = (
    "source_row", "source_id", "title", "company", "location", "country", "posted_date",
    "employment_type", "remote", "pay_min", "pay_max", "pay", "pay_period", "currency",
    "pay_text", "skills", "description", "url", "seniority",
)  # fmt: skip
STAGED_SALARY_COLUMNS: tuple[str, ...] = (
    "source_row", "year", "seniority", "employment_type", "title", "salary_local", "currency",
    "salary_usd", "residence_country", "company_country", "remote", "company_size",
)  # fmt: skip

NUMERIC_COLUMNS = frozenset({"pay_min", "pay_max", "pay", "salary_local", "salary_usd"})
DATE_COLUMNS = frozenset({"posted_date"})
INTEGER_COLUMNS = frozenset({"year"})


def _blank_to_na(series: pd.Series) -> pd.Series:
    """Empty or whitespace-only text is a missing value."""
    values = series.astype("object")
    try:
        codes, uniques = pd.factorize(values.to_numpy())
    except TypeError:  # lists are unhashable
        blank = values.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
        return values.where(~blank & values.notna(), None)
    blank = np.array([isinstance(u, str) and not u.strip() for u in uniques] + [False])[codes]
    return values.where(~blank & values.notna().to_numpy(), None)


def _key(value: object) -> str:
    """Value-map key of a value: text as written; 50.0 and "50" both match a key 50."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def apply_value_map(series: pd.Series, mapping: dict) -> pd.Series:
    """Translate a source's codes; values not in the map pass through unchanged."""
    keys = {_key(k): v for k, v in mapping.items()}
    values = series.astype("object").to_numpy()
    try:
        codes, uniques = pd.factorize(values)
    except TypeError:
        lookup = {v: keys.get(_key(v), v) for v in pd.unique(series.dropna())}
        return series.map(lambda v: lookup.get(v, v) if v is not None and v == v else None)
    # once per distinct text; other values row by row (hashing merges True, 1 and 1.0)
    table = np.empty(len(uniques) + 1, dtype="object")
    table[:-1] = [keys.get(_key(u), u) for u in uniques]
    table[-1] = None
    out = table[codes]
    odd = [i for i, u in enumerate(uniques) if not isinstance(u, str)]
    if odd:
        rows = np.flatnonzero(np.isin(codes, odd))
        out[rows] = [keys.get(_key(values[r]), values[r]) for r in rows]
    return pd.Series(out, index=series.index, dtype="object", name=series.name).infer_objects()


def _cast(column: str, series: pd.Series) -> pd.Series:
    if column in NUMERIC_COLUMNS:
        try:
            codes, uniques = pd.factorize(series.astype("object").to_numpy())
        except TypeError:
            text = series.map(lambda v: v.replace(",", "") if isinstance(v, str) else v)
            return pd.to_numeric(text, errors="coerce").astype("Float64")
        text = [u.replace(",", "") if isinstance(u, str) else u for u in uniques]
        numbers = pd.to_numeric(pd.Series([*text, None], dtype="object"), errors="coerce")
        taken = numbers.astype("Float64").array.take(np.where(codes < 0, len(text), codes))
        return pd.Series(taken, index=series.index, name=series.name)
    if column in INTEGER_COLUMNS:
        numbers = pd.to_numeric(series, errors="coerce")
        whole = numbers.where(numbers == numbers.round())
        return whole.astype("Int64")
    if column in DATE_COLUMNS:
        if pd.api.types.is_datetime64_any_dtype(series):
            stamps = series
        else:  # offsets ("+02:00") differ between rows: compare everything in UTC
            stamps = pd.to_datetime(series, errors="coerce", format="mixed", utc=True)
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        return stamps.astype("datetime64[ns]")
    return series


def stage(raw: pd.DataFrame, source: dict, columns: tuple[str, ...]) -> pd.DataFrame:
    """The staged frame of a raw table: ``columns`` in order, ``source_row`` 1-based.

    Several raw columns feeding one staged column are coalesced (first non-empty wins), e.g.
    data_jobs' salary_year_avg and salary_hour_avg both feed ``pay``.
    """
    staged = pd.DataFrame(index=raw.index)
    for raw_column, target in (source.get("columns") or {}).items():
        values = _blank_to_na(raw[raw_column])
        if target in staged:
            staged[target] = staged[target].where(staged[target].notna(), values)
        else:
            staged[target] = values
    for column in columns:
        if column not in staged:
            staged[column] = pd.Series([None] * len(raw), index=raw.index, dtype="object")
    for column, value in (source.get("constants") or {}).items():
        staged[column] = staged[column].where(staged[column].notna(), value)
    for column, mapping in (source.get("value_maps") or {}).items():
        staged[column] = apply_value_map(staged[column], mapping)
    for column in columns:
        staged[column] = _cast(column, staged[column])
    staged["source_row"] = pd.array(range(1, len(raw) + 1), dtype="Int64")
    return staged[list(columns)].reset_index(drop=True)
