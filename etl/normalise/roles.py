"""Raw job titles -> canonical roles, by the ordered rules in data/roles.yaml.

Titles are free text ("Sr. Data Engineer III - Now Hiring", "ML Ops Engineer (m/w/d)"), so the
rules are regexes tried in order, first match wins; the knowledge lives in the reviewed YAML file,
not here. A title nothing matches is "Other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from etl.config import data_dir
from etl.contract import AI_ROLES
from etl.normalise.files import load_yaml
from etl.normalise.memo import TitleMemo

OTHER = "Other"


@dataclass(frozen=True)
class RoleRule:
    role: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None

    def matches(self, title: str) -> bool:
        if not self.pattern.search(title):
            return False
        return self.unless is None or not self.unless.search(title)


@dataclass(frozen=True)
class RoleRules:
    roles: tuple[str, ...]
    """Canonical role names in display order, ``Other`` last."""
    rules: tuple[RoleRule, ...]


def _compile(patterns: object, where: str) -> re.Pattern[str] | None:
    if patterns is None:
        return None
    if isinstance(patterns, str) or not isinstance(patterns, list) or not patterns:
        raise ValueError(f"{where}: expected a non-empty list of regex patterns")
    try:
        return re.compile("|".join(f"(?:{p})" for p in map(str, patterns)), re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: invalid regex ({exc})") from None


def _parse(raw: object, name: str) -> RoleRules:
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: expected a mapping with 'roles' and 'rules'")
    roles = tuple(str(r) for r in raw.get("roles") or [])
    if not roles or roles[-1] != OTHER:
        raise ValueError(f"{name}: 'roles' must list the display order and end with {OTHER!r}")
    if len(set(roles)) != len(roles):
        raise ValueError(f"{name}: 'roles' lists a role twice")
    if missing := [r for r in AI_ROLES if r not in roles]:
        raise ValueError(f"{name}: the AI roles {missing} of etl/contract.py are missing")
    rules = []
    for i, item in enumerate(raw.get("rules") or [], start=1):
        where = f"{name}: rule {i}"
        if not isinstance(item, dict) or "role" not in item:
            raise ValueError(f"{where}: expected a mapping with 'role' and 'patterns'")
        role = str(item["role"])
        if role not in roles:
            raise ValueError(f"{where}: role {role!r} is not listed under 'roles'")
        pattern = _compile(item.get("patterns"), f"{where} ({role}) patterns")
        if pattern is None:
            raise ValueError(f"{where} ({role}): 'patterns' is missing")
        rules.append(RoleRule(role, pattern, _compile(item.get("unless"), f"{where} unless")))
    if not rules:
        raise ValueError(f"{name}: no 'rules'")
    return RoleRules(roles=roles, rules=tuple(rules))


@lru_cache(maxsize=8)
def _load(path: Path) -> RoleRules:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"role rules not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    return _parse(raw, path.name)


def load_role_rules(path: Path | None = None) -> RoleRules:
    """The reviewed role rules (cached per file); a bad file raises ValueError with one line."""
    return _load(Path(path) if path is not None else data_dir() / "roles.yaml")


_QUALIFIER = re.compile(r"\s[-–—|/]\s|\(|\[")
# Gender forms written with a slash: "Mediaplaner/in", "Bürokaufmann/-frau", "Tutor/a".
_GENDER_SLASH = re.compile(r"/-?(?:in|innen|a|e|r|frau|mann)\b", re.IGNORECASE)
_SLASH = re.compile(r"\s*/\s*")
_AND = re.compile(r"\s+(?:and|&|und|et|y)\s+", re.IGNORECASE)
_ROLE_NOUN = re.compile(
    r"\b(engineer|developer|scientist|analyst|architect|manager|programmer|administrator|"
    r"consultant|specialist|designer|researcher|dba|entwickler\w*|ingenieur\w*)s?\b",
    re.IGNORECASE,
)


def _prepare(title: str) -> str:
    # underscores and odd spacing would defeat the \b-anchored patterns
    return " ".join(title.replace("_", " ").split())


def _first_match(text: str, rules: RoleRules) -> str | None:
    for rule in rules.rules:
        if rule.matches(text):
            return rule.role
    return None


def _slash_readings(text: str) -> list[str]:
    """The readings of a "/"-joined title to try, in order.

    A compact one, where a single word stands on one side of the slash, shares its other words:
    "Data/Information Architect" is read whole, then as "Data Architect", "Information
    Architect"; "Data Analyst/Engineer" as "Data Analyst", "Data Engineer"; "AI/ML Engineer"
    whole first (the rules know "AI/ML"). A list of jobs ("Jr Java Programmer/Data Analyst/Data
    Scientist") is read part by part as written, so the job named first wins, then whole."""
    parts = [p for p in _SLASH.split(text) if p]
    if len(parts) < 2:
        return [text]
    words = [p.split() for p in parts]
    compact = all(len(w) == 1 for w in words[1:-1]) and (len(words[0]) == 1 or len(words[-1]) == 1)
    if not compact:
        return [*parts, text]
    prefix = " ".join(words[0][:-1])
    tail = " ".join(words[-1][1:])
    alternatives = [words[0][-1], *(w[0] for w in words[1:-1]), words[-1][0]]
    return [text, *(" ".join(filter(None, (prefix, alt, tail))) for alt in alternatives)]


def _match_parts(text: str, rules: RoleRules) -> str | None:
    """The role of ``text``, reading "/"-joined titles (``_slash_readings``) and "X Developer
    and Y Engineer" as their first job ("Oracle DBA/Data Analyst" is a DBA)."""
    text = _GENDER_SLASH.sub("", text)
    if "/" in text:
        for reading in _slash_readings(text):
            if (role := _first_match(reading, rules)) is not None:
                return role
        return None
    parts = _AND.split(text)
    if len(parts) > 1 and all(_ROLE_NOUN.search(p) for p in parts):
        for part in parts:
            if (role := _first_match(part, rules)) is not None:
                return role
    return _first_match(text, rules)


def map_role(title: str | None, rules: RoleRules | None = None) -> str:
    """The canonical role of one raw title; "Other" when no rule matches or it is empty.

    The title's head (before " - ", " | ", "(" or "[") is tried first, so qualifiers such as
    "Data Engineer (Generative AI, AWS)" or "Data Scientist - MLOps/Python" do not override the
    job named up front; the whole title is tried when the head says nothing. "/"-joined and
    "X and Y" titles are read part by part (``_match_parts``).
    """
    if not isinstance(title, str) or not title.strip():
        return OTHER
    rules = rules or load_role_rules()
    text = _prepare(title)
    head = _QUALIFIER.split(text, maxsplit=1)[0].strip()
    if head and head != text and (role := _match_parts(head, rules)) is not None:
        return role
    return _match_parts(text, rules) or OTHER


_MEMO = TitleMemo()


def map_roles(titles: pd.Series, rules: RoleRules | None = None) -> pd.Series:
    """map_role over a Series, computed once per distinct title (sources repeat titles a lot)."""
    rules = rules or load_role_rules()
    return _MEMO.map(titles, rules, map_role, OTHER, "role")


def role_coverage(
    roles: pd.Series, titles: pd.Series, top: int = 10
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How titles spread over roles, and the most frequent titles that fell into Other.

    Returns (role, rows, share) in display order (every known role, zero rows included) and
    (title, rows) for the ``top`` most frequent Other titles: the list to review when adding rules.
    """
    order = list(load_role_rules().roles)
    counts = roles.astype("object").fillna(OTHER).value_counts()
    extra = [r for r in counts.index if r not in order]
    index = [r for r in order if r != OTHER] + extra + [OTHER]
    rows = counts.reindex(index, fill_value=0).astype("int64")
    total = int(rows.sum())
    shares = rows / total if total else rows.astype("float64")
    by_role = pd.DataFrame({"role": index, "rows": rows.to_numpy(), "share": shares.to_numpy()})
    other_titles = titles[roles.astype("object").fillna(OTHER).to_numpy() == OTHER]
    top_other = other_titles.astype("object").fillna("").value_counts().head(top)
    others = pd.DataFrame({"title": list(top_other.index), "rows": top_other.to_numpy()})
    return by_role, others.astype({"rows": "int64"})
