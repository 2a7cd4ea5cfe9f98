"""Skills: the reviewed taxonomy (data/skills.yaml), source skill lists and free-text extraction.

Sources name skills three ways: a list of tokens (data_jobs' "['sql', 'python']", job-board tags),
or only inside the description text. Both end up as canonical names from the taxonomy so that
"golang" and "Go", "k8s" and "Kubernetes" are counted once.

Free text is scanned in ONE Aho-Corasick pass over the lower-cased text; every automaton key
starts with a boundary character (space, "(", "/", ",", ...), so keys only hit at word starts and
short aliases such as "r" or "c" do not fire on every letter. The word end, exact case for
case-sensitive aliases ("R", "Go", "Excel") and the list context ("Python, Go and Java") are then
checked per hit; overlapping hits keep the leftmost-longest one ("no-sql" is NoSQL, not SQL).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import pandas as pd
import yaml

from etl.config import data_dir

# Characters that may stand right before a word (the automaton keys start with one of them).
_BEFORE = " ([{/,;:\"'`*•·|-–—&!?+<>=~…‘“”’#"
# Before a short alias (<= 2 chars: "R", "C", "Go") these glue it to the previous token.
_SHORT_GLUE_BEFORE = "&-'’+#."
_LIST_BEFORE = ",/(&:;"
_LIST_AFTER = ",/)&;"
_SHORT = 2


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    ai: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class _TextAlias:
    form: str  # as written in the YAML (exact case for case-sensitive aliases)
    skill: str
    case_sensitive: bool
    list_context: bool


@dataclass
class SkillTaxonomy:
    """Canonical skills, their categories and aliases; build with ``load_taxonomy``."""

    skills: dict[str, Skill]
    categories: tuple[str, ...]
    _lookup: dict[str, str] = field(repr=False)
    _text_aliases: tuple[_TextAlias, ...] = field(repr=False)

    def canonical(self, alias: str) -> str | None:
        """The canonical name of a skill token, case-insensitively; None when unknown."""
        if not isinstance(alias, str):
            return None
        return self._lookup.get(" ".join(alias.split()).lower())

    def category(self, skill: str) -> str:
        """The category of a canonical skill (or of any alias of it)."""
        name = skill if skill in self.skills else self.canonical(skill)
        if name is None:
            raise KeyError(f"unknown skill {skill!r}: not in data/skills.yaml")
        return self.skills[name].category

    @property
    def ai_skills(self) -> frozenset[str]:
        """The AI-skills group (``ai: true``): a posting asking for one is an AI job."""
        return frozenset(s.name for s in self.skills.values() if s.ai)

    def table(self) -> pd.DataFrame:
        """One row per skill: skill, category, ai, aliases (comma-separated), in file order."""
        rows = [(s.name, s.category, s.ai, ", ".join(s.aliases)) for s in self.skills.values()]
        return pd.DataFrame(rows, columns=["skill", "category", "ai", "aliases"]).astype(
            {"skill": "string", "category": "string", "ai": "bool", "aliases": "string"}
        )


def _alias_entry(entry: object, where: str) -> tuple[str, bool, bool, bool]:
    """(form, case_sensitive, in_text, list_context) of one YAML alias entry."""
    if isinstance(entry, str | int | float) and not isinstance(entry, bool):
        return " ".join(str(entry).split()), False, True, False
    if isinstance(entry, dict) and "alias" in entry:
        unknown = set(entry) - {"alias", "case_sensitive", "text", "list_context"}
        if unknown:
            raise ValueError(f"{where}: unknown alias option(s) {sorted(unknown)}")
        return (
            " ".join(str(entry["alias"]).split()),
            bool(entry.get("case_sensitive", False)),
            bool(entry.get("text", True)),
            bool(entry.get("list_context", False)),
        )
    raise ValueError(f"{where}: an alias must be a string or a mapping with 'alias'")


def _parse(raw: object, name: str) -> SkillTaxonomy:
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: expected a mapping with 'categories' and 'skills'")
    categories = tuple(str(c) for c in raw.get("categories") or [])
    if not categories:
        raise ValueError(f"{name}: 'categories' is empty")
    skills: dict[str, Skill] = {}
    lookup: dict[str, str] = {}
    text_aliases: list[_TextAlias] = []
    for i, item in enumerate(raw.get("skills") or [], start=1):
        if not isinstance(item, dict) or not item.get("name") or not item.get("category"):
            raise ValueError(f"{name}: skill {i} needs a 'name' and a 'category'")
        skill, category = str(item["name"]).strip(), str(item["category"])
        where = f"{name}: skill {skill!r}"
        if skill in skills:
            raise ValueError(f"{where} is listed twice")
        if category not in categories:
            raise ValueError(f"{where} has category {category!r}, not one of 'categories'")
        entries = [_alias_entry(e, where) for e in item.get("aliases") or []]
        if not any(form.lower() == skill.lower() for form, *_ in entries):
            entries.insert(0, (skill, False, True, False))
        for form, case_sensitive, in_text, list_context in entries:
            key = " ".join(form.split()).lower()
            if not key:
                raise ValueError(f"{where} has an empty alias")
            if lookup.setdefault(key, skill) != skill:
                raise ValueError(f"{where}: alias {form!r} already belongs to {lookup[key]!r}")
            if in_text:
                text_aliases.append(_TextAlias(form, skill, case_sensitive, list_context))
        aliases = tuple(dict.fromkeys(form for form, *_ in entries))
        skills[skill] = Skill(skill, category, bool(item.get("ai", False)), aliases)
    if not skills:
        raise ValueError(f"{name}: no 'skills'")
    return SkillTaxonomy(skills, categories, lookup, tuple(text_aliases))


@lru_cache(maxsize=8)
def _load(path: Path) -> SkillTaxonomy:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"skills taxonomy not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    return _parse(raw, path.name)


def load_taxonomy(path: Path | None = None) -> SkillTaxonomy:
    """The reviewed skills taxonomy (cached per file); a bad file raises a one-line ValueError."""
    return _load(Path(path) if path is not None else data_dir() / "skills.yaml")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def _tokens(value: object) -> list[object]:
    if _is_missing(value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = ast.literal_eval(text)
            except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
                parsed = None  # malformed or truncated literal: fall back to splitting
            if isinstance(parsed, list | tuple | set):
                return list(parsed)
        return text.split(",")
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def skills_from_list(value: object, taxonomy: SkillTaxonomy | None = None) -> list[str]:
    """Distinct canonical skills of a source's skill list, in the order given.

    Accepts a Python-literal string ("['sql', 'python']", data_jobs), a list or tuple, a
    comma-separated string, or None/NaN. Tokens the taxonomy does not know are dropped.
    """
    taxonomy = taxonomy or load_taxonomy()
    found: dict[str, None] = {}
    for token in _tokens(value):
        if not isinstance(token, str):
            continue
        name = taxonomy.canonical(token.strip(" '\"[]"))
        if name is not None:
            found.setdefault(name, None)
    return list(found)


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class SkillExtractor:
    """Finds canonical skills in free text (descriptions) in one Aho-Corasick pass."""

    def __init__(self, taxonomy: SkillTaxonomy | None = None) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[_TextAlias, int]]] = {}
        for alias in self.taxonomy._text_aliases:
            key = " ".join(alias.form.split()).lower()
            if key[0].isalnum():
                for prefix in _BEFORE:
                    entries.setdefault(prefix + key, []).append((alias, 1))
            else:
                entries.setdefault(key, []).append((alias, 0))
        for key, hits in entries.items():
            automaton.add_word(key, (len(key), tuple(hits)))
        automaton.make_automaton()
        self._automaton = automaton

    def extract(self, text: str | None) -> list[str]:
        """Distinct canonical skills named in ``text``, in order of first mention."""
        if not isinstance(text, str) or not text:
            return []
        cased = " " + " ".join(text.split()) + " "
        if len(cased) <= 2:
            return []
        low = _lower_same_length(cased)
        hits: list[tuple[int, int, str]] = []
        for end, (length, candidates) in self._automaton.iter(low):
            for alias, skip in candidates:
                start = end - length + 1 + skip
                if self._accept(alias, cased, start, end):
                    hits.append((start, end, alias.skill))
                    break
        if not hits:
            return []
        hits.sort(key=lambda h: (h[0], h[0] - h[1]))
        found: dict[str, None] = {}
        last_end = -1
        for start, end, skill in hits:
            if start > last_end:
                found.setdefault(skill, None)
                last_end = end
        return list(found)

    @staticmethod
    def _accept(alias: _TextAlias, cased: str, start: int, end: int) -> bool:
        short = end - start + 1 <= _SHORT
        after = cased[end + 1]
        nxt = cased[end + 2] if end + 2 < len(cased) else " "
        if after.isalnum() or after in "_+#":
            return False  # mid-word, or "C" of "C++" / "C#"
        if after in ".&" and nxt.isalnum():
            return False  # "node" of "node.js", "R" of "R&D"
        if short and after in "-'’" and nxt.isalnum() and nxt not in "sS":
            return False  # "C-suite", "Go-to"; "Python-based" and "R's" are fine
        before = cased[start - 1]
        if not alias.form[0].isalnum() and (before.isalnum() or before == "_"):
            return False  # ".net" inside "asp.net"
        if short and before in _SHORT_GLUE_BEFORE:
            return False  # "AT&T", "B-R"
        if alias.case_sensitive and cased[start : end + 1] != alias.form:
            return False
        if alias.list_context:
            left = cased[max(0, start - 5) : start].rstrip()
            right = cased[end + 1 : end + 6].lstrip()
            return (
                (left[-1:] != "" and left[-1:] in _LIST_BEFORE)
                or left.endswith((" and", " or", " und"))
                or (right[:1] != "" and right[:1] in _LIST_AFTER)
                or right.startswith(("and ", "or ", "und "))
            )
        return True

    def extract_many(self, texts: Iterable[str | None]) -> list[list[str]]:
        """``extract`` for each text."""
        return [self.extract(t) for t in texts]


def explode_skills(
    posting_ids: pd.Series, skill_lists: pd.Series, taxonomy: SkillTaxonomy | None = None
) -> pd.DataFrame:
    """The posting_skills table: one row per posting and distinct canonical skill.

    ``skill_lists`` holds, per posting, a list of skills (canonical names or any alias the
    taxonomy knows); unknown names and empty lists produce no rows.
    """
    taxonomy = taxonomy or load_taxonomy()
    rows: dict[tuple[str, str], str] = {}
    for pid, skills in zip(posting_ids, skill_lists, strict=True):
        if _is_missing(pid):
            continue
        for name in skills_from_list(skills, taxonomy):
            rows.setdefault((str(pid), name), taxonomy.skills[name].category)
    return pd.DataFrame(
        {
            "posting_id": pd.Series([k[0] for k in rows], dtype="string"),
            "skill": pd.Series([k[1] for k in rows], dtype="string"),
            "category": pd.Series(list(rows.values()), dtype="string"),
        }
    )
