"""Validation: pandera schemas generated from etl/contract.py, checked before every publish.

A store that breaks the contract is never published: the dashboard would show wrong numbers
without a word. The schemas are derived from the contract, so a new column or code is checked
without touching this module.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pandera.pandas as pa

from etl.contract import (
    COMPANY_SIZES,
    EDUCATION_CODES,
    EMPLOYMENT_TYPES,
    PERCENT_UNITS,
    PLACE_TYPES,
    REGIONS,
    REMOTE_CODES,
    RUN_STATUSES,
    SALARY_PERIODS,
    SENIORITY_CODES,
    SERIES_UNITS,
    SOURCE_KINDS,
    SOURCE_STATUSES,
    TABLES,
    YEARS_CODE_PATTERN,
    columns,
)
from etl.errors import ValidationError

MIN_DATE = pd.Timestamp("2000-01-01")

ALLOWED: dict[tuple[str, str], tuple] = {
    **{(t, "seniority"): SENIORITY_CODES for t in ("salaries", "postings")},
    **{(t, "region"): REGIONS for t in ("salaries", "postings", "series")},
    **{(t, "remote"): REMOTE_CODES for t in ("salaries", "postings")},
    **{(t, "employment_type"): EMPLOYMENT_TYPES for t in ("salaries", "postings")},
    ("postings", "salary_period"): SALARY_PERIODS,
    ("postings", "ai_basis"): ("title", "skills"),
    ("salaries", "company_size"): COMPANY_SIZES,
    ("salaries", "education"): EDUCATION_CODES,
    ("runs", "status"): RUN_STATUSES,
    ("sources", "kind"): SOURCE_KINDS,
    ("sources", "status"): SOURCE_STATUSES,
    ("series", "unit"): SERIES_UNITS,
    ("series", "place_type"): PLACE_TYPES,
}
FINITE = {("series", "value")}
POSITIVE = {
    ("salaries", "salary_usd"),
    *(("postings", c) for c in ("salary_min_usd", "salary_max_usd", "salary_usd")),
    ("salaries", "salary_max_usd"),
}
NOT_NEGATIVE = {("salaries", "salary_min_usd")}  # a survey's lowest band starts at $0
PATTERNS = {
    ("salaries", "years_coding"): YEARS_CODE_PATTERN,
    ("salaries", "years_ml"): YEARS_CODE_PATTERN,
}
UNIQUE: dict[str, list[str]] = {
    "salaries": ["record_id"],
    "postings": ["posting_id"],
    "posting_skills": ["posting_id", "skill"],
    "salary_skills": ["record_id", "skill"],
    "runs": ["run_id", "source"],
    "series": ["source", "series", "variant", "place_code", "date"],
    "series_labels": ["source", "series"],
    "sources": ["name"],
    "meta": ["key"],
}


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table with the contract's columns, in order, in one pandas dtype per SQL type."""
    out = {}
    for col in TABLES[name]:
        s = (
            frame[col.name]
            if col.name in frame
            else pd.Series([None] * len(frame), index=frame.index)
        )
        if col.sql_type == "VARCHAR":
            s = s.astype("object").where(s.notna(), None)
            s = s.map(lambda v: v if v is None or isinstance(v, str) else str(v))
        elif col.sql_type == "DOUBLE":
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        elif col.sql_type in ("INTEGER", "BIGINT"):
            s = pd.to_numeric(s, errors="coerce").astype("Int64")
        elif col.sql_type in ("DATE", "TIMESTAMP"):
            s = pd.to_datetime(s, errors="coerce").astype("datetime64[us]")
            if col.sql_type == "DATE":
                s = s.dt.normalize()
        elif col.sql_type == "BOOLEAN":
            s = s.astype("boolean")
        out[col.name] = s.reset_index(drop=True)
    return pd.DataFrame(out, columns=columns(name))


def _column(table: str, col) -> pa.Column:
    checks = []
    allowed = ALLOWED.get((table, col.name))
    if allowed:
        checks.append(pa.Check.isin(list(allowed)))
    if (table, col.name) in POSITIVE:
        checks.append(pa.Check.gt(0))
    if (table, col.name) in FINITE:
        checks.append(pa.Check(lambda s: np.isfinite(s), error="not a finite number"))
    if (table, col.name) in NOT_NEGATIVE:
        checks.append(pa.Check.ge(0))
    if (table, col.name) in PATTERNS:
        checks.append(pa.Check.str_matches(PATTERNS[(table, col.name)]))
    if col.sql_type in ("DATE", "TIMESTAMP"):
        latest = pd.Timestamp(date.today()) + pd.Timedelta(days=2)
        checks.append(pa.Check.in_range(MIN_DATE, latest))
    if table == "salaries" and col.name == "year":
        checks.append(pa.Check.in_range(MIN_DATE.year, date.today().year + 1))
    if col.sql_type == "VARCHAR":
        checks.append(
            pa.Check(
                lambda s: s.map(lambda v: isinstance(v, str)), error="not text", element_wise=False
            )
        )
    dtype = {
        "DOUBLE": "float64",
        "INTEGER": "Int64",
        "BIGINT": "Int64",
        "DATE": "datetime64[us]",
        "TIMESTAMP": "datetime64[us]",
        "BOOLEAN": "boolean",
    }.get(col.sql_type)
    return pa.Column(dtype, checks=checks, nullable=col.nullable)


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of a contract table: types, nullability, allowed codes, unique keys."""
    return pa.DataFrameSchema(
        {c.name: _column(table, c) for c in TABLES[table]},
        strict=True,
        ordered=True,
        unique=UNIQUE.get(table),
        name=table,
    )


def _summary(table: str, exc: pa.errors.SchemaErrors) -> str:
    cases = exc.failure_cases
    parts = []
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        values = ", ".join(repr(v) for v in group["failure_case"].drop_duplicates().head(3))
        parts.append(f"{column}: {check} ({len(group)} rows, e.g. {values})")
    return f"table {table!r} breaks the store contract: " + "; ".join(parts[:5])


def validate_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Conformed and validated tables; a ValidationError (one line) when any breaks the contract."""
    out = {}
    for name in TABLES:
        if name not in tables:
            continue
        frame = conform(name, tables[name])
        try:
            out[name] = schema(name).validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            raise ValidationError(_summary(name, exc)) from exc
    if "series" in out:
        series = out["series"]
        share = series["unit"].isin(PERCENT_UNITS)
        outside = series.loc[share & ~series["value"].between(0, 100)]
        if len(outside):
            row = outside.iloc[0]
            raise ValidationError(
                f"table 'series' has {len(outside)} shares outside 0-100 "
                f"(e.g. {row['source']} {row['place_code']} {row['date']:%Y-%m-%d}: {row['value']})"
            )
    for child, parent, key in (
        ("posting_skills", "postings", "posting_id"),
        ("salary_skills", "salaries", "record_id"),
    ):
        if child not in out:
            continue
        known = set(out.get(parent, pd.DataFrame({key: []}))[key])
        orphans = out[child].loc[~out[child][key].isin(known)]
        if len(orphans):
            raise ValidationError(
                f"table {child!r} has {len(orphans)} rows whose {key} is not in "
                f"{parent} (e.g. {orphans[key].iloc[0]!r})"
            )
    salaries = out.get("salaries")
    if salaries is not None and len(salaries):
        upside_down = salaries["salary_max_usd"] < salaries["salary_min_usd"]
        if upside_down.fillna(False).any():
            first = salaries.loc[upside_down.fillna(False), "record_id"].iloc[0]
            raise ValidationError(
                f"table 'salaries' has {int(upside_down.sum())} pay bands whose upper edge is "
                f"below the lower one (e.g. {first!r})"
            )
    return out
