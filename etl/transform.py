"""Transform: staged frames -> contract tables, through the normalisers in etl/normalise/.

Every staged row ends up loaded or rejected with a reason a person understands (never clipped,
never silently dropped): ``len(table) + len(rejects) == len(staged)``. Normalisers are applied to
the distinct values of a column, not row by row, so 150k rows take seconds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from etl.contract import AI_ROLES, COMPANY_SIZES, EDUCATION_CODES, SENIORITY_CODES, columns
from etl.normalise import bands, fields, location, pay, roles, seniority, skills, text
from etl.normalise.distinct import spread
from etl.staging import value_errors

MIN_YEAR = 2000
# Note templates (formatted with a count); their order is the order of the run message.
NOTE_CORRECTED = "{:,} stated countries corrected from the location"
NOTE_UNKNOWN_COUNTRY = "{:,} unknown country names left blank"
NOTE_NO_CURRENCY = "{} pay figures without a currency left blank"
NOTE_DUPLICATES = "{:,} duplicate postings dropped"
NOTE_UNKNOWN_OPTIONS = "{:,} ticked options not in the skills taxonomy (data/skills.yaml) left out"
NOTE_UNREAD_BANDS = "{:,} pay bands that could not be read left blank"


@dataclass
class Transformed:
    """The contract rows of one source, its rejects and one-line notes for the run message.

    ``counts`` holds the figures behind the notes (note template -> count) so that chunks of one
    source can be summed; ``dedupe`` the de-duplication keys of the rows that took part in it
    (source_row, key), for the cross-chunk check in etl/engine.py.
    """

    table: pd.DataFrame
    rejects: pd.DataFrame
    posting_skills: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dedupe: pd.DataFrame | None = None
    # keyword-only: subclasses (series.SeriesTransformed) add positional fields after dedupe
    salary_skills: pd.DataFrame | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class SourceFacts:
    """Facts about a whole posting source that a chunk alone cannot know (etl/engine.py).

    ``all_ids``: every row has a source id (then ids are the de-duplication key);
    ``any_stated``: some row states a country (then stated and located countries are reconciled);
    ``discredited``: stated countries the locations contradict on most rows of the source.
    """

    all_ids: bool
    any_stated: bool
    discredited: frozenset[str] = frozenset()


def notes_of(counts: dict[str, int]) -> list[str]:
    """The one-line notes of note counts (template -> count), zero counts left out."""
    return [template.format(n) for template, n in counts.items() if n]


def _table_of(values: list) -> np.ndarray:
    table = np.empty(len(values), dtype="object")
    for i, value in enumerate(values):  # element-wise: results may be lists
        table[i] = value
    return table


def map_unique(series: pd.Series, func) -> pd.Series:
    """``func`` applied once per distinct non-null value (None stays None)."""
    values = series.astype("object")
    try:
        codes, uniques = pd.factorize(values.to_numpy())
    except TypeError:  # lists (an API's tags): hash them as tuples
        keys = values.map(lambda v: None if _missing(v) else _hashable(v))
        lookup = {v: func(_unhash(v)) for v in set(keys.dropna())}
        return keys.map(lambda v: lookup.get(v) if not _missing(v) else None)
    results = [func(u) for u in uniques]
    table = _table_of([None if _missing(r) else r for r in results] + [None])
    return pd.Series(table[codes], index=series.index, dtype="object", name=series.name)


def _per_value(series: pd.Series, func) -> pd.Series:
    """``series.map(func)`` computed once per distinct value (missing values as ``func(None)``),
    dtype inferred as ``map`` does. Only for functions that treat every non-text value alike
    (hashing merges True with 1 and 1 with 1.0)."""
    codes, uniques = pd.factorize(series.astype("object").to_numpy())
    table = _table_of([func(u) for u in uniques] + [func(None)])
    return spread(table, codes, series.index)


@lru_cache(maxsize=200_000)
def _cached_clean(value: object) -> str | None:
    return text.clean_text(value)


def _clean_text(value: object) -> str | None:
    """text.clean_text, remembered across the chunks a worker process transforms (ftfy is the
    costliest per-value step and titles, companies and places repeat between chunks)."""
    try:
        return _cached_clean(value)
    except TypeError:  # unhashable (a list)
        return text.clean_text(value)


def _hashable(value: object) -> object:
    return ("\x00list", *value) if isinstance(value, list | np.ndarray) else value


def _unhash(value: object) -> object:
    return list(value[1:]) if isinstance(value, tuple) and value[:1] == ("\x00list",) else value


def rejects_frame(
    source: str, raw: pd.DataFrame, rows: pd.Series, reasons: pd.Series
) -> pd.DataFrame:
    """Rejects of the staged rows ``rows`` (1-based source rows) with the raw row as JSON."""
    return _rejects(source, raw, rows.astype("int64").to_numpy() - 1, rows, reasons)


def _rejects(
    source: str, raw: pd.DataFrame, positions: np.ndarray, rows: pd.Series, reasons: pd.Series
) -> pd.DataFrame:
    """Rejects with ``raw``'s rows at ``positions`` as JSON; ``rows`` are their source rows
    (they differ from positions + 1 in a chunk of a larger source)."""
    if len(rows) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns("rejects")})
    picked = raw.iloc[positions]
    names = list(picked.columns)
    values = [_json_values(picked.iloc[:, i]) for i in range(len(names))]
    as_json = [
        json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str)
        for row in zip(*values, strict=True)
    ]
    return pd.DataFrame(
        {
            "source": source,
            "source_row": rows.astype("int64").to_numpy(),
            "reason": reasons.astype("object").to_numpy(),
            "raw": as_json,
        }
    )


def _json_values(column: pd.Series) -> list:
    """A raw column's values as JSON-ready Python values, None where missing. Column by column,
    not cell by cell: a rejected survey row has ~300 columns, and a survey rejects thousands."""
    cells = column.to_numpy(dtype=object, copy=True)
    cells[column.isna().to_numpy()] = None
    if isinstance(column.dtype, pd.StringDtype):  # Python str or None: nothing to convert
        return cells.tolist()
    return [None if v is None else _plain(v) for v in cells]


def _missing(value: object) -> bool:
    if isinstance(value, list | tuple | dict | np.ndarray):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _first_reason(reasons: pd.Series, new: pd.Series) -> pd.Series:
    """Keep an earlier reason; add ``new`` where the row had none."""
    return reasons.where(reasons.notna(), new)


def _codes(values: pd.Series, allowed: tuple[str, ...], default: str | None) -> pd.Series:
    clean = _per_value(values, lambda v: v.strip().lower() if isinstance(v, str) else None)
    return clean.where(clean.isin(allowed), default)


def _upper_or_none(value: object) -> str | None:
    return value.strip().upper() if isinstance(value, str) else None


def _reasons_at(index: pd.Index, bad: pd.Series, values: pd.Series, template: str) -> pd.Series:
    """``template`` formatted with the value of each ``bad`` row; None elsewhere."""
    out = np.full(len(index), None, dtype="object")
    rows = np.flatnonzero(bad.to_numpy(dtype=bool))
    picked = values.astype("object").to_numpy()[rows]
    out[rows] = [template.format(v) for v in picked]
    return pd.Series(out, index=index, dtype="object")


def _countries(values: pd.Series, what: str) -> tuple[pd.Series, pd.Series]:
    """(alpha-2 codes, a reason where a stated value is not a known country)."""
    codes = map_unique(values, location.country_code)
    bad = values.notna() & codes.isna()
    return codes, _reasons_at(values.index, bad, values, f"unknown {what} {{!r}}")


def _usd_or_reason(
    amount: pd.Series, currency: pd.Series, on: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Converted amounts and a reason where a given amount's currency cannot be converted."""
    usd = pay.to_usd(amount, currency, on)
    given = pd.to_numeric(amount, errors="coerce").notna()
    unknown = given & currency.notna() & usd.isna()
    return usd, _reasons_at(amount.index, unknown, currency, "unknown currency {!r}")


def _implausible(values: pd.Series, what: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    negative = numbers <= 0
    reason = pay.implausible_reason(numbers.where(~negative))
    zero = _reasons_at(values.index, negative, numbers, what + " {:,.0f} is not positive")
    return reason.where(~negative, zero)


def _roles(title: pd.Series, stated: pd.Series) -> pd.Series:
    """The source's own role where it states a canonical one (a survey's fixed title list mapped
    in the sources file), else the role the title rules give."""
    known = set(roles.load_role_rules().roles)
    from_title = roles.map_roles(title.fillna(""))
    given = stated.astype("object")
    return given.where(given.isin(known), from_title)


def _band_edges(band: pd.Series) -> tuple[pd.Series, pd.Series, int]:
    """(low, high, unread count) of pay band texts, each distinct text parsed once."""
    try:
        codes, uniques = pd.factorize(band.astype("object").to_numpy())
    except TypeError:  # lists: row by row
        codes, uniques = np.arange(len(band)), band.astype("object").to_numpy()
    unhashable = (list, dict, np.ndarray)  # no band, and lru_cache cannot take them
    parsed = [None if isinstance(u, unhashable) else bands.parse_band(u) for u in uniques]
    low = np.array([np.nan if b is None else b.low for b in parsed] + [np.nan], dtype="float64")
    high = np.array(
        [np.nan if b is None or b.high is None else b.high for b in parsed] + [np.nan],
        dtype="float64",
    )
    unread = [b is None and not _missing(u) for b, u in zip(parsed, uniques, strict=True)]
    return (
        pd.Series(low[codes], index=band.index),
        pd.Series(high[codes], index=band.index),
        int(np.array([*unread, False], dtype=bool)[codes].sum()),  # rows, not texts
    )


def _band_columns(
    frame: pd.DataFrame, on: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series, int]:
    """(min USD, max USD, reject reason, unread count) of the pay bands. A band in another
    currency is converted at the year's rate; an unreadable band is left blank (noted)."""
    low, high, unread = _band_edges(frame["salary_band"])
    currency = frame["currency"].where(frame["currency"].notna(), "USD")
    no_band = not (low.notna() | high.notna()).any()
    if no_band or bool(
        _per_value(currency, lambda c: isinstance(c, str) and c.strip().upper() == "USD").all()
    ):
        return (
            low.astype("float64"),
            high.astype("float64"),
            pd.Series(None, index=frame.index),
            unread,
        )
    low_usd, why = _usd_or_reason(low, currency, on)
    high_usd, _ = _usd_or_reason(high, currency, on)
    return low_usd, high_usd, why, unread


def _booleans(values: pd.Series) -> pd.Series:
    """True/False from mapped answers (YAML true/false, "yes"/"no"); anything else NULL."""

    def one(v: object) -> object:
        if isinstance(v, bool | np.bool_):
            return bool(v)
        if isinstance(v, str) and v.strip().lower() in ("true", "yes", "false", "no"):
            return v.strip().lower() in ("true", "yes")
        return None

    return _per_value(values, one).astype("boolean")


def _salary_skill_rows(record_ids: pd.Series, ticked: pd.Series) -> tuple[pd.DataFrame, int]:
    """The salary_skills rows of the loaded records and how many ticked options the taxonomy
    does not know."""
    taxonomy = skills.load_taxonomy()
    given = ticked.notna().to_numpy(dtype=bool)  # a survey without tool questions has none
    record_ids, ticked = record_ids[given], ticked[given]
    lists = ticked.map(lambda v: v if isinstance(v, list) else [])
    options = {o for items in lists for o in items}
    unknown = {o for o in options if taxonomy.canonical(o) is None}
    unknown_ticks = int(sum(1 for items in lists for o in items if o in unknown))
    exploded = skills.explode_skills(record_ids, lists, taxonomy)
    return exploded.rename(columns={"posting_id": "record_id"}), unknown_ticks


def transform_salaries(
    staged: pd.DataFrame, raw: pd.DataFrame, source: str, *, pay_required: bool = True
) -> Transformed:
    """Salary-survey rows -> the ``salaries`` table (and ``salary_skills``). Rows are never
    de-duplicated: identical survey answers are legitimate (coarse fields make repeats likely).

    A survey that publishes pay bands keeps both edges (salary_min_usd, salary_max_usd) and no
    point value; with ``pay_required`` false a respondent without pay is still loaded (their
    education, research and tools count). The source's ``reject_when`` rules come first.
    """
    frame = staged
    reasons = value_errors(frame)
    if "reject_reason" in frame:  # the source's reject_when rules come first
        rules = frame["reject_reason"].astype("object")
        reasons = rules.where(rules.notna(), reasons)
    this_year = date.today().year
    year = frame["year"]
    year_bad = year.isna() | (year < MIN_YEAR) | (year > this_year + 1)
    reasons = _first_reason(
        reasons, pd.Series("work year missing or out of range", index=frame.index).where(year_bad)
    )
    title = map_unique(frame["title"], _clean_text)
    company_cc, why = _countries(frame["company_country"], "company country")
    reasons = _first_reason(reasons, why)
    residence_cc, why = _countries(frame["residence_country"], "residence country")
    reasons = _first_reason(reasons, why)
    local = frame["salary_local"]
    stated_usd = frame["salary_usd"].astype("Float64")
    rate_year = year.where(~year_bad, this_year).astype("float64")
    converted, why = _usd_or_reason(local, frame["currency"], rate_year)
    reasons = _first_reason(reasons, why.where(stated_usd.isna()))
    usd = stated_usd.astype("float64").where(stated_usd.notna(), converted)
    band_min, band_max, why, unread = _band_columns(frame, rate_year)
    reasons = _first_reason(reasons, why)
    if pay_required:
        no_pay = pd.Series("no salary figure", index=frame.index).where(
            usd.isna() & band_min.isna()
        )
        reasons = _first_reason(reasons, no_pay)
    reasons = _first_reason(reasons, _implausible(local.where(local < 0), "salary"))
    reasons = _first_reason(reasons, _implausible(usd, "salary"))
    size = _per_value(frame["company_size"], _upper_or_none)
    education = _per_value(
        frame["education"], lambda v: v.strip().lower() if isinstance(v, str) else None
    )
    record_id = source + ":" + frame["source_row"].astype("string")
    table = pd.DataFrame(
        {
            "record_id": record_id,
            "source": source,
            "year": year,
            "title": title,
            "role": _roles(title, frame["role"]),
            "seniority": _codes(frame["seniority"], SENIORITY_CODES, "unknown"),
            "country_code": company_cc,
            "residence_country_code": residence_cc,
            "region": map_unique(company_cc, location.region_for_country),
            "remote": fields.remote_codes(frame["remote"]),
            "employment_type": fields.employment_types(frame["employment_type"]),
            "company_size": size.where(size.isin(COMPANY_SIZES), None),
            "salary_usd": usd,
            "salary_local": local.astype("float64"),
            "currency": _per_value(frame["currency"], _upper_or_none),
            "salary_min_usd": band_min,
            "salary_max_usd": band_max,
            "education": education.where(
                education.isin(EDUCATION_CODES) | education.isna(), "unknown"
            ),
            "publishes_research": _booleans(frame["publishes_research"]),
            "years_coding": map_unique(frame["years_coding"], bands.years_code),
            "years_ml": map_unique(frame["years_ml"], bands.years_code),
        }
    )
    bad = reasons.notna()
    rejects = _rejects(
        source, raw, np.flatnonzero(bad.to_numpy()), frame.loc[bad, "source_row"], reasons[bad]
    )
    salary_skills, unknown = _salary_skill_rows(record_id[~bad], frame.loc[~bad, "skills"])
    counts = {NOTE_UNKNOWN_OPTIONS: unknown, NOTE_UNREAD_BANDS: unread}
    return Transformed(
        table.loc[~bad, columns("salaries")].reset_index(drop=True),
        rejects,
        salary_skills=salary_skills.reset_index(drop=True),
        notes=notes_of(counts),
        counts=counts,
    )


def _pay_columns(
    frame: pd.DataFrame, posted: pd.Series
) -> tuple[pd.DataFrame, pd.Series, dict[str, int]]:
    """Annual USD pay of postings: a figure, a min/max range, or parsed from the pay text."""
    low = frame["pay_min"].astype("float64")
    high = frame["pay_max"].astype("float64")
    point = frame["pay"].astype("float64")
    low = low.where(low.notna(), point)
    high = high.where(high.notna(), point)
    currency = frame["currency"].astype("object")
    period = _per_value(
        frame["pay_period"], lambda p: p.strip().lower() if isinstance(p, str) else None
    )
    parsed = map_unique(frame["pay_text"], pay.parse_pay_text)
    use_text = low.isna() & high.isna() & parsed.notna()
    if use_text.any():
        low, high = low.copy(), high.copy()
        currency, period = currency.copy(), period.copy()
        found = parsed[use_text]
        low[use_text] = [p.min for p in found]
        high[use_text] = [p.max for p in found]
        currency[use_text] = [p.currency for p in found]
        period[use_text] = [p.period for p in found]
    low, high = low.astype("float64"), high.astype("float64")
    has_pay = low.notna() | high.notna()
    notes = {NOTE_NO_CURRENCY: 0}
    no_currency = has_pay & currency.isna()
    if no_currency.any():
        notes[NOTE_NO_CURRENCY] = int(no_currency.sum())
        low, high = low.where(~no_currency), high.where(~no_currency)
        has_pay = has_pay & ~no_currency
    hourly_below = pay.load_pay_rules().hourly_below
    guessed = pd.Series(np.where(high.fillna(low) < hourly_below, "hour", "year"), index=low.index)
    period = period.where(period.notna() | ~has_pay, guessed).where(has_pay, None)
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    reasons = _first_reason(reasons, _implausible(low.where(low < 0), "pay"))
    rates = pay.usd_rates(currency, posted)
    rate = rates["usd_rate"]
    min_usd = pay.annualise(low, period) * rate
    unknown = low.notna() & currency.notna() & rate.isna()
    reasons = _first_reason(
        reasons, _reasons_at(low.index, unknown, currency, "unknown currency {!r}")
    )
    max_usd = pay.annualise(high, period) * rate
    given_point = pay.annualise(point, period) * rate
    mid = (min_usd + max_usd) / 2
    salary = given_point.where(point.notna() & frame["pay_min"].isna(), mid)
    reasons = _first_reason(reasons, _implausible(min_usd, "pay"))
    reasons = _first_reason(reasons, _implausible(max_usd, "pay"))
    out = pd.DataFrame(
        {
            "salary_min_usd": min_usd,
            "salary_max_usd": max_usd,
            "salary_usd": salary,
            "salary_period": period.where(has_pay, None),
            "currency": _per_value(currency, _upper_or_none).where(has_pay, None),
            "salary_min_local": low.where(has_pay),
            "salary_max_local": high.where(has_pay),
            "usd_rate": rate.where(has_pay),
            "rate_date": rates["rate_date"].where(has_pay, None),
        }
    )
    return out, reasons, notes


def posting_skill_lists(frame: pd.DataFrame) -> pd.Series:
    """Per posting, {skill: basis}: the description's skills merged with the source's own list
    or tags (skills.merge_posting_skills)."""
    merged = skills.merge_posting_skills(frame["skills"], frame["description"])
    return pd.Series(merged, index=frame.index, dtype="object")


def _content_id(parts: pd.DataFrame) -> pd.Series:
    text = parts.astype("string").fillna("")
    joined = text.iloc[:, 0].str.cat([text[c] for c in text.columns[1:]], sep="\x1f")
    sha1 = hashlib.sha1
    ids = [sha1(s.encode("utf-8")).hexdigest()[:16] for s in joined.astype("object")]
    return pd.Series(ids, index=parts.index, dtype=joined.dtype)


def duplicate_reason(first_row: object) -> str:
    """The reject reason of a repeat of the posting at source row ``first_row``."""
    return f"duplicate of row {first_row}"


def _duplicates(keys: pd.Series, rows: pd.Series) -> pd.Series:
    """'duplicate of row N' for every repeat of a key (N = the first row with it)."""
    first_row = rows.groupby(keys, sort=False).transform("min")
    repeat = keys.duplicated(keep="first") & keys.notna()
    out = np.full(len(keys), None, dtype="object")
    at = np.flatnonzero(repeat.to_numpy(dtype=bool))
    out[at] = [duplicate_reason(n) for n in first_row.astype("object").to_numpy()[at]]
    return pd.Series(out, index=keys.index, dtype="object")


def posting_facts(staged: pd.DataFrame) -> tuple[bool, bool, pd.DataFrame]:
    """What a chunk of staged postings contributes to its source's SourceFacts: whether every
    row has a source id, whether any states a country, and the stated-vs-location country
    counts (location.country_agreement). Needs only the columns source_id, location, country."""
    stated = staged["country"]
    any_stated = bool(stated.notna().any())
    if any_stated:
        where = map_unique(staged["location"], _clean_text)
        places = location.resolve_locations(where)
        counts = location.country_agreement(places["country_code"], stated)
    else:
        counts = pd.DataFrame({"known": [], "wrong": []})
    return bool(staged["source_id"].notna().all()), any_stated, counts


def transform_postings(
    staged: pd.DataFrame,
    raw: pd.DataFrame,
    source: str,
    *,
    seen_on: date | None = None,
    facts: SourceFacts | None = None,
) -> Transformed:
    """Posting rows -> ``postings`` and ``posting_skills``.

    ``seen_on`` is the refresh date for API sources (first_seen = last_seen = it; a posting
    without a date is dated by it); file sources use the posting date. ``facts`` are those of
    the whole source when ``staged`` is one chunk of it (etl/engine.py); by default the
    frame is the whole source.
    """
    frame = staged
    counts = {NOTE_CORRECTED: 0, NOTE_UNKNOWN_COUNTRY: 0}
    reasons = value_errors(frame)
    title = map_unique(frame["title"], _clean_text)
    reasons = _first_reason(
        reasons, pd.Series("no job title", index=frame.index).where(title.isna())
    )
    posted = frame["posted_date"].dt.normalize()
    if seen_on is not None:
        posted = posted.fillna(pd.Timestamp(seen_on))
    today = pd.Timestamp(date.today())
    date_bad = posted.isna() | (posted.dt.year < MIN_YEAR) | (posted > today + pd.Timedelta(days=1))
    reasons = _first_reason(
        reasons,
        pd.Series("posting date missing or out of range", index=frame.index).where(date_bad),
    )
    company = map_unique(frame["company"], _clean_text)
    where = map_unique(frame["location"], _clean_text)
    places = location.resolve_locations(where)
    stated = frame["country"]
    if stated.notna().any() if facts is None else facts.any_stated:
        discredited = None if facts is None else facts.discredited
        cc, counts[NOTE_CORRECTED] = location.reconcile_countries(
            places["country_code"], stated, discredited=discredited
        )
        unknown = stated.notna() & map_unique(stated, location.country_code).isna() & cc.isna()
        counts[NOTE_UNKNOWN_COUNTRY] = int(unknown.sum())
    else:
        cc = places["country_code"]
    cc = cc.astype("object").where(cc.notna(), None)
    remote = fields.remote_codes(frame["remote"]).astype("object")
    remote = remote.where((remote != "unknown") | ~places["remote"].astype(bool), "remote")
    stated_level = _codes(frame["seniority"], SENIORITY_CODES, None)
    level = stated_level.where(stated_level.notna(), seniority.seniority_from_titles(title))
    pay_cols, why, pay_counts = _pay_columns(frame, posted)
    counts.update(pay_counts)
    reasons = _first_reason(reasons, why)
    role = roles.map_roles(title.fillna(""))
    skill_lists = posting_skill_lists(frame)
    taxonomy = skills.load_taxonomy()
    ai_skills = taxonomy.ai_skills
    has_ai_skill = np.fromiter(
        (not ai_skills.isdisjoint(s) for s in skill_lists), dtype=bool, count=len(skill_lists)
    )
    by_title = role.isin(AI_ROLES)
    basis = pd.Series(np.where(by_title, "title", np.where(has_ai_skill, "skills", None)))
    all_ids = frame["source_id"].notna().all() if facts is None else facts.all_ids
    if all_ids:
        ident = frame["source_id"].astype("string")
        keys = ident
    else:
        keys = _content_id(
            pd.DataFrame({"t": title, "c": company, "l": where, "d": frame["posted_date"]})
        )
        ident = frame["source_id"].astype("string").fillna(keys)
    candidates = keys.where(reasons.isna())
    dup = _duplicates(candidates, frame["source_row"])
    reasons = _first_reason(reasons, dup)
    days = posted.dt.date
    table = pd.DataFrame(
        {
            "posting_id": source + ":" + ident,
            "source": source,
            "posted_date": days,
            "first_seen": days if seen_on is None else seen_on,
            "last_seen": days if seen_on is None else seen_on,
            "title": title,
            "company": company,
            "role": role,
            "seniority": level,
            "country_code": cc,
            "region": map_unique(pd.Series(cc, index=frame.index), location.region_for_country),
            "location": where,
            "remote": remote,
            "employment_type": fields.employment_types(frame["employment_type"]),
            **{c: pay_cols[c] for c in pay_cols},
            "url": frame["url"].astype("object"),
            "is_ai": basis.notna().to_numpy(),
            "ai_basis": basis.to_numpy(),
        }
    )
    bad = reasons.notna()
    counts[NOTE_DUPLICATES] = int(dup.notna().sum())
    rejects = _rejects(
        source, raw, np.flatnonzero(bad.to_numpy()), frame.loc[bad, "source_row"], reasons[bad]
    )
    kept = table.loc[~bad, columns("postings")].reset_index(drop=True)
    posting_skills = skills.explode_skills(
        table.loc[~bad, "posting_id"], skill_lists[~bad], taxonomy
    )
    took_part = candidates.notna().to_numpy()
    kept_at = np.where(bad.to_numpy(), -1, np.cumsum(~bad.to_numpy()) - 1)
    dedupe = pd.DataFrame(
        {
            "source_row": frame.loc[took_part, "source_row"].astype("int64").to_numpy(),
            "key": candidates[took_part].astype("object").to_numpy(),
            "kept_at": kept_at[took_part],
        }
    )
    return Transformed(kept, rejects, posting_skills, notes_of(counts), counts, dedupe)
