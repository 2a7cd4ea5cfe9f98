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

import numpy as np
import pandas as pd

from etl.contract import AI_ROLES, COMPANY_SIZES, SENIORITY_CODES, columns
from etl.normalise import fields, location, pay, roles, seniority, skills, text

MIN_YEAR = 2000


@dataclass
class Transformed:
    """The contract rows of one source, its rejects and one-line notes for the run message."""

    table: pd.DataFrame
    rejects: pd.DataFrame
    posting_skills: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def map_unique(series: pd.Series, func) -> pd.Series:
    """``func`` applied once per distinct non-null value (None stays None)."""
    values = series.astype("object")
    present = values[values.notna()]
    try:
        lookup = {v: func(v) for v in pd.unique(present)}
    except TypeError:  # lists (an API's tags): hash them as tuples
        keys = values.map(lambda v: None if _missing(v) else _hashable(v))
        lookup = {v: func(_unhash(v)) for v in set(keys.dropna())}
        return keys.map(lambda v: lookup.get(v) if not _missing(v) else None)
    out = values.map(lookup).astype("object")
    return out.where(out.notna(), None)


def _hashable(value: object) -> object:
    return ("\x00list", *value) if isinstance(value, list | np.ndarray) else value


def _unhash(value: object) -> object:
    return list(value[1:]) if isinstance(value, tuple) and value[:1] == ("\x00list",) else value


def rejects_frame(
    source: str, raw: pd.DataFrame, rows: pd.Series, reasons: pd.Series
) -> pd.DataFrame:
    """Rejects of the staged rows ``rows`` (1-based source rows) with the raw row as JSON."""
    if len(rows) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns("rejects")})
    picked = raw.iloc[(rows.astype("int64") - 1).to_numpy()]
    as_json = [
        json.dumps(
            {k: (None if _missing(v) else _plain(v)) for k, v in record.items()},
            ensure_ascii=False,
            default=str,
        )
        for record in picked.to_dict(orient="records")
    ]
    return pd.DataFrame(
        {
            "source": source,
            "source_row": rows.astype("int64").to_numpy(),
            "reason": reasons.astype("object").to_numpy(),
            "raw": as_json,
        }
    )


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


def _codes(values: pd.Series, allowed: tuple[str, ...], default: str) -> pd.Series:
    clean = values.astype("object").map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    return clean.where(clean.isin(allowed), default)


def _countries(values: pd.Series, what: str) -> tuple[pd.Series, pd.Series]:
    """(alpha-2 codes, a reason where a stated value is not a known country)."""
    codes = map_unique(values, location.country_code)
    bad = values.notna() & codes.isna()
    reason = values.map(lambda v: f"unknown {what} {v!r}")
    return codes, reason.where(bad, None)


def _usd_or_reason(
    amount: pd.Series, currency: pd.Series, on: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Converted amounts and a reason where a given amount's currency cannot be converted."""
    usd = pay.to_usd(amount, currency, on)
    given = pd.to_numeric(amount, errors="coerce").notna()
    unknown = given & currency.notna() & usd.isna()
    reason = currency.astype("object").map(lambda c: f"unknown currency {c!r}")
    return usd, reason.where(unknown, None)


def _implausible(values: pd.Series, what: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    negative = numbers <= 0
    reason = pay.implausible_reason(numbers.where(~negative))
    zero = pd.Series(
        [f"{what} {v:,.0f} is not positive" for v in numbers.fillna(0)], index=values.index
    )
    return reason.where(~negative, zero)


def transform_salaries(staged: pd.DataFrame, raw: pd.DataFrame, source: str) -> Transformed:
    """Salary-survey rows -> the ``salaries`` table. Rows are never de-duplicated: identical
    survey answers are legitimate (coarse fields make repeats likely)."""
    frame = staged
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    this_year = date.today().year
    year = frame["year"]
    year_bad = year.isna() | (year < MIN_YEAR) | (year > this_year + 1)
    reasons = _first_reason(
        reasons, pd.Series("work year missing or out of range", index=frame.index).where(year_bad)
    )
    title = map_unique(frame["title"], text.clean_text)
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
    no_pay = pd.Series("no salary figure", index=frame.index).where(usd.isna())
    reasons = _first_reason(reasons, no_pay)
    reasons = _first_reason(reasons, _implausible(local.where(local < 0), "salary"))
    reasons = _first_reason(reasons, _implausible(usd, "salary"))
    size = (
        frame["company_size"]
        .astype("object")
        .map(lambda v: v.strip().upper() if isinstance(v, str) else None)
    )
    table = pd.DataFrame(
        {
            "record_id": source + ":" + frame["source_row"].astype("string"),
            "source": source,
            "year": year,
            "title": title,
            "role": roles.map_roles(title.fillna("")),
            "seniority": _codes(frame["seniority"], SENIORITY_CODES, "unknown"),
            "country_code": company_cc,
            "residence_country_code": residence_cc,
            "region": map_unique(company_cc, location.region_for_country),
            "remote": fields.remote_codes(frame["remote"]),
            "employment_type": fields.employment_types(frame["employment_type"]),
            "company_size": size.where(size.isin(COMPANY_SIZES), None),
            "salary_usd": usd,
            "salary_local": local.astype("float64"),
            "currency": frame["currency"]
            .astype("object")
            .map(lambda c: c.strip().upper() if isinstance(c, str) else None),
        }
    )
    bad = reasons.notna()
    rejects = rejects_frame(source, raw, frame.loc[bad, "source_row"], reasons[bad])
    return Transformed(table.loc[~bad, columns("salaries")].reset_index(drop=True), rejects)


def _pay_columns(
    frame: pd.DataFrame, posted: pd.Series
) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Annual USD pay of postings: a figure, a min/max range, or parsed from the pay text."""
    low = frame["pay_min"].astype("float64")
    high = frame["pay_max"].astype("float64")
    point = frame["pay"].astype("float64")
    low = low.where(low.notna(), point)
    high = high.where(high.notna(), point)
    currency = frame["currency"].astype("object")
    period = (
        frame["pay_period"]
        .astype("object")
        .map(lambda p: p.strip().lower() if isinstance(p, str) else None)
    )
    parsed = map_unique(frame["pay_text"], pay.parse_pay_text)
    use_text = low.isna() & high.isna() & parsed.notna()
    if use_text.any():
        low = low.where(~use_text, parsed.map(lambda p: p.min if p is not None else np.nan))
        high = high.where(~use_text, parsed.map(lambda p: p.max if p is not None else np.nan))
        currency = currency.where(~use_text, parsed.map(lambda p: p.currency if p else None))
        period = period.where(~use_text, parsed.map(lambda p: p.period if p else None))
    low, high = low.astype("float64"), high.astype("float64")
    has_pay = low.notna() | high.notna()
    notes = []
    no_currency = has_pay & currency.isna()
    if no_currency.any():
        notes.append(f"{int(no_currency.sum())} pay figures without a currency left blank")
        low, high = low.where(~no_currency), high.where(~no_currency)
        has_pay = has_pay & ~no_currency
    hourly_below = pay.load_pay_rules().hourly_below
    guessed = pd.Series(np.where(high.fillna(low) < hourly_below, "hour", "year"), index=low.index)
    period = period.where(period.notna() | ~has_pay, guessed).where(has_pay, None)
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    reasons = _first_reason(reasons, _implausible(low.where(low < 0), "pay"))
    min_usd, why = _usd_or_reason(pay.annualise(low, period), currency, posted)
    reasons = _first_reason(reasons, why)
    max_usd, _ = _usd_or_reason(pay.annualise(high, period), currency, posted)
    given_point = pay.to_usd(pay.annualise(point, period), currency, posted)
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
            "currency": currency.map(
                lambda c: c.strip().upper() if isinstance(c, str) else None
            ).where(has_pay, None),
        }
    )
    return out, reasons, notes


def _skill_lists(frame: pd.DataFrame) -> pd.Series:
    """The source's skill list where it gives one, else skills found in the description."""
    taxonomy = skills.load_taxonomy()
    listed = map_unique(frame["skills"], lambda v: skills.skills_from_list(v, taxonomy))
    need_text = listed.isna() & frame["description"].notna()
    if need_text.any():
        extractor = skills.SkillExtractor(taxonomy)
        found = extractor.extract_many(frame.loc[need_text, "description"].astype("object"))
        listed.loc[need_text] = pd.Series(found, index=frame.index[need_text], dtype="object")
    return listed.map(lambda v: v if isinstance(v, list) else [])


def _content_id(parts: pd.DataFrame) -> pd.Series:
    text = parts.astype("string").fillna("")
    joined = text.iloc[:, 0].str.cat([text[c] for c in text.columns[1:]], sep="\x1f")
    return joined.map(lambda s: hashlib.sha1(s.encode("utf-8")).hexdigest()[:16])


def _duplicates(keys: pd.Series, rows: pd.Series) -> pd.Series:
    """'duplicate of row N' for every repeat of a key (N = the first row with it)."""
    first_row = rows.groupby(keys, sort=False).transform("min")
    repeat = keys.duplicated(keep="first") & keys.notna()
    return first_row.map(lambda n: f"duplicate of row {n}").where(repeat, None)


def transform_postings(
    staged: pd.DataFrame, raw: pd.DataFrame, source: str, *, seen_on: date | None = None
) -> Transformed:
    """Posting rows -> ``postings`` and ``posting_skills``.

    ``seen_on`` is the refresh date for API sources (first_seen = last_seen = it; a posting
    without a date is dated by it); file sources use the posting date.
    """
    frame = staged
    notes: list[str] = []
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    title = map_unique(frame["title"], text.clean_text)
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
    company = map_unique(frame["company"], text.clean_text)
    where = map_unique(frame["location"], text.clean_text)
    places = location.resolve_locations(where)
    stated = frame["country"]
    if stated.notna().any():
        cc, corrected = location.reconcile_countries(places["country_code"], stated)
        if corrected:
            notes.append(f"{corrected:,} stated countries corrected from the location")
        unknown = stated.notna() & map_unique(stated, location.country_code).isna() & cc.isna()
        if unknown.any():
            notes.append(f"{int(unknown.sum()):,} unknown country names left blank")
    else:
        cc = places["country_code"]
    cc = cc.astype("object").where(cc.notna(), None)
    remote = fields.remote_codes(frame["remote"]).astype("object")
    remote = remote.where((remote != "unknown") | ~places["remote"].astype(bool), "remote")
    stated_level = _codes(frame["seniority"], SENIORITY_CODES, None)
    level = stated_level.where(stated_level.notna(), seniority.seniority_from_titles(title))
    pay_cols, why, pay_notes = _pay_columns(frame, posted)
    notes += pay_notes
    reasons = _first_reason(reasons, why)
    role = roles.map_roles(title.fillna(""))
    skill_lists = _skill_lists(frame)
    taxonomy = skills.load_taxonomy()
    ai_skills = taxonomy.ai_skills
    has_ai_skill = skill_lists.map(lambda s: not ai_skills.isdisjoint(s))
    by_title = role.isin(AI_ROLES)
    basis = pd.Series(np.where(by_title, "title", np.where(has_ai_skill, "skills", None)))
    if frame["source_id"].notna().all():
        ident = frame["source_id"].astype("string")
        keys = ident
    else:
        keys = _content_id(
            pd.DataFrame({"t": title, "c": company, "l": where, "d": frame["posted_date"]})
        )
        ident = frame["source_id"].astype("string").fillna(keys)
    dup = _duplicates(keys.where(reasons.isna()), frame["source_row"])
    reasons = _first_reason(reasons, dup)
    table = pd.DataFrame(
        {
            "posting_id": source + ":" + ident,
            "source": source,
            "posted_date": posted.dt.date,
            "first_seen": posted.dt.date if seen_on is None else seen_on,
            "last_seen": posted.dt.date if seen_on is None else seen_on,
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
    n_dup = int(dup.notna().sum())
    if n_dup:
        notes.append(f"{n_dup:,} duplicate postings dropped")
    rejects = rejects_frame(source, raw, frame.loc[bad, "source_row"], reasons[bad])
    kept = table.loc[~bad, columns("postings")].reset_index(drop=True)
    posting_skills = skills.explode_skills(
        table.loc[~bad, "posting_id"], skill_lists[~bad], taxonomy
    )
    return Transformed(kept, rejects, posting_skills, notes)
