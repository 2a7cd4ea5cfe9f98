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
    SKILL_BASES,
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
    ("posting_skills", "basis"): SKILL_BASES,
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
    for child, (parent, key) in CHILDREN.items():
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


CHILDREN: dict[str, tuple[str, str]] = {
    "posting_skills": ("postings", "posting_id"),
    "salary_skills": ("salaries", "record_id"),
}
"""Tables whose rows belong to a row of a parent table: (parent, key). No orphans allowed."""


def _sql_literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def sql_checks(table: str) -> list[tuple[str, str, str]]:
    """The contract's checks of ``table`` as SQL: (column, check name, predicate of a bad row).

    The same rules as ``schema`` (ALLOWED, POSITIVE, dates, nullability), for the store build that
    checks tables in DuckDB without loading them into pandas (etl/build.py).
    """
    checks = []
    latest = (pd.Timestamp(date.today()) + pd.Timedelta(days=2)).date().isoformat()
    for col in TABLES[table]:
        name = f'"{col.name}"'
        if not col.nullable:
            checks.append((col.name, "not_nullable", f"{name} IS NULL"))
        allowed = ALLOWED.get((table, col.name))
        if allowed:
            values = ", ".join(_sql_literal(v) for v in allowed)
            checks.append((col.name, f"isin({list(allowed)})", f"{name} NOT IN ({values})"))
        if (table, col.name) in POSITIVE:
            checks.append((col.name, "greater_than(0)", f"{name} <= 0"))
        if (table, col.name) in FINITE:
            checks.append((col.name, "not a finite number", f"NOT isfinite({name})"))
        if col.sql_type in ("DATE", "TIMESTAMP"):
            low = MIN_DATE.date().isoformat()
            checks.append(
                (col.name, f"in_range({low}, {latest})",
                 f"{name} < DATE '{low}' OR {name} > DATE '{latest}'")
            )  # fmt: skip
        if table == "salaries" and col.name == "year":
            top = date.today().year + 1
            checks.append(
                (col.name, f"in_range({MIN_DATE.year}, {top})",
                 f"{name} < {MIN_DATE.year} OR {name} > {top}")
            )  # fmt: skip
    return checks


def check_sql(con, table: str, relation: str, parent: str | None = None) -> None:
    """Raise ValidationError (one line, as validate_tables words it) if the rows of
    ``relation`` (a view or table on ``con``) break ``table``'s contract; ``parent`` is the
    relation holding the rows a child table's rows must reference (CHILDREN)."""
    checks = sql_checks(table)
    parts = []
    if checks:
        counts = ", ".join(f"count_if(({pred}) IS TRUE)" for _, _, pred in checks)
        found = con.execute(f"SELECT {counts} FROM {relation}").fetchone()
        for (column, check, pred), n in zip(checks, found, strict=True):
            if n:
                examples = con.execute(
                    f'SELECT DISTINCT "{column}" FROM {relation} WHERE ({pred}) IS TRUE LIMIT 3'
                ).fetchall()
                shown = ", ".join(repr(r[0]) for r in examples)
                parts.append(f"{column}: {check} ({n} rows, e.g. {shown})")
    key = UNIQUE.get(table)
    if key:
        cols = ", ".join(f'"{c}"' for c in key)
        dupes = con.execute(
            f"SELECT {cols}, count(*) FROM {relation} GROUP BY ALL HAVING count(*) > 1 LIMIT 3"
        ).fetchall()
        if dupes:
            shown = ", ".join(repr(r[0] if len(key) == 1 else r[:-1]) for r in dupes)
            parts.append(f"{', '.join(key)}: unique (e.g. {shown})")
    if parts:
        raise ValidationError(f"table {table!r} breaks the store contract: " + "; ".join(parts[:5]))
    if table == "series":
        units = ", ".join(_sql_literal(u) for u in PERCENT_UNITS)
        outside = con.execute(
            f"SELECT count(*), any_value(source || ' ' || place_code || ' ' || "
            f"strftime(date, '%Y-%m-%d') || ': ' || value) FROM {relation} "
            f"WHERE unit IN ({units}) AND (value < 0 OR value > 100)"
        ).fetchone()
        if outside[0]:
            raise ValidationError(
                f"table 'series' has {outside[0]} shares outside 0-100 (e.g. {outside[1]})"
            )
    if table == "salaries":
        upside_down = con.execute(
            f"SELECT count(*), any_value(record_id) FROM {relation} "
            "WHERE salary_max_usd < salary_min_usd"
        ).fetchone()
        if upside_down[0]:
            raise ValidationError(
                f"table 'salaries' has {upside_down[0]} pay bands whose upper edge is "
                f"below the lower one (e.g. {upside_down[1]!r})"
            )
    if table in CHILDREN and parent is not None:
        parent_table, key = CHILDREN[table]
        orphans = con.execute(
            f'SELECT count(*), any_value(s."{key}") FROM {relation} s '
            f'WHERE NOT EXISTS (SELECT 1 FROM {parent} p WHERE p."{key}" = s."{key}")'
        ).fetchone()
        if orphans[0]:
            raise ValidationError(
                f"table {table!r} has {orphans[0]} rows whose {key} is not in "
                f"{parent_table} (e.g. {orphans[1]!r})"
            )
