"""Skills: the reviewed taxonomy (data/skills.yaml), source skill lists and free-text extraction.

Sources name skills three ways: a list of tokens (data_jobs' "['sql', 'python']", job-board tags),
or only inside the description text. Both end up as canonical names from the taxonomy so that
"golang" and "Go", "k8s" and "Kubernetes" are counted once.

Free text is scanned in ONE Aho-Corasick pass over a same-length ASCII lower-case copy of the
text in which every boundary (whitespace, "(", "/", ",", ...) reads " " (``_scan_form``, one
bytes-level translate). Every automaton key is boundary + alias + a non-word character, so keys
only hit whole words: short aliases such as "r" or "c" do not fire on every word starting with
them. The word end, exact case for case-sensitive aliases ("R", "Go", "Excel") and the list
context ("Python, Go and Java") are then checked per hit on the text itself, with whitespace
runs counting as one space; overlapping hits keep the leftmost-longest one ("no-sql" is NoSQL,
not SQL). A text where a multi-word alias might span a whitespace run ("machine\n\nlearning") is
re-read with its whitespace collapsed.
"""

from __future__ import annotations

import ast
import contextlib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import ahocorasick
import pandas as pd
import yaml

from etl.config import data_dir
from etl.contract import SKILL_BASES
from etl.normalise.files import load_yaml
from etl.normalise.sections import (
    SectionRules,
    blank_skipped,
    in_spans,
    load_section_rules,
    skipped_spans,
)

# Characters that may stand right before a word (the automaton keys start with one of them).
_BEFORE = " ([{/,;:\"'`*•·|-–—&!?+<>=~…‘“”’#\u2010\u2011"
# Before a short alias (<= 2 chars: "R", "C", "Go") these glue it to the previous token.
_SHORT_GLUE_BEFORE = "&-'’+#."
_LIST_BEFORE = ",/(&;"
_LIST_AFTER = ",/)&;"
_LIST_WORDS_BEFORE = (" and", " or", " und", " oder")
_LIST_WORDS_AFTER = ("and ", "or ", "und ", "oder ")
# After a short alias ("C", "Go", "R") these may stand before the next word: "R/Python", "Go, Rust".
# Any other mark glued to a next word makes the alias part of something else: "C•CURE", "C-suite".
_SHORT_SEPARATORS = ',/);:!?"”'
_SHORT = 2


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    ai: bool
    aliases: tuple[str, ...]
    unless_near: re.Pattern[str] | None = None


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
    # aliases that name their skill anywhere in free text (no case, list or text-only rule)
    _plain: dict[str, str] = field(default_factory=dict, repr=False)
    # Built automata, kept with the taxonomy so each SkillExtractor(taxonomy) reuses them.
    _automata: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

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

    def unambiguous(self, alias: str) -> str | None:
        """The canonical name of a token that names its skill wherever it stands ("python",
        "k8s"); None for tokens that are ordinary words too ("go", "excel", "spark", "rest")."""
        if not isinstance(alias, str):
            return None
        return self._plain.get(" ".join(alias.split()).lower())

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
        unless = item.get("unless_near")
        if unless is not None:
            if isinstance(unless, str) or not isinstance(unless, list) or not unless:
                raise ValueError(f"{where}: 'unless_near' must be a non-empty list of regexes")
            try:
                unless = re.compile("|".join(f"(?:{u})" for u in unless), re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{where}: invalid 'unless_near' regex ({exc})") from None
        skills[skill] = Skill(skill, category, bool(item.get("ai", False)), aliases, unless)
    if not skills:
        raise ValueError(f"{name}: no 'skills'")
    plain = {
        " ".join(a.form.split()).lower(): a.skill
        for a in text_aliases
        if not a.case_sensitive and not a.list_context
    }
    return SkillTaxonomy(skills, categories, lookup, tuple(text_aliases), plain)


@lru_cache(maxsize=8)
def _load(path: Path) -> SkillTaxonomy:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
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


def _scan_form(text: str) -> str:
    """``text`` as the automaton reads it: same length, ASCII, lower case, few kinds of marks.

    Whitespace and the ASCII ``_BEFORE`` characters become " ", every non-ASCII character "?",
    the other ASCII non-word characters ("$", ")", controls) NUL: one bytes-level translate, far
    cheaper than re-joining the words and ``lower()``. Hits that depend on one of these marks are
    checked against the text itself. The Kelvin sign is the one non-ASCII character whose
    ``lower()`` is ASCII ("k"), so it is mapped first: "\\u212a8s" still reads "k8s".
    """
    if not text.isascii() and _KELVIN in text:
        text = text.replace(_KELVIN, "k")
    return text.encode("ascii", "replace").translate(_SCAN_TABLE).decode("ascii")


def _scan_table() -> bytes:
    table = bytearray(range(256))
    for code in range(128):
        char = chr(code)
        if char != "?" and (char in _WS or char in _BEFORE):
            table[code] = ord(" ")
        elif "A" <= char <= "Z":
            table[code] = ord(char.lower())
        elif not char.isalnum() and char not in "?._":
            table[code] = 0  # "$", ")", controls...: all alike to the automaton (text decides)
    return bytes(table)


# Whitespace as ``str.split()`` sees it (pinned by a test).
_WS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501
_BOUNDARY = frozenset(_BEFORE + _WS)
# Where a line ends (``str.splitlines()``'s boundaries), and the rest of the whitespace: a list
# item may end a line ("skills: C" then a new line), so a run of whitespace holding a line break
# reads as one line break, any other run as one space.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INLINE_WS = "".join(c for c in _WS if c not in LINE_BREAKS)
_KELVIN = "\u212a"
_SCAN_TABLE = _scan_table()
# What the scan can show right after a word that may still end there: " " (whitespace or a
# boundary), "?" (unknown: checked on the text), "." and "\0" (other ASCII non-word characters).
# Letters, digits and "_" never end a word, so keys only hit whole words ("c" of "cloud" is no
# hit) and the short aliases " c" / " r" no longer fire at every word starting with c or r.
_ENDS = "".join(
    sorted(
        {chr(b) for b in _SCAN_TABLE[:128]}
        - {"_"}
        - {c for c in map(chr, range(128)) if c.isalnum()}
    )
)
_GAP, _MAIN = 1, 0


def _build_automaton(aliases: tuple[_TextAlias, ...]) -> ahocorasick.Automaton:
    """One automaton over ``_scan_form`` texts; each value lists (kind, ...) entries.

    Main keys are boundary + alias + end character, with entries (``_MAIN``, alias length,
    check the character before, key to verify on the text or None, aliases). Gap keys (a
    multi-word alias's first words followed by two whitespace characters or a non-ASCII one)
    mark texts whose whitespace runs must be collapsed first: entries (``_GAP``, gap length).
    """
    groups: dict[str, dict[tuple[int, bool, str | None], list[_TextAlias]]] = {}
    gaps: dict[str, set[int]] = {}
    for alias in aliases:
        key = " ".join(alias.form.split()).lower()
        scan = _scan_form(key)
        verify = key if (" " in scan or "?" in scan or "\0" in scan) else None
        prefixes = (" ", "?") if key[0].isalnum() else ("",)
        for prefix in prefixes:
            for end in _ENDS:
                group = groups.setdefault(prefix + scan + end, {})
                group.setdefault((len(scan), prefix == "?", verify), []).append(alias)
            for i, char in enumerate(key):
                if char == " ":
                    for gap in ("  ", " ?", "?"):
                        gaps.setdefault(prefix + scan[:i] + gap, set()).add(len(gap))
    automaton = ahocorasick.Automaton()
    for word in [*groups, *(g for g in gaps if g not in groups)]:  # a stable order
        entries = [(_GAP, n, False, None, ()) for n in sorted(gaps.get(word, ()))]
        for (length, check, verify), found in groups.get(word, {}).items():
            entries.append((_MAIN, length, check, verify, tuple(found)))
        automaton.add_word(word, tuple(entries))
    automaton.make_automaton()
    return automaton


def _left_context(cased: str, start: int) -> str:
    """What ``cased`` holds in the 5 characters before ``start`` once whitespace runs are one
    space (as the original text was normalised), right-stripped."""
    size = 16
    while True:
        lo = max(0, start - size)
        words = " ".join(cased[lo:start].split())
        if lo == 0 or len(words) > 5:
            break
        size *= 4
    sep = " " if words and cased[start - 1] in _WS else ""
    return ((" " if lo == 0 else "") + words + sep)[-5:].rstrip()


def _right_context(cased: str, end: int) -> str:
    """The 5 characters after ``end`` with whitespace runs as one space, left-stripped."""
    size = 16
    while True:
        hi = end + 1 + size
        words = " ".join(cased[end + 1 : hi].split())
        if hi >= len(cased) or len(words) > 5:
            break
        size *= 4
    if not words:
        return ""
    sep = " " if cased[end + 1] in _WS else ""
    return (sep + words + " ")[:5].lstrip()


class SkillExtractor:
    """Finds canonical skills in free text (descriptions) in one Aho-Corasick pass."""

    def __init__(
        self,
        taxonomy: SkillTaxonomy | None = None,
        sections: SectionRules | bool | None = True,
    ) -> None:
        """``sections``: skip the parts of a description that are not about the job (company
        blurb, benefits, EEO text, other jobs; data/sections.yaml). True = the reviewed rules,
        False = read the whole text."""
        self.taxonomy = taxonomy or load_taxonomy()
        cache = self.taxonomy._automata
        if "text" not in cache:
            cache["text"] = _build_automaton(self.taxonomy._text_aliases)
        self._automaton = cache["text"]
        self._sections = load_section_rules() if sections is True else sections or None
        self._unless = {
            s.name: s.unless_near for s in self.taxonomy.skills.values() if s.unless_near
        }

    def extract(self, text: str | None) -> list[str]:
        """Distinct canonical skills the job asks for in ``text``, in order of first mention."""
        if not isinstance(text, str) or not text:
            return []
        sections = self._sections
        cased = " " + text + " "
        hits = self._hits(cased)
        if hits is None:  # a multi-word alias may span a whitespace run: collapse runs first
            if sections is not None:
                text = blank_skipped(text, sections)
            cased = " " + _one_per_run(text) + " "
            hits = self._hits(cased, gaps=False)
        elif hits and sections is not None:  # drop hits in parts that are not about the job
            spans = skipped_spans(text, sections)
            if spans:
                hits = [h for h in hits if not in_spans(spans, h[0] - 1)]
        if not hits:
            return []
        if len(hits) > 1:
            hits.sort(key=_hit_order)
        found: dict[str, None] = {}
        last_end = -1
        unless = self._unless
        for start, end, skill in hits:
            if start > last_end:
                last_end = end
                if skill in unless and _near(unless[skill], cased, start, end):
                    continue
                found[skill] = None
        return list(found)

    def _hits(self, cased: str, gaps: bool = True) -> list[tuple[int, int, str]] | None:
        """Accepted (start, end, skill) of every alias in ``cased`` (" " + text + " "), or None
        when the text must be re-read with its whitespace collapsed (never when ``gaps`` is
        False: the caller already collapsed it)."""
        accept = self._accept
        hits: list[tuple[int, int, str]] = []
        for pos, entries in self._automaton.iter(_scan_form(cased)):
            for kind, length, check_before, verify, aliases in entries:
                if kind == _GAP:
                    if gaps and cased[pos] in _WS and (length == 1 or cased[pos - 1] in _WS):
                        return None
                    continue
                start = pos - length
                if check_before and cased[start - 1] not in _BOUNDARY:
                    continue
                if verify is not None:
                    span = _lower_same_length(cased[start:pos])
                    if " ".join(span.split()) != verify:
                        continue
                for alias in aliases:
                    if accept(alias, cased, start, pos - 1):
                        hits.append((start, pos - 1, alias.skill))
                        break
        return hits

    @staticmethod
    def _accept(alias: _TextAlias, cased: str, start: int, end: int) -> bool:
        short = end - start + 1 <= _SHORT
        after = cased[end + 1]
        nxt = cased[end + 2] if end + 2 < len(cased) else " "
        if after.isalnum() or after in "_+#":
            return False  # mid-word, or "C" of "C++" / "C#"
        if after in ".&" and nxt.isalnum():
            return False  # "node" of "node.js", "R" of "R&D"
        if short and nxt.isalnum() and after not in _WS and after not in _SHORT_SEPARATORS:
            third = cased[end + 3] if end + 3 < len(cased) else " "
            if not (after in "'’" and nxt in "sS" and not third.isalnum()):
                return False  # "C-suite", "Go-to", "C•CURE"; "R's" is fine
        before = cased[start - 1]
        if not alias.form[0].isalnum() and (before.isalnum() or before == "_"):
            return False  # ".net" inside "asp.net"
        if short and before in _SHORT_GLUE_BEFORE:
            return False  # "AT&T", "B-R"
        if alias.case_sensitive:
            span = cased[start : end + 1]
            if " " in alias.form:
                span = " ".join(span.split())
            if span != alias.form:
                return False
        if alias.list_context:
            return _in_list(cased, start, end)
        return True

    def extract_many(self, texts: Iterable[str | None]) -> list[list[str]]:
        """``extract`` for each text."""
        extract = self.extract
        return [extract(t) for t in texts]


def _one_per_run(text: str) -> str:
    """``text`` with each whitespace run one line break where it holds one, else one space, and
    stripped: what the scan reads when runs are collapsed. Line breaks are kept because the
    context rules read lines (a list item ending a line, a degree's field on its line)."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _near(pattern: re.Pattern[str], cased: str, start: int, end: int) -> bool:
    """Whether ``pattern`` matches the hit's context: up to 80 characters either side on the same
    line, the hit itself written as "§" ("Bachelor's or § degree", "§ programs like Stanford")."""
    lo = max(cased.rfind("\n", 0, start) + 1, start - 80)
    hi = cased.find("\n", end + 1)
    hi = min(end + 81, len(cased) if hi < 0 else hi)
    return pattern.search(cased[lo:start] + "§" + cased[end + 1 : hi]) is not None


def _in_list(cased: str, start: int, end: int) -> bool:
    """Whether the alias at ``cased[start:end + 1]`` stands in a list ("Python, Go and Java",
    "Languages: Go, Rust", "skills: C"), not in prose. A ":" before it counts only when a list
    separator or the end of the line follows: "insights: Go beyond" is prose."""
    left = _left_context(cased, start)
    right = _right_context(cased, end)
    right_list = (right[:1] != "" and right[:1] in _LIST_AFTER) or right.startswith(
        _LIST_WORDS_AFTER
    )
    if left[-1:] == ":":
        rest = cased[end + 1 : end + 80].lstrip(_INLINE_WS)
        return right_list or not rest.strip() or rest[0] in LINE_BREAKS
    return (
        (left[-1:] != "" and left[-1:] in _LIST_BEFORE)
        or left.endswith(_LIST_WORDS_BEFORE)
        or right_list
    )


def _hit_order(hit: tuple[int, int, str]) -> tuple[int, int]:
    return hit[0], hit[0] - hit[1]  # leftmost first, then longest


# posting_skills.basis (contract.SKILL_BASES): the description text, the source's own skill list
# or tags (data_jobs' job_skills, job-board tags), or both.
BASIS_TEXT, BASIS_TAGS, BASIS_BOTH = SKILL_BASES


def merge_posting_skills(
    tags: pd.Series,
    descriptions: pd.Series,
    taxonomy: SkillTaxonomy | None = None,
    extractor: SkillExtractor | None = None,
) -> list[dict[str, str]]:
    """Per posting, its skills and where each came from ({skill: basis}, in order of mention).

    The description is always read (section-aware: ``SkillExtractor``); the source's tags are
    mapped through the taxonomy and merged in:
    - a skill in both is "both"; in the text only, "text";
    - a tag the text does not name adds its skill ("tags") only when the tag is unambiguous
      (``SkillTaxonomy.unambiguous``: "python" yes, "go"/"excel"/"spark" no), the posting's
      tags are credible (one of them names a skill the text asks for) and the description does
      not name the skill only in a part that is not about the job (another job's stack, perks):
      boards derive tags from the whole text, other jobs' lists included;
    - without a description the tags are all there is: every known tag counts ("tags").
    """
    taxonomy = taxonomy or load_taxonomy()
    extractor = extractor or SkillExtractor(taxonomy)
    whole_text: SkillExtractor | None = None
    listed_of: dict[object, tuple[list[str], frozenset[str]]] = {}
    out: list[dict[str, str]] = []
    for value, description in zip(tags.tolist(), descriptions.tolist(), strict=True):
        key = tuple(value) if type(value) in (list, tuple) else value
        try:
            listed, strong = listed_of[key]
        except (KeyError, TypeError):
            tokens = [t.strip(" '\"[]") for t in _tokens(value) if isinstance(t, str)]
            listed = skills_from_list(value, taxonomy)
            strong = frozenset(filter(None, map(taxonomy.unambiguous, tokens)))
            with contextlib.suppress(TypeError):  # unhashable items: not cached
                listed_of[key] = (listed, strong)
        if not isinstance(description, str) or not description.strip():
            out.append(dict.fromkeys(listed, BASIS_TAGS))
            continue
        found = extractor.extract(description)
        if not listed:
            out.append(dict.fromkeys(found, BASIS_TEXT))
            continue
        merged = {s: BASIS_BOTH if s in listed else BASIS_TEXT for s in found}
        extra = strong.difference(merged)
        if extra and not strong.isdisjoint(merged):
            if whole_text is None:
                whole_text = SkillExtractor(taxonomy, sections=False)
            named = set(whole_text.extract(description))
            for skill in listed:
                if skill in extra and skill not in named:
                    merged[skill] = BASIS_TAGS
        out.append(merged)
    return out


def _resolve_dict(skills: dict, taxonomy: SkillTaxonomy, basis: str) -> tuple[list[str], list[str]]:
    """(canonical skills, their bases) of one {skill or alias: basis} dict."""
    found = skills_from_list(list(skills), taxonomy)
    given = {taxonomy.canonical(k) or k: v for k, v in skills.items()}
    return found, [given.get(f, basis) for f in found]


def explode_skills(
    posting_ids: pd.Series,
    skill_lists: pd.Series,
    taxonomy: SkillTaxonomy | None = None,
    basis: str = BASIS_TAGS,
) -> pd.DataFrame:
    """The posting_skills table: one row per posting and distinct canonical skill.

    ``skill_lists`` holds, per posting, a list of skills (canonical names or any alias the
    taxonomy knows), whose rows get ``basis``, or a {skill: basis} dict
    (``merge_posting_skills``); unknown names and empty lists produce no rows.
    """
    taxonomy = taxonomy or load_taxonomy()
    resolved: dict[object, list[str]] = {}  # per distinct list: postings repeat a few hundred
    of_dicts: dict[tuple, tuple[list[str], list[str]]] = {}
    pids: list[str] = []
    names: list[str] = []
    bases: list[str] = []
    missing = posting_ids.isna().to_numpy(dtype=bool)  # a superset of _is_missing: re-checked
    for pid, skills, maybe_missing in zip(
        posting_ids.tolist(), skill_lists.tolist(), missing.tolist(), strict=True
    ):
        if maybe_missing and _is_missing(pid):
            continue
        if type(skills) is dict:
            try:  # the same {skill: basis} comes back often: resolved once
                key = tuple(skills.items())
                done = of_dicts.get(key)
                if done is None:
                    done = of_dicts[key] = _resolve_dict(skills, taxonomy, basis)
                found, found_bases = done
            except TypeError:  # unhashable values: resolve this row on its own
                found, found_bases = _resolve_dict(skills, taxonomy, basis)
            if found:
                pids.extend([str(pid)] * len(found))
                names.extend(found)
                bases.extend(found_bases)
            continue
        key = tuple(skills) if type(skills) in (list, tuple) else skills
        try:
            found = resolved.get(key) if type(key) in (tuple, str) else None
            if found is None:
                found = resolved[key] = skills_from_list(skills, taxonomy)
        except TypeError:  # unhashable items: resolve this row on its own
            found = skills_from_list(skills, taxonomy)
        if found:
            pids.extend([str(pid)] * len(found))
            names.extend(found)
            bases.extend([basis] * len(found))
    out = pd.DataFrame({"posting_id": pids, "skill": names, "basis": bases}, dtype="string")
    if len(out):  # the same posting may come twice (and bring the same skill twice)
        out = out.drop_duplicates(["posting_id", "skill"], ignore_index=True)
    categories = {name: skill.category for name, skill in taxonomy.skills.items()}
    out["category"] = out["skill"].map(categories).astype("string")
    return out[["posting_id", "skill", "category", "basis"]]
