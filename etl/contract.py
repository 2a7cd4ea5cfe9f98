"""The store contract: every table the ETL publishes and the dashboard reads.

This module is the single source of truth for table names, column names, column types and the
allowed codes. The pipeline, the demo generator, the refresh and the validator build on it; the
dashboard's query layer reads exactly these columns. Changing a column here is a contract change:
update the README's "Store contract" section and the dashboard queries with it.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = "11"
"""2: the marts (MARTS) are published beside the base tables. 3: postings keep the advertised
pay as stated (salary_min_local, salary_max_local) and the rate used (usd_rate, rate_date).
4: the ``series`` and ``series_labels`` tables, the series columns of ``sources`` and the
``series_monthly`` and ``source_coverage`` marts. ``python -m etl ensure-store`` upgrades an older
store: new nullable columns empty, new tables empty, marts rebuilt.
5: salary records carry pay bands (salary_min_usd, salary_max_usd; salary_usd NULL for a band
survey), education, publishes_research, years_coding, years_ml; ``salary_skills`` holds the tools
survey respondents use (same upgrade: columns and table empty).
6: posting_skills.basis (where each skill came from: text, tags or both; NULL in an upgraded
store). 7: posting_counts also counts AI postings by basis and keeps each cell's first and last
posting date, so the AI share and the Overview's counts read the cube (marts rebuilt).
8: the ``posting_skill_counts`` cube (skill counts per month and filter cell) and
posting_skill_facts.posting_key (an integer per posting for the per-posting joins).
9: posting_counts.with_skills (postings that ask for at least one skill), so per-role skill
frequencies read the two cubes (marts rebuilt).
10: the ``pay_values`` and ``pay_buckets`` marts (every pay amount sorted, and counted per
filter cell and pay bucket), so exact pay quantiles read a few buckets instead of sorting every
amount (marts rebuilt). 11: posting_skill_facts.bucket (the pay bucket of pay_values), so the skill
premiums count postings per pay bucket and read only the amounts near the ranks they need
(marts rebuilt); and the ``posting_skill_sets`` mart (one row per posting with its skills as a
list), so the skills asked together with one are counted without joining skill rows."""

SENIORITY_CODES: tuple[str, ...] = (
    "intern",
    "entry",
    "mid",
    "senior",
    "lead",
    "executive",
    "unknown",
)
"""Seniority, ordered from junior to senior; ``unknown`` when nothing in the data says it."""

REGIONS: tuple[str, ...] = (
    "North America",
    "Latin America & Caribbean",
    "Europe",
    "Asia",
    "Africa",
    "Oceania",
)
"""The fixed region set. ``Asia`` includes the Middle East. NULL when the country is unknown."""

REMOTE_CODES: tuple[str, ...] = ("onsite", "hybrid", "remote", "unknown")

EMPLOYMENT_TYPES: tuple[str, ...] = (
    "full_time",
    "part_time",
    "contract",
    "freelance",
    "internship",
    "temporary",
    "unknown",
)

SALARY_PERIODS: tuple[str, ...] = ("year", "month", "week", "day", "hour")
"""The period a pay figure was quoted in, before it was annualised."""

COMPANY_SIZES: tuple[str, ...] = ("S", "M", "L")

EDUCATION_CODES: tuple[str, ...] = (
    "high_school",
    "some_college",
    "bachelor",
    "master",
    "doctorate",
    "professional_doctorate",
    "unknown",
)
"""Highest formal education, ordered; ``unknown`` when the respondent preferred not to say (NULL
when the source does not ask). ``doctorate`` is a research doctorate (PhD); a professional
doctorate (MD, JD, EdD...) is its own code."""

YEARS_CODE_PATTERN = r"^(?:<\d+(?:\.\d+)?|\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?|\+)?)$"
"""A band of years as an ordered code made of its own edges: "0" (none), "<1", "1-3", "20+".
Sorted by etl.normalise.bands.years_order (low edge, then high edge)."""

SKILL_BASES: tuple[str, ...] = ("text", "tags", "both")
"""posting_skills.basis: from the description text, the source's own skill list/tags, or both."""

AI_ROLES: tuple[str, ...] = (
    "Machine Learning Engineer",
    "Research Scientist",
    "AI Engineer",
    "MLOps Engineer",
)
"""Roles that make a posting an AI job by title (see ``postings.is_ai``)."""

RUN_STATUSES: tuple[str, ...] = ("ok", "failed", "kept_previous", "skipped")
"""``kept_previous``: the source failed today and its rows from the previous store were kept."""

STORE_KINDS: tuple[str, ...] = ("real", "demo")

SOURCE_KINDS: tuple[str, ...] = ("postings", "salaries", "series")
"""``series``: aggregate values per date and place (a share of postings, an index), not rows about
single jobs or people."""

SERIES_UNITS: tuple[str, ...] = ("percent_of_postings", "index_2020_02_01_eq_100")
"""What a series value is. ``percent_of_postings``: a share of all postings, 0-100.
``index_2020_02_01_eq_100``: postings relative to 1 February 2020 (= 100); an index, not a count."""

PERCENT_UNITS: frozenset[str] = frozenset({"percent_of_postings"})
"""Units whose values must lie within 0-100."""

PLACE_TYPES: tuple[str, ...] = ("country", "aggregate")
"""``aggregate``: a group of countries with a code of its own (EA, the euro area), not a country."""

SOURCE_STATUSES: tuple[str, ...] = ("current", "withdrawn")
"""``withdrawn``: the publisher removed the data; the last copy is kept, frozen, shown as such."""


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    nullable: bool
    doc: str


def _c(name: str, sql_type: str, doc: str, nullable: bool = True) -> Column:
    return Column(name, sql_type, nullable, doc)


TABLES: dict[str, tuple[Column, ...]] = {
    "salaries": (
        _c("record_id", "VARCHAR", "Stable id: source + row number in the source file.", False),
        _c("source", "VARCHAR", "Source name from data/sources.yaml.", False),
        _c("year", "INTEGER", "Work year the salary was reported for.", False),
        _c("title", "VARCHAR", "Job title as reported (text-fixed)."),
        _c("role", "VARCHAR", "Canonical role from data/roles.yaml.", False),
        _c("seniority", "VARCHAR", "One of SENIORITY_CODES.", False),
        _c("country_code", "VARCHAR", "ISO-3166 alpha-2 of where the job is (company location)."),
        _c("residence_country_code", "VARCHAR", "ISO-3166 alpha-2 of the employee's residence."),
        _c("region", "VARCHAR", "One of REGIONS, from country_code."),
        _c("remote", "VARCHAR", "One of REMOTE_CODES.", False),
        _c("employment_type", "VARCHAR", "One of EMPLOYMENT_TYPES.", False),
        _c("company_size", "VARCHAR", "S, M or L."),
        _c(
            "salary_usd",
            "DOUBLE",
            "Annual gross salary in USD; NULL for a survey that publishes bands, not amounts.",
        ),
        _c("salary_local", "DOUBLE", "Salary in the local currency, as reported."),
        _c("currency", "VARCHAR", "ISO-4217 code of salary_local."),
        _c("salary_min_usd", "DOUBLE", "Lower edge of the reported pay band, USD a year."),
        _c("salary_max_usd", "DOUBLE", "Upper edge of the pay band, USD; NULL when open (>$1M)."),
        _c("education", "VARCHAR", "Highest formal education (EDUCATION_CODES)."),
        _c("publishes_research", "BOOLEAN", "Has published academic research."),
        _c("years_coding", "VARCHAR", "Years of writing code, a band code (YEARS_CODE_PATTERN)."),
        _c("years_ml", "VARCHAR", "Years of using ML methods, a band code (YEARS_CODE_PATTERN)."),
    ),
    "postings": (
        _c(
            "posting_id",
            "VARCHAR",
            "Stable id: source + the source's own id (or a content hash).",
            False,
        ),
        _c("source", "VARCHAR", "Source name from data/sources.yaml.", False),
        _c("posted_date", "DATE", "Date the posting was published.", False),
        _c(
            "first_seen", "DATE", "First refresh that saw it (posted_date for file sources).", False
        ),
        _c("last_seen", "DATE", "Last refresh that saw it (posted_date for file sources).", False),
        _c("title", "VARCHAR", "Job title as posted (text-fixed).", False),
        _c("company", "VARCHAR", "Employer name."),
        _c("role", "VARCHAR", "Canonical role from data/roles.yaml.", False),
        _c("seniority", "VARCHAR", "One of SENIORITY_CODES, from title words.", False),
        _c("country_code", "VARCHAR", "ISO-3166 alpha-2, NULL when unknown."),
        _c("region", "VARCHAR", "One of REGIONS, NULL when unknown."),
        _c("location", "VARCHAR", "Location text as posted."),
        _c("remote", "VARCHAR", "One of REMOTE_CODES.", False),
        _c("employment_type", "VARCHAR", "One of EMPLOYMENT_TYPES.", False),
        _c("salary_min_usd", "DOUBLE", "Lower end of the advertised annual pay, USD."),
        _c("salary_max_usd", "DOUBLE", "Upper end of the advertised annual pay, USD."),
        _c(
            "salary_usd",
            "DOUBLE",
            "Point estimate: the single figure, or the mid-point of a range.",
        ),
        _c("salary_period", "VARCHAR", "Period the pay was quoted in (SALARY_PERIODS)."),
        _c("currency", "VARCHAR", "ISO-4217 code the pay was quoted in."),
        _c(
            "salary_min_local",
            "DOUBLE",
            "Lower end of the pay as advertised: in `currency`, per `salary_period`.",
        ),
        _c("salary_max_local", "DOUBLE", "Upper end of the pay as advertised (same units)."),
        _c(
            "usd_rate",
            "DOUBLE",
            "USD per 1 unit of `currency` used for the salary_*_usd columns (1 for USD).",
        ),
        _c(
            "rate_date",
            "DATE",
            "Date of the ECB reference rate used: the posting date moved into the rate table's "
            "range; NULL for USD (no conversion).",
        ),
        _c("url", "VARCHAR", "Link to the posting or its source (attribution)."),
        _c("is_ai", "BOOLEAN", "An AI job: by its role (AI_ROLES) or by an AI skill.", False),
        _c("ai_basis", "VARCHAR", "'title', 'skills' or NULL when not an AI job."),
    ),
    "posting_skills": (
        _c("posting_id", "VARCHAR", "postings.posting_id", False),
        _c("skill", "VARCHAR", "Canonical skill name from data/skills.yaml.", False),
        _c("category", "VARCHAR", "The skill's category in data/skills.yaml.", False),
        _c(
            "basis",
            "VARCHAR",
            "Where the skill came from (SKILL_BASES): 'text' (the description), 'tags' (the "
            "source's skill list or tags), 'both'; NULL in a store upgraded from before it.",
        ),
    ),
    "salary_skills": (
        _c("record_id", "VARCHAR", "salaries.record_id", False),
        _c("skill", "VARCHAR", "Canonical skill name from data/skills.yaml.", False),
        _c("category", "VARCHAR", "The skill's category in data/skills.yaml.", False),
    ),
    "rejects": (
        _c("source", "VARCHAR", "Source name.", False),
        _c("source_row", "BIGINT", "1-based data row number in the source (header excluded)."),
        _c(
            "reason", "VARCHAR", "Why the row was not loaded, in words a person understands.", False
        ),
        _c("raw", "VARCHAR", "The original row as JSON.", False),
    ),
    "runs": (
        _c("run_id", "VARCHAR", "One id per refresh invocation.", False),
        _c("source", "VARCHAR", "Source name.", False),
        _c("started_at", "TIMESTAMP", "UTC.", False),
        _c("finished_at", "TIMESTAMP", "UTC."),
        _c("status", "VARCHAR", "One of RUN_STATUSES.", False),
        _c("rows_read", "BIGINT", "Data rows read from the source."),
        _c("rows_loaded", "BIGINT", "Rows that reached the store."),
        _c("rows_rejected", "BIGINT", "Rows written to rejects."),
        _c("message", "VARCHAR", "One line for a person: what happened."),
    ),
    "series": (
        _c("source", "VARCHAR", "Source name from data/sources/*.yaml.", False),
        _c("series", "VARCHAR", "Series name: the source's constant or a column's value.", False),
        _c("variant", "VARCHAR", "Variant: 'total postings', 'new postings', 'all'...", False),
        _c("place_code", "VARCHAR", "Country ISO alpha-2, or an aggregate's code (EA).", False),
        _c("place_type", "VARCHAR", "One of PLACE_TYPES.", False),
        _c("region", "VARCHAR", "One of REGIONS (an aggregate's region from data/places.yaml)."),
        _c("date", "DATE", "Date of the observation.", False),
        _c("value", "DOUBLE", "The value, in ``unit``; finite.", False),
        _c("unit", "VARCHAR", "One of SERIES_UNITS.", False),
    ),
    "series_labels": (
        _c("source", "VARCHAR", "Source name.", False),
        _c("series", "VARCHAR", "series.series", False),
        _c(
            "examples",
            "VARCHAR",
            "What it covers: the publisher's example titles.",
            False,
        ),
    ),
    "sources": (
        _c("name", "VARCHAR", "Source name (key).", False),
        _c("kind", "VARCHAR", "One of SOURCE_KINDS.", False),
        _c("title", "VARCHAR", "Human name of the source."),
        _c("license", "VARCHAR", "License of the data."),
        _c("url", "VARCHAR", "Where the data comes from."),
        _c("description", "VARCHAR", "What the source is and its known biases."),
        _c("attribution", "VARCHAR", "The credit line the publisher asks for (shown)."),
        _c("method", "VARCHAR", "One sentence: how the values are made (series sources)."),
        _c("status", "VARCHAR", "One of SOURCE_STATUSES (NULL: current)."),
        _c("status_date", "DATE", "Since when the status holds (e.g. the day it was withdrawn)."),
        _c("breaks", "VARCHAR", "JSON list of {date, note}: method breaks a chart must mark."),
    ),
    "meta": (
        _c(
            "key", "VARCHAR", "kind (real|demo), built_at (UTC ISO), schema_version, run_id.", False
        ),
        _c("value", "VARCHAR", "Value.", False),
    ),
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)

_FILTER_COLUMNS: tuple[Column, ...] = (
    _c("source", "VARCHAR", "postings.source", False),
    _c("role", "VARCHAR", "postings.role", False),
    _c("seniority", "VARCHAR", "postings.seniority", False),
    _c("country_code", "VARCHAR", "postings.country_code"),
    _c("region", "VARCHAR", "postings.region"),
    _c("remote", "VARCHAR", "postings.remote", False),
    _c("employment_type", "VARCHAR", "postings.employment_type", False),
    _c("is_ai", "BOOLEAN", "postings.is_ai", False),
)

_PAY_CELL_COLUMNS: tuple[Column, ...] = (
    *(  # the filter columns both pay tables share, nullable as in postings
        _c(c.name, c.sql_type, f"salaries.{c.name} or postings.{c.name}", c.nullable)
        for c in _FILTER_COLUMNS
        if c.name in ("source", "role", "seniority", "country_code", "region", "remote")
    ),
    _c("company_size", "VARCHAR", "salaries.company_size (NULL for postings)."),
    _c("year", "INTEGER", "salaries.year, or the year of postings.posted_date.", False),
    _c("month", "DATE", "First day of the month of postings.posted_date (NULL for surveys)."),
    _c(
        "bucket",
        "SMALLINT",
        "floor(ln(salary_usd) × PAY_BUCKETS_PER_E): rises with the amount (etl/marts.py).",
        False,
    ),
)

MARTS: dict[str, tuple[Column, ...]] = {
    "posting_skill_facts": (
        _c("posting_id", "VARCHAR", "posting_skills.posting_id", False),
        _c("skill", "VARCHAR", "posting_skills.skill", False),
        _c("category", "VARCHAR", "posting_skills.category", False),
        _c("source", "VARCHAR", "postings.source", False),
        _c("posted_date", "DATE", "postings.posted_date", False),
        *(c for c in _FILTER_COLUMNS if c.name != "source"),
        _c("salary_usd", "DOUBLE", "postings.salary_usd"),
        _c("posting_key", "BIGINT", "An integer per posting, unique in the store (joins).", False),
        _c("bucket", "SMALLINT", "pay_values.bucket of salary_usd (NULL without pay)."),
    ),
    "posting_skill_sets": (
        _c("source", "VARCHAR", "postings.source", False),
        _c("posted_date", "DATE", "postings.posted_date", False),
        *(c for c in _FILTER_COLUMNS if c.name != "source"),
        _c("skills", "VARCHAR[]", "The posting's skills (posting_skills.skill), sorted.", False),
    ),
    "posting_skill_counts": (
        _c("month", "DATE", "First day of the month of postings.posted_date.", False),
        _c("skill", "VARCHAR", "posting_skills.skill", False),
        _c("category", "VARCHAR", "posting_skills.category", False),
        *_FILTER_COLUMNS,
        _c("postings", "BIGINT", "Postings in the cell asking for the skill.", False),
    ),
    "posting_counts": (
        _c("month", "DATE", "First day of the month of postings.posted_date.", False),
        *_FILTER_COLUMNS,
        _c("postings", "BIGINT", "Postings in the cell.", False),
        _c("with_pay", "BIGINT", "Postings in the cell whose salary_usd is not NULL.", False),
        _c(
            "with_skills",
            "BIGINT",
            "Postings in the cell that ask for at least one skill (a posting_skills row).",
            False,
        ),
        _c("ai_by_title", "BIGINT", "Postings in the cell with ai_basis 'title'.", False),
        _c("ai_by_skills", "BIGINT", "Postings in the cell with ai_basis 'skills'.", False),
        _c("first_date", "DATE", "Earliest posted_date in the cell.", False),
        _c("last_date", "DATE", "Latest posted_date in the cell.", False),
    ),
    "pay_values": (
        _c("kind", "VARCHAR", "'survey' (salaries.salary_usd) or 'advertised' (postings).", False),
        *_PAY_CELL_COLUMNS,
        _c("salary_usd", "DOUBLE", "The pay amount (salaries or postings .salary_usd).", False),
    ),
    "pay_buckets": (
        _c("kind", "VARCHAR", "pay_values.kind", False),
        *_PAY_CELL_COLUMNS,
        _c("n", "BIGINT", "Pay amounts in the cell and bucket.", False),
    ),
    "filter_values": (
        _c(
            "dimension",
            "VARCHAR",
            "role, region, country, country_region, seniority, remote, source, "
            "employment_type, year or month.",
            False,
        ),
        _c(
            "value",
            "VARCHAR",
            "The value as text: a month is 'YYYY-MM', a country_region is 'CC|Region'.",
            False,
        ),
        _c(
            "postings",
            "BIGINT",
            "Postings with that value (0 for a value only salaries have).",
            False,
        ),
        _c("salary_records", "BIGINT", "Salary records with that value (0 for months).", False),
    ),
    "series_monthly": (
        _c("source", "VARCHAR", "series.source", False),
        _c("series", "VARCHAR", "series.series", False),
        _c("variant", "VARCHAR", "series.variant", False),
        _c("place_code", "VARCHAR", "series.place_code", False),
        _c("place_type", "VARCHAR", "series.place_type", False),
        _c("region", "VARCHAR", "series.region"),
        _c("month", "DATE", "First day of the month.", False),
        _c("value", "DOUBLE", "Mean of the month's daily values.", False),
        _c("days", "BIGINT", "Daily values averaged (a month may be partial).", False),
        _c("last_date", "DATE", "Latest date in the month.", False),
        _c("unit", "VARCHAR", "series.unit", False),
    ),
    "source_coverage": (
        _c("source", "VARCHAR", "Source name.", False),
        _c("kind", "VARCHAR", "One of SOURCE_KINDS.", False),
        _c("rows", "BIGINT", "Rows of the source in the store.", False),
        _c("first_date", "DATE", "Earliest data date (a survey year as its 1 January)."),
        _c("last_date", "DATE", "Latest data date: what 'Data as of' shows for this source."),
        _c("precision", "VARCHAR", "'day' or 'year' (survey years).", False),
    ),
}
"""Derived tables ("marts"): what the dashboard reads. Built in SQL by etl.store.publish from the
base tables above (etl/marts.py holds the SQL and why each exists); never passed in by callers."""

MART_NAMES: tuple[str, ...] = tuple(MARTS)


def columns(table: str) -> list[str]:
    """Column names of ``table`` (a base table or a mart) in contract order."""
    return [c.name for c in {**TABLES, **MARTS}[table]]
