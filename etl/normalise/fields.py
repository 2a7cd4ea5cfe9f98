"""Employment type and remote mode from whatever a source says, mapped to the contract codes.

The words live in data/fields.yaml. Values are normalised first (case, hyphens, underscores and
camelCase ignored: "Full-time" == "full_time" == "FullTime"); combined values keep the first
type named ("Full-time and Part-time" -> full_time). Nothing recognised -> "unknown".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.config import data_dir
from etl.contract import EMPLOYMENT_TYPES, REMOTE_CODES
from etl.normalise.distinct import per_text
from etl.normalise.files import read_yaml_mapping


@dataclass(frozen=True)
class FieldRules:
    codes: dict[str, str]
    employment_words: tuple[tuple[re.Pattern[str], str], ...]
    separators: re.Pattern[str]
    remote_words: tuple[tuple[re.Pattern[str], str], ...]
    true_words: frozenset[str]
    false_words: frozenset[str]


def _norm(value: str) -> str:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", value)
    text = text.lower().replace("_", " ").replace("-", " ")
    return " ".join(text.split())


def _word_patterns(
    groups: dict, allowed: tuple[str, ...]
) -> tuple[tuple[re.Pattern[str], str], ...]:
    patterns = []
    for code, words in (groups or {}).items():
        if code not in allowed:
            raise ValueError(f"data/fields.yaml: {code!r} is not one of {allowed}")
        for word in words or []:
            patterns.append(
                (re.compile(r"(?<!\w)" + re.escape(_norm(str(word))) + r"(?!\w)"), code)
            )
    return tuple(patterns)


@lru_cache(maxsize=4)
def _load(path: Path) -> FieldRules:
    raw = read_yaml_mapping(path)
    emp = raw.get("employment_types") or {}
    rem = raw.get("remote") or {}
    codes = {str(k).lower(): str(v) for k, v in (emp.get("codes") or {}).items()}
    if bad := set(codes.values()) - set(EMPLOYMENT_TYPES):
        raise ValueError(f"data/fields.yaml: unknown employment types {sorted(bad)}")
    seps = [re.escape(str(s).lower()) for s in emp.get("separators") or [","]]
    return FieldRules(
        codes=codes,
        employment_words=_word_patterns(emp.get("words"), EMPLOYMENT_TYPES),
        separators=re.compile("|".join(seps)),
        remote_words=_word_patterns(rem.get("words"), REMOTE_CODES),
        true_words=frozenset(str(w).lower() for w in rem.get("true_words") or []),
        false_words=frozenset(str(w).lower() for w in rem.get("false_words") or []),
    )


def load_field_rules(path: Path | None = None) -> FieldRules:
    """The reviewed employment-type and remote words (cached)."""
    return _load(path or data_dir() / "fields.yaml")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers
        return False


def _first_match(text: str, patterns: tuple[tuple[re.Pattern[str], str], ...]) -> str | None:
    """The code of the word that appears earliest in ``text`` (longest word on a tie)."""
    best: tuple[int, int, str] | None = None
    for pattern, code in patterns:
        found = pattern.search(text)
        if found and (best is None or (found.start(), -len(found.group())) < best[:2]):
            best = (found.start(), -len(found.group()), code)
    return best[2] if best else None


@lru_cache(maxsize=8_192)
def employment_type(value: str) -> str:
    """One raw value -> a contract.EMPLOYMENT_TYPES code (the first type it names)."""
    rules = load_field_rules()
    for segment in rules.separators.split(value.lower()):
        segment = segment.strip()
        if not segment:
            continue
        if segment in rules.codes:
            return rules.codes[segment]
        code = _first_match(_norm(segment), rules.employment_words)
        if code:
            return code
    return "unknown"


def employment_types(raw: pd.Series) -> pd.Series:
    """Free text or codes -> contract.EMPLOYMENT_TYPES; "unknown" when nothing is recognised."""

    def one(value: object) -> str:
        if _is_missing(value):
            return "unknown"
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        return employment_type(str(value))

    return _per_distinct(raw, one)


def _per_distinct(raw: pd.Series, one) -> pd.Series:
    """``one`` per distinct text value, spread back by index; other values (booleans, numbers)
    row by row, because hashing would merge True with 1 and 1 with 1.0; lists row by row."""
    values = raw.astype("object").to_numpy()
    out = per_text(values, one, one(None), raw.index, dtype="string")
    if out is None:  # lists are unhashable
        return pd.Series([one(v) for v in values], index=raw.index, dtype="string")
    return out


def _ratio_code(number: float) -> str:
    if number <= 0:
        return "onsite"
    return "remote" if number >= 100 else "hybrid"


@lru_cache(maxsize=8_192)
def remote_code(value: str) -> str:
    """One raw text value -> a contract.REMOTE_CODES code."""
    rules = load_field_rules()
    text = _norm(value)
    if text in rules.true_words:
        return "remote"
    if text in rules.false_words:
        return "onsite"
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        number = None
    if number is not None:
        return _ratio_code(number) if 0 <= number <= 100 else "unknown"
    for code in ("hybrid", "remote", "onsite"):  # fixed priority, see data/fields.yaml
        if any(p.search(text) for p, c in rules.remote_words if c == code):
            return code
    return "unknown"


def remote_codes(raw: pd.Series) -> pd.Series:
    """Booleans, 0/50/100 ratios or words -> contract.REMOTE_CODES; "unknown" when nothing says."""

    def one(value: object) -> str:
        if _is_missing(value):
            return "unknown"
        if isinstance(value, bool):
            return "remote" if value else "onsite"
        if isinstance(value, int | float):
            return _ratio_code(float(value)) if 0 <= value <= 100 else "unknown"
        return remote_code(str(value))

    return _per_distinct(raw, one)
