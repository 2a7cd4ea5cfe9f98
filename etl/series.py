"""Series sources: aggregate values per date and place (a share of postings, an index).

A series file is not about single jobs, so none of the posting normalisers apply: the staged
columns (date, place, series, variant, value) are checked and every row is either loaded into the
``series`` table or rejected with a reason (``len(table) + len(rejects) == rows read``). Which file
column is which, the unit, the constant series name and the per-country file pattern are all in
the source's YAML entry (etl/sources.py), so a new series file is a YAML entry, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from etl import config
from etl.contract import PERCENT_UNITS, columns
from etl.normalise.location import is_country_code, region_for_country
from etl.staging import STAGED_SERIES_COLUMNS, stage
from etl.transform import Transformed, duplicate_reason, map_unique, rejects_frame

MIN_DATE = date(2000, 1, 1)
DEFAULT_VARIANT = "all"
FILE_COLUMN = "_file"
"""Column added to the raw rows of a multi-file source: which file (the ``for_each`` value) a row
came from. It shows in the rejects' raw JSON, so a rejected row names its file."""


@dataclass
class SeriesTransformed(Transformed):
    """A series source's rows and rejects, plus the conservation count of each of its files:
    ``files[label] = (rows read, rows loaded, rows rejected)``."""

    files: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def file_entries(source: dict) -> list[tuple[str | None, dict]]:
    """Each file of a source as (label, the entry with its own url and mirror_path).

    ``for_each: {CC: [AU, CA]}`` turns ``.../{CC}/aggregate_job_postings_{CC}.csv`` into one file
    per value, labelled with the value; a source without ``for_each`` is one file labelled None.
    """
    for_each = source.get("for_each")
    if not for_each:
        return [(None, source)]
    ((key, values),) = for_each.items()
    out = []
    for value in values:
        entry = dict(source)
        for where in ("url", "mirror_path"):
            if entry.get(where):
                entry[where] = str(entry[where]).replace("{" + str(key) + "}", str(value))
        out.append((str(value), entry))
    return out


@lru_cache(maxsize=4)
def _load_aggregates(path: Path) -> dict[str, str | None]:
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(code).upper(): (spec or {}).get("region")
        for code, spec in (doc.get("aggregates") or {}).items()
    }


def aggregate_names() -> dict[str, str]:
    """Codes of places that are groups of countries (data/places.yaml) -> their names."""
    path = config.data_dir() / "places.yaml"
    if not path.exists():
        return {}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(code).upper(): str((spec or {}).get("name") or code)
        for code, spec in (doc.get("aggregates") or {}).items()
    }


def aggregate_places() -> dict[str, str | None]:
    """Codes of places that are groups of countries (data/places.yaml) -> their region."""
    return _load_aggregates(config.data_dir() / "places.yaml")


def place_of(code: str) -> tuple[str, str | None] | None:
    """(place_type, region) of a place code; None when it is neither a country nor an aggregate.

    An aggregate wins over a country code only because no aggregate code is an ISO country code.
    """
    aggregates = aggregate_places()
    if code in aggregates:
        return "aggregate", aggregates[code]
    if not is_country_code(code):
        return None
    return "country", region_for_country(code)


def _parse_dates(values: pd.Series) -> pd.Series:
    """Dates of text values, parsed once per distinct value; NaT where it is not a date."""
    codes, uniques = pd.factorize(values.astype("object").to_numpy())
    parsed = pd.to_datetime(pd.Series(uniques, dtype="object"), errors="coerce", format="mixed")
    table = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT"))
    return pd.Series(table[codes], index=values.index).dt.normalize()


def _text(values: pd.Series) -> pd.Series:
    """Whitespace-collapsed text, computed once per distinct value (None when empty)."""
    return map_unique(values, lambda v: " ".join(v.split()) or None if isinstance(v, str) else None)


def transform_series(
    raw: pd.DataFrame, source: dict, today: date | None = None
) -> SeriesTransformed:
    """The ``series`` rows of one source's raw table, and its rejects with reasons.

    Rejected: a missing series name, a date that is not a date or lies outside 2000-01-01 .. today
    + 2 days, an unknown place, a value that is not a finite number, a share outside 0-100, and a
    repeat of an earlier row's (series, variant, place, date) ("duplicate of row N").
    """
    today = today or date.today()
    name, unit = source["name"], source["unit"]
    staged = stage(raw, source, STAGED_SERIES_COLUMNS)
    reasons = pd.Series([None] * len(staged), index=staged.index, dtype="object")

    def flag(bad: pd.Series, reason) -> None:
        """Give the rows ``bad`` selects ``reason(row index)`` unless they already have one."""
        for i in bad.index[bad.to_numpy(dtype=bool) & reasons.isna().to_numpy()]:
            reasons[i] = reason(i)

    series = _text(staged["series"])
    variant = _text(staged["variant"]).fillna(DEFAULT_VARIANT)
    flag(series.isna(), lambda i: "no series name")

    when = _parse_dates(staged["date"])
    flag(when.isna(), lambda i: f"date {staged.at[i, 'date']!r} is not a date")
    latest = pd.Timestamp(today) + pd.Timedelta(days=2)
    outside = when.notna() & ((when < pd.Timestamp(MIN_DATE)) | (when > latest))
    flag(
        outside,
        lambda i: f"date {when[i]:%Y-%m-%d} is outside {MIN_DATE:%Y-%m-%d} .. {latest:%Y-%m-%d}",
    )

    codes = map_unique(staged["place"], lambda v: v.strip().upper() if isinstance(v, str) else None)
    place_type = map_unique(codes, lambda c: (place_of(c) or (None, None))[0])
    region = map_unique(codes, lambda c: (place_of(c) or (None, None))[1])
    place = place_type
    flag(codes.isna(), lambda i: "no place")
    flag(
        codes.notna() & place.isna(),
        lambda i: (
            f"unknown place {staged.at[i, 'place']!r} (not a country code in "
            "data/regions.csv nor an aggregate in data/places.yaml)"
        ),
    )

    value = pd.to_numeric(staged["value"], errors="coerce").astype("float64")
    flag(staged["value"].isna(), lambda i: "no value")
    flag(value.isna(), lambda i: f"value {staged.at[i, 'value']!r} is not a number")
    flag(value.notna() & ~np.isfinite(value), lambda i: f"value {value[i]} is not finite")
    if unit in PERCENT_UNITS:
        flag(
            value.notna() & np.isfinite(value) & ~value.between(0, 100),
            lambda i: f"share {value[i]:g} is outside 0-100",
        )

    rows = staged["source_row"]
    clean = reasons.isna()
    key = pd.DataFrame({"s": series, "v": variant, "p": codes, "d": when})[clean]
    first = key.assign(row=rows[clean]).groupby(["s", "v", "p", "d"])["row"].transform("min")
    repeat = first.index[first.to_numpy() != rows[clean].to_numpy()]
    for i in repeat:
        reasons[i] = duplicate_reason(int(first[i]))

    good = reasons.isna()
    table = pd.DataFrame(
        {
            "source": name,
            "series": series,
            "variant": variant,
            "place_code": codes,
            "place_type": place_type,
            "region": region,
            "date": when,
            "value": value,
            "unit": unit,
        }
    )[good].reset_index(drop=True)[columns("series")]
    bad = ~good
    rejects = rejects_frame(name, raw, rows[bad], reasons[bad])
    files: dict[str, tuple[int, int, int]] = {}
    if FILE_COLUMN in raw:
        labels = raw[FILE_COLUMN].reset_index(drop=True)
        for label in pd.unique(labels):
            mine = (labels == label).to_numpy()
            loaded = int((good.to_numpy() & mine).sum())
            files[str(label)] = (int(mine.sum()), loaded, int(mine.sum()) - loaded)
    return SeriesTransformed(table, rejects, None, [], {}, None, files)


def labels_table(raw: pd.DataFrame, source: dict) -> pd.DataFrame:
    """The ``series_labels`` rows of a source's labels file (``labels.columns`` maps its columns
    onto ``series`` and ``examples``); rows without either are left out."""
    mapping = (source.get("labels") or {}).get("columns") or {}
    picked = raw.rename(columns={k: v for k, v in mapping.items()})
    if not {"series", "examples"} <= set(picked.columns):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns("series_labels")})
    out = pd.DataFrame(
        {
            "source": source["name"],
            "series": _text(picked["series"]),
            "examples": _text(picked["examples"]),
        }
    )
    out = out.dropna().drop_duplicates(["series"]).reset_index(drop=True)
    return out[columns("series_labels")]


def breaks_json(source: dict) -> str | None:
    """The source's method breaks ({date, note} list) as the JSON the sources table stores."""
    import json

    breaks = source.get("breaks") or []
    if not breaks:
        return None
    return json.dumps(
        [{"date": str(b["date"]), "note": " ".join(str(b.get("note", "")).split())} for b in breaks]
    )
