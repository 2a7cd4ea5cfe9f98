"""The sources files: every ``data/sources/*.yaml``, checked before anything is read.

A new tabular source is a YAML entry, not code: this module is the one place that knows which keys
an entry may have, so a typo is a clear message naming the file and the entry, not a crash later.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pandas as pd
import yaml

from etl import config
from etl.adapters.base import base_url
from etl.contract import SERIES_UNITS, SOURCE_KINDS, SOURCE_STATUSES, columns
from etl.errors import ConfigError, SourceError
from etl.extract import LIMIT_KEYS
from etl.normalise.bands import parse_bins
from etl.normalise.files import load_yaml
from etl.staging import (
    STAGED_POSTING_COLUMNS,
    STAGED_SALARY_COLUMNS,
    STAGED_SERIES_COLUMNS,
    column_pairs,
)

KINDS = SOURCE_KINDS
FILE_FORMATS = ("auto", "csv", "csv.gz", "xlsx", "json")
FORMATS = (*FILE_FORMATS, "api")
MERGES = ("replace", "accumulate")
DEFAULT_MAX_BYTES = 200_000_000


def staged_columns(kind: str) -> tuple[str, ...]:
    """The staged columns of a source kind."""
    if kind == "series":
        return STAGED_SERIES_COLUMNS
    return STAGED_POSTING_COLUMNS if kind == "postings" else STAGED_SALARY_COLUMNS


def _check_series(entry: dict, where: str) -> None:
    """The keys only a series source has: unit, method, status, for_each, labels, breaks."""
    if entry.get("format") == "api":
        raise ConfigError(f"{where}: a series source is a file (format api is for postings)")
    if entry.get("merge", "replace") != "replace":
        raise ConfigError(f"{where}: a series source is replaced whole (merge: replace)")
    if entry.get("unit") not in SERIES_UNITS:
        raise ConfigError(
            f"{where}: 'unit' must be one of {', '.join(SERIES_UNITS)}, got {entry.get('unit')!r}"
        )
    if not str(entry.get("method") or "").strip():
        raise ConfigError(f"{where}: 'method' must say in one sentence how the values are made")
    mapped = set((entry.get("columns") or {}).values())
    fixed = set(entry.get("constants") or {})
    for needed in ("date", "place", "value", "series"):
        if needed not in mapped and needed not in fixed:
            raise ConfigError(f"{where}: no column and no constant gives the series' {needed!r}")
    status = entry.get("status", "current")
    if status not in SOURCE_STATUSES:
        raise ConfigError(
            f"{where}: 'status' must be one of {', '.join(SOURCE_STATUSES)}, got {status!r}"
        )
    if status == "withdrawn" and not entry.get("status_date"):
        raise ConfigError(
            f"{where}: a withdrawn source needs 'status_date' (when it was withdrawn)"
        )
    for_each = entry.get("for_each")
    if for_each is not None:
        if not (
            isinstance(for_each, dict)
            and len(for_each) == 1
            and all(isinstance(v, list) and v for v in for_each.values())
        ):
            raise ConfigError(
                f"{where}: 'for_each' must be one placeholder and its values, e.g. {{CC: [AU, CA]}}"
            )
        key = next(iter(for_each))
        if not any("{" + str(key) + "}" in str(entry.get(k) or "") for k in ("url", "mirror_path")):
            raise ConfigError(
                f"{where}: 'for_each' {key!r} is not used as {{{key}}} in url or mirror_path"
            )
    labels = entry.get("labels")
    if labels is not None:
        targets = set(((labels or {}).get("columns") or {}).values())
        if not isinstance(labels, dict) or targets != {"series", "examples"}:
            raise ConfigError(
                f"{where}: 'labels.columns' must map a file's columns onto series and examples"
            )
    for item in entry.get("breaks") or []:
        if not isinstance(item, dict) or not item.get("date") or not item.get("note"):
            raise ConfigError(f"{where}: each of 'breaks' needs a 'date' and a 'note'")


def _check_entry(entry: object, where: str) -> dict:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: an entry must be a mapping of keys, got {entry!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: missing 'name'")
    where = f"{where} ({name!r})"
    kind = entry.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    fmt = str(entry.get("format", "auto"))
    if fmt not in FORMATS:
        raise ConfigError(f"{where}: 'format' must be one of {', '.join(FORMATS)}, got {fmt!r}")
    source = {**entry, "format": fmt}
    source.setdefault("merge", "accumulate" if fmt == "api" else "replace")
    if source["merge"] not in MERGES:
        raise ConfigError(
            f"{where}: 'merge' must be replace or accumulate, got {source['merge']!r}"
        )
    _check_network(entry, where)
    if fmt == "api":
        if not entry.get("adapter"):
            raise ConfigError(f"{where}: format api needs an 'adapter'")
        return source
    if not entry.get("url") and not entry.get("mirror_path"):
        raise ConfigError(f"{where}: needs a 'url' or a 'mirror_path'")
    columns = entry.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise ConfigError(f"{where}: 'columns' must map source columns to staged columns")
    for raw_column, targets in columns.items():
        if isinstance(targets, list) and (
            not targets or not all(isinstance(t, str) for t in targets)
        ):
            raise ConfigError(
                f"{where}: columns.{raw_column} must be a staged column or a list of them"
            )
    allowed = staged_columns(kind)
    for key in ("columns", "constants", "value_maps", "bins"):
        value = entry.get(key) or {}
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: '{key}' must be a mapping")
        targets = [t for _, t in column_pairs(value)] if key == "columns" else value.keys()
        unknown = sorted({str(t) for t in targets} - set(allowed) - {"source_row"})
        if unknown:
            raise ConfigError(
                f"{where}: '{key}' names unknown staged column(s) {unknown}; "
                f"allowed: {', '.join(allowed[1:])}"
            )
    for column, mapping in (entry.get("value_maps") or {}).items():
        if not isinstance(mapping, dict):
            raise ConfigError(f"{where}: value_maps.{column} must be a mapping")
    for column, spec in (entry.get("bins") or {}).items():
        try:
            parse_bins(spec, f"{where}: bins.{column}")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    _check_survey_keys(entry, where, kind)
    for key in ("header_row", "header_rows"):
        value = entry.get(key, 1)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where}: '{key}' must be a row number >= 1, got {value!r}")
    if kind == "series":
        _check_series(entry, where)
        source.setdefault("status", "current")
    source.setdefault("encoding", "utf-8")
    source.setdefault("max_bytes", DEFAULT_MAX_BYTES)
    _check_limits(entry, where)
    return source


def _check_network(entry: dict, where: str) -> None:
    """``time_budget`` (seconds) and ``redirect_hosts`` (host names) of etl/http.py."""
    budget = entry.get("time_budget")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int | float)
                               or budget <= 0):  # fmt: skip
        raise ConfigError(f"{where}: 'time_budget' must be a number of seconds > 0, got {budget!r}")
    hosts = entry.get("redirect_hosts")
    if hosts is not None and (
        not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts)
    ):
        raise ConfigError(f"{where}: 'redirect_hosts' must be a list of host names")


def _check_limits(entry: dict, where: str) -> None:
    """``max_bytes`` and the ``limits:`` mapping (etl/extract.py's Limits) are positive numbers."""
    limits = entry.get("limits") or {}
    if not isinstance(limits, dict):
        raise ConfigError(f"{where}: 'limits' must be a mapping of {', '.join(LIMIT_KEYS)}")
    unknown = sorted(set(map(str, limits)) - set(LIMIT_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown limit(s) {unknown}; known: {', '.join(LIMIT_KEYS)}")
    checks = {**limits, **({"max_bytes": entry["max_bytes"]} if "max_bytes" in entry else {})}
    for key, value in checks.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{where}: {key} must be a whole number >= 1, got {value!r}")


def _check_survey_keys(entry: dict, where: str, kind: str) -> None:
    """multi_select groups, reject_when rules and pay_required (see docs/SOURCES.md)."""
    groups = entry.get("multi_select") or []
    if not isinstance(groups, list):
        raise ConfigError(f"{where}: 'multi_select' must be a list of groups")
    for i, group in enumerate(groups, start=1):
        if not isinstance(group, dict) or not isinstance(group.get("columns"), str):
            raise ConfigError(
                f"{where}: multi_select #{i} needs 'columns', a column-name pattern such as Q12_*"
            )
        if set(group) - {"columns", "options", "question"}:
            unknown = sorted(set(group) - {"columns", "options", "question"})
            raise ConfigError(f"{where}: multi_select #{i}: unknown key(s) {unknown}")
        if not isinstance(group.get("options") or {}, dict):
            raise ConfigError(f"{where}: multi_select #{i}: 'options' must be a mapping")
    if groups and kind != "salaries":
        raise ConfigError(f"{where}: 'multi_select' is for salaries sources (survey answers)")
    rules = entry.get("reject_when") or []
    if not isinstance(rules, list):
        raise ConfigError(f"{where}: 'reject_when' must be a list of rules")
    for i, rule in enumerate(rules, start=1):
        tests = [k for k in ("equals", "in", "missing") if k in (rule or {})]
        if (
            not isinstance(rule, dict)
            or not isinstance(rule.get("column"), str)
            or not str(rule.get("reason") or "").strip()
            or len(tests) != 1
            or set(rule) - {"column", "reason", "equals", "in", "missing"}
        ):
            raise ConfigError(
                f"{where}: reject_when #{i} must be {{column, reason}} with exactly one of "
                "equals, in or missing"
            )
        if "in" in rule and not isinstance(rule["in"], list):
            raise ConfigError(f"{where}: reject_when #{i}: 'in' must be a list")
    if rules and kind != "salaries":
        raise ConfigError(f"{where}: 'reject_when' is for salaries sources")
    if not isinstance(entry.get("pay_required", True), bool):
        raise ConfigError(f"{where}: 'pay_required' must be true or false")


def load_sources(directory: Path | None = None) -> list[dict]:
    """Every source of every ``*.yaml`` under ``directory`` (sorted by file name), checked.

    Each entry gets ``_file`` (where it was declared) and its defaults filled in.
    """
    directory = Path(directory) if directory else config.data_dir() / "sources"
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ConfigError(f"no sources files (*.yaml) in {directory}")
    sources: list[dict] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            doc = load_yaml(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            first = " ".join(str(exc).split()) if str(exc) else type(exc).__name__
            raise ConfigError(f"{path}: not valid YAML ({first})") from exc
        entries = doc.get("sources") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: expected a top-level 'sources:' list")
        for number, entry in enumerate(entries, start=1):
            source = _check_entry(entry, f"{path}: source #{number}")
            name = source["name"]
            if name in seen:
                raise ConfigError(f"{path}: source {name!r} is already declared in {seen[name]}")
            seen[name] = str(path)
            source["_file"] = str(path)
            sources.append(source)
    return sources


def select(sources: list[dict], names: list[str] | None) -> list[dict]:
    """The sources called ``names`` (all when None); an unknown name is a ConfigError."""
    if not names:
        return sources
    known = {s["name"]: s for s in sources}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(f"unknown source(s) {unknown}; configured: {', '.join(known)}")
    return [known[n] for n in names]


def probe_urls(sources: list[dict]) -> list[str]:
    """The URLs that tell whether the network reaches these sources: each file source's ``url``
    and each API source's base URL (``AIJOBS_API_BASE_<NAME>`` when set)."""
    urls = []
    for source in sources:
        if source.get("format") == "api":
            with contextlib.suppress(SourceError):
                urls.append(base_url(source))
        elif source.get("url"):  # a for_each pattern: its first file
            from etl.series import file_entries

            urls.append(str(file_entries(source)[0][1]["url"]))
    return urls


def _words(value: object) -> str | None:
    return " ".join(str(value or "").split()) or None


_RAW_GITHUB = re.compile(r"^https://raw\.githubusercontent\.com/([^/]+)/([^/]+)/([^/]+)/?(.*)$")


def source_page(url: str | None) -> str | None:
    """The link the sources table shows: ``url`` itself, or for a ``for_each`` pattern (one
    file per country, ``.../{CC}/file_{CC}.csv``) the folder above the first placeholder, as
    the browsable GitHub page when the files are raw GitHub files; never a link with ``{CC}``."""
    if not url or "{" not in url:
        return url
    base = url[: url.index("{")].rsplit("/", 1)[0]
    found = _RAW_GITHUB.match(base)
    if found:
        owner, repo, branch, path = found.groups()
        return f"https://github.com/{owner}/{repo}/tree/{branch}" + (f"/{path}" if path else "")
    return base + "/"


def sources_table(sources: list[dict]) -> pd.DataFrame:
    """The store's ``sources`` table."""
    from etl.series import breaks_json

    rows = [
        {
            "name": s["name"],
            "kind": s["kind"],
            "title": s.get("title"),
            "license": s.get("license"),
            "url": source_page(s.get("url")),
            "description": _words(s.get("description")),
            "attribution": _words(s.get("attribution")),
            "method": _words(s.get("method")),
            "status": s.get("status") if s["kind"] == "series" else None,
            "status_date": pd.to_datetime(s.get("status_date")) if s.get("status_date") else None,
            "breaks": breaks_json(s),
        }
        for s in sources
    ]
    return pd.DataFrame(rows, columns=columns("sources"))
