"""Seniority of a posting from the words of its title (data/seniority.yaml).

Job boards rarely state a level, but titles do ("Sr.", "Staff", "Head of", "Werkstudent", "II").
The words are reviewed data; this module only applies them in order. No word -> "unknown": the
dashboard must not invent a level the posting never stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from etl.config import data_dir
from etl.contract import SENIORITY_CODES
from etl.normalise.files import load_yaml
from etl.normalise.memo import TitleMemo

UNKNOWN = "unknown"


@dataclass(frozen=True)
class SeniorityLevel:
    code: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None

    def matches(self, title: str) -> bool:
        if not self.pattern.search(title):
            return False
        return self.unless is None or not self.unless.search(title)


def _compile(patterns: object, where: str) -> re.Pattern[str]:
    items = [patterns] if isinstance(patterns, str) else patterns
    if not isinstance(items, list) or not items:
        raise ValueError(f"{where}: expected a non-empty list of regex patterns")
    try:
        return re.compile("|".join(f"(?:{p})" for p in map(str, items)), re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: invalid regex ({exc})") from None


@lru_cache(maxsize=8)
def _load(path: Path) -> tuple[SeniorityLevel, ...]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"seniority words not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    items = raw.get("levels") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ValueError(f"{path.name}: expected a non-empty 'levels' list")
    levels = []
    for i, item in enumerate(items, start=1):
        code = str(item.get("code")) if isinstance(item, dict) else None
        if code not in SENIORITY_CODES or code == UNKNOWN:
            raise ValueError(f"{path.name}: level {i} has code {code!r}, not a seniority code")
        where = f"{path.name}: level {code}"
        unless = item.get("unless")
        levels.append(
            SeniorityLevel(
                code,
                _compile(item.get("patterns"), where),
                _compile(unless, f"{where} unless") if unless else None,
            )
        )
    return tuple(levels)


def load_seniority_levels(path: Path | None = None) -> tuple[SeniorityLevel, ...]:
    """The reviewed seniority words, in priority order (cached per file)."""
    return _load(Path(path) if path is not None else data_dir() / "seniority.yaml")


def seniority_from_title(title: str | None) -> str:
    """One of SENIORITY_CODES for a raw title; "unknown" when no level word is in it."""
    return _level_of(title, load_seniority_levels())


def _level_of(title: str | None, levels: tuple[SeniorityLevel, ...]) -> str:
    if not isinstance(title, str) or not title.strip():
        return UNKNOWN
    text = " ".join(title.replace("_", " ").split())
    for level in levels:
        if level.matches(text):
            return level.code
    return UNKNOWN


_MEMO = TitleMemo()


def seniority_from_titles(titles: pd.Series) -> pd.Series:
    """seniority_from_title over a Series, computed once per distinct title."""
    return _MEMO.map(titles, load_seniority_levels(), _level_of, UNKNOWN, "seniority")
