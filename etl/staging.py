"""Staging: a source's raw table -> the fixed staged columns (dbt staging style).

Only renames, casts, constants, value maps, bins, multi-select groups and reject rules declared in
the sources file happen here, so every source looks the same to the transform step and adding a
tabular source (or a survey year) needs no code. Normalising (roles, countries, pay, bands) is the
transform's job.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.normalise.bands import bin_value, parse_bins
from etl.normalise.distinct import per_text

STAGED_POSTING_COLUMNS: tuple[str, ...] = (
    "source_row", "source_id", "title", "company", "location", "country", "posted_date",
    "employment_type", "remote", "pay_min", "pay_max", "pay", "pay_period", "currency",
    "pay_text", "skills", "description", "url", "seniority",
)  # fmt: skip
STAGED_SALARY_COLUMNS: tuple[str, ...] = (
    "source_row", "year", "seniority", "employment_type", "title", "salary_local", "currency",
    "salary_usd", "residence_country", "company_country", "remote", "company_size",
    "role", "salary_band", "education", "publishes_research", "years_coding", "years_ml",
    "skills", "reject_reason",
)  # fmt: skip
"""``salary_band``: a pay band's text in ``currency`` a year ("$0-999", ">$1,000,000");
``skills``: the options a respondent ticked in the multi-select groups (a list);
``reject_reason``: set by the source's ``reject_when`` rules."""
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
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        return _arrow_blank_to_na(series)
    values = series.astype("object")
    try:
        codes, uniques = pd.factorize(values.to_numpy())
    except TypeError:  # lists are unhashable
        blank = values.map(lambda v: isinstance(v, str) and not v.strip()).astype(bool)
        return values.where(~blank & values.notna(), None)
    blank = np.array([isinstance(u, str) and not u.strip() for u in uniques] + [False])[codes]
    return values.where(~blank & values.notna().to_numpy(), None)


def _arrow_blank_to_na(series: pd.Series) -> pd.Series:
    """``_blank_to_na`` of Arrow-backed text (what Parquet and CSV readers give): the distinct
    values come from Arrow's dictionary encoding, so no Python string is made or hashed per row
    (a 50k-row chunk of ~45k distinct amounts: ~4 ms against ~11)."""
    text = pa.array(series.array)  # a CSV reader's column comes in several chunks
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    encoded = text.dictionary_encode()
    uniques = encoded.dictionary
    table = np.empty(len(uniques) + 1, dtype="object")  # the last slot: missing
    table[:-1] = uniques.to_numpy(zero_copy_only=False)
    # text starting with a letter or digit is not blank; str.strip judges the rest
    maybe = ~pc.match_substring_regex(uniques, "^[0-9A-Za-z]").to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(maybe):
        if not table[i].strip():
            table[i] = None
    codes = pc.fill_null(encoded.indices, len(uniques)).to_numpy()
    return pd.Series(table[codes], index=series.index, name=series.name, dtype="object")


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

    def answer(value: object) -> object:
        return keys.get(_key(value), value)

    mapped = per_text(values, answer, None, series.index, series.name)
    if mapped is not None:
        return mapped
    # a list among the values (a JSON source's array field) cannot be hashed: row by row
    rows = [None if pd.api.types.is_scalar(v) and pd.isna(v) else answer(v) for v in values]
    return pd.Series(rows, index=series.index, dtype="object", name=series.name)


_THOUSANDS = re.compile(r"\s*[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?\s*")


def _number_text(value: object) -> object:
    """Text of a number with its thousands separators dropped ("150,000" -> "150000").

    Any other comma makes the text no number: "1,5e5" or a decimal comma "1,5" would otherwise
    be read as 1,500,000 or 15.
    """
    if not isinstance(value, str) or "," not in value:
        return value
    return value.replace(",", "") if _THOUSANDS.fullmatch(value) else None


def column_pairs(columns: dict | None) -> Iterator[tuple[str, str]]:
    """(source column, staged column) pairs of a ``columns`` mapping; a list value feeds several
    staged columns from one source column (``Q4: [residence_country, company_country]``)."""
    for raw_column, targets in (columns or {}).items():
        for target in targets if isinstance(targets, list) else [targets]:
            yield str(raw_column), str(target)


def group_columns(raw_columns: list[str], pattern: str) -> list[str]:
    """The source columns of a multi-select group, chosen by a shell-style pattern ("Q12_*"),
    in file order."""
    return [c for c in raw_columns if fnmatch.fnmatchcase(c, pattern)]


def _ticked(raw: pd.DataFrame, groups: list[dict]) -> pd.Series:
    """Per row, the option texts ticked in every multi-select group (options mapped to null, such
    as "None", dropped; an option map renames the others)."""
    lists: list[list[str]] = [[] for _ in range(len(raw))]
    for group in groups:
        options = {str(k).strip(): v for k, v in (group.get("options") or {}).items()}
        for column in group_columns(list(raw.columns), str(group["columns"])):
            values = _blank_to_na(raw[column]).to_numpy()
            for i in np.flatnonzero(pd.notna(values)):
                text = " ".join(str(values[i]).split())
                name = options.get(text, text)
                if name is not None and name not in lists[i]:
                    lists[i].append(str(name))
    return pd.Series(lists, index=raw.index, dtype="object")


def _rule_hits(raw: pd.DataFrame, rule: dict) -> np.ndarray:
    values = _blank_to_na(raw[rule["column"]])
    if rule.get("missing"):
        return values.isna().to_numpy()
    wanted = rule["in"] if "in" in rule else [rule["equals"]]
    texts = values.map(lambda v: None if v is None else " ".join(str(v).split()))
    return texts.isin([" ".join(str(w).split()) for w in wanted]).to_numpy()


def reject_reasons(raw: pd.DataFrame, rules: list[dict]) -> pd.Series:
    """The reason of the first ``reject_when`` rule each row meets (None when none)."""
    out = np.full(len(raw), None, dtype="object")
    for rule in rules:
        hit = _rule_hits(raw, rule) & pd.isna(out)
        out[hit] = str(rule["reason"])
    return pd.Series(out, index=raw.index, dtype="object")


def apply_bins(series: pd.Series, spec: list, where: str = "bins") -> pd.Series:
    """Numbers or ranges binned into codes ("0-49 employees" -> S); a value whose band straddles
    an edge, or that is no number, becomes None."""
    bins = parse_bins(spec, where)
    lookup = {v: bin_value(v, bins) for v in pd.unique(series.dropna())}
    codes = series.map(lambda v: lookup.get(v) if v is not None and v == v else None)
    return codes.astype("object").where(codes.notna(), None)


_PLAIN_WHOLE = "^[0-9]{1,15}$"
"""Text of a whole number below 10^15 without sign or separator: Arrow's cast reads it to the
same float as ``pd.to_numeric`` (exactly), ten times faster. Other text takes the general path."""


def _numbers(uniques: np.ndarray) -> np.ndarray:
    """Floats of distinct cell values as ``pd.to_numeric(errors="coerce")`` reads their
    ``_number_text`` (NaN where no number)."""
    out = np.full(len(uniques), np.nan)
    rest = np.arange(len(uniques))
    try:
        text = pa.array(uniques, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or objects among the values
        text = None
    if text is not None:
        plain = pc.match_substring_regex(text, _PLAIN_WHOLE).to_numpy(zero_copy_only=False)
        out[plain] = text.filter(plain).cast(pa.float64()).to_numpy()
        rest = np.flatnonzero(~plain)
    if len(rest):
        other = pd.Series([_number_text(uniques[i]) for i in rest], dtype="object")
        out[rest] = pd.to_numeric(other, errors="coerce").astype("float64").to_numpy()
    return out


def _per_distinct_floats(
    series: pd.Series,
    read: Callable[[np.ndarray], np.ndarray],
    row_by_row: Callable[[pd.Series], pd.Series],
) -> pd.Series:
    """Floats of ``series``, ``read`` once per distinct value (a pay column repeats its amounts,
    a year column holds a handful of values in 100k rows); NaN where missing. ``row_by_row``
    when the values cannot be hashed (a dict among them)."""
    try:
        codes, uniques = pd.factorize(series.astype("object").to_numpy())
    except TypeError:
        return row_by_row(series).astype("float64")
    table = np.append(read(uniques), np.nan)
    return pd.Series(table[codes], index=series.index, name=series.name)


def _coerced(series: pd.Series) -> pd.Series:
    """``pd.to_numeric(series, errors="coerce")`` as floats, read once per distinct value."""

    def read(values: np.ndarray) -> np.ndarray:
        found = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce")
        return found.astype("float64").to_numpy()

    return _per_distinct_floats(series, read, lambda s: pd.to_numeric(s, errors="coerce"))


def _cast(column: str, series: pd.Series) -> pd.Series:
    if column in NUMERIC_COLUMNS:
        return _per_distinct_floats(
            series, _numbers, lambda s: pd.to_numeric(s.map(_number_text), errors="coerce")
        ).astype("Float64")
    if column in INTEGER_COLUMNS:  # "2024.5", "1e400" or a dict are no year: missing
        numbers = _coerced(series)
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
    for raw_column, target in column_pairs(source.get("columns")):
        if target not in columns:
            continue
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
        if column in staged:
            staged[column] = apply_value_map(staged[column], mapping)
    for column, spec in (source.get("bins") or {}).items():
        if column in staged:
            staged[column] = apply_bins(staged[column], spec, f"bins.{column}")
    if source.get("multi_select") and "skills" in columns:
        staged["skills"] = _ticked(raw, source["multi_select"])
    if source.get("reject_when") and "reject_reason" in columns:
        staged["reject_reason"] = reject_reasons(raw, source["reject_when"])
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
