"""Staging: a source's raw table -> the fixed staged columns (dbt staging style).

Only renames, casts, constants and value maps declared in the sources file happen here, so every
source looks the same to the transform step and adding a tabular source needs no code.
Normalising (roles, countries, pay) is the transform's job.
"""

from __future__ import annotations

import re

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
STAGED_SERIES_COLUMNS: tuple[str, ...] = (
    "source_row", "date", "place", "series", "variant", "value",
)  # fmt: skip
"""Series sources (etl/series.py): date and value stay text here; etl.series parses and checks
them, so a bad date or value becomes a reject with the text as written."""

VALUE_ERRORS = "value_errors"  # staged.attrs key: reasons of rows with objects for values
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


def _not_values(series: pd.Series, target: str) -> pd.Series | None:
    """Where a cell holds a JSON object (or a list outside ``skills``): the reject reason.

    Such a cell cannot be a title, a date or a number; its row is rejected with this reason
    instead of the whole source failing on it. None when every cell is a plain value (cheap:
    only columns that cannot be hashed, i.e. that hold a dict or a list, are looked at).
    """
    if series.dtype != object:
        return None
    try:
        pd.factorize(series.to_numpy())
        return None
    except TypeError:
        pass
    allowed = (str,) if target != "skills" else (str, list)

    def reason(value: object) -> str | None:
        if isinstance(value, dict):
            return f"{target} is a JSON object, not a value"
        if isinstance(value, list | tuple) and not isinstance(value, allowed):
            return f"{target} is a JSON list, not a value"
        return None

    reasons = series.map(reason)
    return reasons if reasons.notna().any() else None


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


_THOUSANDS = re.compile(r"\s*[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?\s*")


def _number_text(value: object) -> object:
    """Text of a number with its thousands separators dropped ("150,000" -> "150000").

    Any other comma makes the text no number: "1,5e5" or a decimal comma "1,5" would otherwise
    be read as 1,500,000 or 15.
    """
    if not isinstance(value, str) or "," not in value:
        return value
    return value.replace(",", "") if _THOUSANDS.fullmatch(value) else None


def _cast(column: str, series: pd.Series) -> pd.Series:
    if column in NUMERIC_COLUMNS:
        try:
            codes, uniques = pd.factorize(series.astype("object").to_numpy())
        except TypeError:
            text = series.map(_number_text)
            return pd.to_numeric(text, errors="coerce").astype("Float64")
        text = [_number_text(u) for u in uniques]
        numbers = pd.to_numeric(pd.Series([*text, None], dtype="object"), errors="coerce")
        taken = numbers.astype("Float64").array.take(np.where(codes < 0, len(text), codes))
        return pd.Series(taken, index=series.index, name=series.name)
    if column in INTEGER_COLUMNS:  # "2024.5", "1e400" or a dict are no year: missing
        numbers = pd.to_numeric(series, errors="coerce").astype("float64")
        whole = numbers.where(np.isfinite(numbers) & (numbers.abs() < 1e9))
        whole = whole.where(whole == whole.round())
        return whole.astype("Int64")
    if column in DATE_COLUMNS:
        if pd.api.types.is_datetime64_any_dtype(series):
            stamps = series
        else:  # offsets ("+02:00") differ between rows: compare everything in UTC
            stamps = pd.to_datetime(series, errors="coerce", format="mixed", utc=True)
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        # year 1 or 9999 parse (at a coarser resolution) but do not fit: missing, so rejected
        fits = (stamps >= pd.Timestamp.min) & (stamps <= pd.Timestamp.max)
        return stamps.where(fits).astype("datetime64[ns]")
    return series


def stage(raw: pd.DataFrame, source: dict, columns: tuple[str, ...]) -> pd.DataFrame:
    """The staged frame of a raw table: ``columns`` in order, ``source_row`` 1-based.

    Several raw columns feeding one staged column are coalesced (first non-empty wins), e.g.
    data_jobs' salary_year_avg and salary_hour_avg both feed ``pay``.
    """
    staged = pd.DataFrame(index=raw.index)
    errors = pd.Series(None, index=raw.index, dtype="object")
    for raw_column, target in (source.get("columns") or {}).items():
        column = raw[raw_column]
        if (why := _not_values(column, target)) is not None:
            errors = errors.where(errors.notna(), why)
            column = column.where(why.isna(), None)
        values = _blank_to_na(column)
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
    out = staged[list(columns)].reset_index(drop=True)
    out.attrs = {}
    if errors.notna().any():  # read by the transform: these rows are rejected with the reason
        out.attrs[VALUE_ERRORS] = errors.reset_index(drop=True)
    return out


def value_errors(staged: pd.DataFrame) -> pd.Series:
    """The reject reason of each staged row whose cells were no values (None elsewhere)."""
    errors = staged.attrs.get(VALUE_ERRORS)
    if errors is None or len(errors) != len(staged):
        return pd.Series([None] * len(staged), index=staged.index, dtype="object")
    values = errors.to_numpy(dtype="object")
    return pd.Series(np.where(pd.notna(values), values, None), index=staged.index, dtype="object")
