"""Parts of a job description that do not say what the job asks for (data/sections.yaml).

A skill named in "About us", in the benefits ("Slack culture", "Udemy budget"), in the EEO
notice or in a list the posting says is not this job ("NOT YOUR TECH STACK? ... React & Ruby")
is not a skill the job asks for. Descriptions reach us as plain text with one paragraph or list
item per line (etl/normalise/text.py), so the sections are found by their headings: short lines
that are, or start with, a known section name in English, German or French. Only the names are
knowledge (the reviewed YAML file); this module applies them.

Speed matters (the extractor runs on millions of descriptions): the text is split into lines
once (C speed), only short lines are heading candidates, and a candidate is matched only
against the names that can start with its first word (a dict lookup), never against all of them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from etl.config import data_dir

_MAX_HEADING_CHARS = 80
_MAX_HEADING_WORDS = 8
_INTRO_PROSE = 80  # intro lines longer than this are prose (a blurb), shorter ones list items
_KEEP, _SKIP = "keep", "skip"
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_FIRST_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")  # plain ranges: far faster than \w classes
_LEAD = " \t\xa0-–—*•·#>|_~+=.:;!?\"'“”‘’()[]{}"  # bullets and marks before a heading's words
_ANY = "*"  # dispatch key of names whose first word cannot be read off the pattern


@dataclass(frozen=True)
class SectionRules:
    """Compiled section names; build with ``load_section_rules``."""

    by_first_word: dict[str, tuple[re.Pattern[str], ...]]  # (keep, skip, exact) per first word
    first_words: frozenset[str]  # keys of by_first_word: a line starting otherwise is no heading
    intro_words: frozenset[str]  # a prose intro line with one of these speaks about the job
    intro_phrases: tuple[str, ...]
    stack_line: re.Pattern[str]  # a line starting with a stack label and ":"
    skip_line: tuple[str, ...]  # phrases of boilerplate lines (as written, and Capitalised)


def _patterns(raw: dict, key: str, where: str) -> list[str]:
    patterns = raw.get(key)
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p for p in patterns)
    ):
        raise ValueError(f"{where}: '{key}' must be a non-empty list of strings")
    # an apostrophe also matches the typographic one and the '"' some boards put there
    return [p.replace("'", "['’\"]") for p in patterns]


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: invalid regex ({exc})") from None


def _first_words(pattern: str) -> set[str] | None:
    """The words a regex can start with ("(key |main )?duties" -> key, main, duties), or None
    when that cannot be read off it simply (the name is then tried on every line)."""
    if m := re.match(r"[a-zà-ÿß]+", pattern):
        word = m.group()
        return {word, word[:-1]} if pattern[m.end() : m.end() + 1] == "?" else {word}
    if not pattern.startswith("("):
        return None
    depth, close = 0, -1
    for at, char in enumerate(pattern):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            close = at
            break
    if close < 0:
        return None
    inner, rest = pattern[1:close], pattern[close + 1 :]
    optional = rest.startswith("?")
    rest = rest[1:] if optional else rest
    if "(" in inner or "[" in inner or "\\" in inner:
        return None
    words: set[str] = set()
    for alternative in inner.split("|"):
        first = _first_words(alternative.strip() + rest if not alternative.strip() else alternative)
        if first is None:
            return None
        words |= first
    if optional:
        after = _first_words(rest)
        if after is None:
            return None
        words |= after
    return words


@lru_cache(maxsize=8)
def _load(path: Path) -> SectionRules:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"section names not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{path.name}: expected a mapping with 'skip' and 'keep'")
    end = r"(?:(?<=\s)|(?![^\W\d_]))"  # a whole word: "benefits" is no prefix of "benefitsx"
    tail = rf"{end}(?:\s*,\s*&?\s*[^\W\d_][\w'’ -]*){{0,4}}[\s:?!.]*$"
    groups: dict[str, dict[str, list[str]]] = {}
    for kind in (_KEEP, _SKIP):
        for pattern in _patterns(raw, kind, path.name):
            _compile(pattern, f"{path.name}: {kind} {pattern!r}")
            for word in _first_words(pattern.lower()) or {_ANY}:
                groups.setdefault(word, {_KEEP: [], _SKIP: []})[kind].append(pattern)
    by_first_word = {}
    for word, kinds in groups.items():
        keep = "|".join(f"(?:{p})" for p in kinds[_KEEP]) or "(?!)"
        skip = "|".join(f"(?:{p})" for p in kinds[_SKIP]) or "(?!)"
        by_first_word[word] = (
            _compile(rf"(?:{keep}){end}", path.name),
            _compile(rf"(?:{skip}){end}", path.name),
            _compile(rf"(?:(?:{keep})|(?:{skip})){tail}", path.name),
        )
    stack = "|".join(f"(?:{p})" for p in _patterns(raw, "stack_line", path.name))
    intro = raw.get("intro_keep")
    if not isinstance(intro, dict) or not intro.get("words") or not intro.get("phrases"):
        raise ValueError(f"{path.name}: 'intro_keep' needs 'words' and 'phrases' lists")
    return SectionRules(
        by_first_word=by_first_word,
        first_words=frozenset(by_first_word),
        intro_words=frozenset(str(w).lower() for w in intro["words"]),
        intro_phrases=tuple(str(p).lower() for p in intro["phrases"]),
        stack_line=_compile(rf"[^\w\n]{{0,8}}?\s*(?:{stack})\s*:", f"{path.name}: stack_line"),
        skip_line=tuple(
            dict.fromkeys(v for p in raw.get("skip_line") or [] for v in (p, p[:1].upper() + p[1:]))
        ),
    )


def load_section_rules(path: Path | None = None) -> SectionRules:
    """The reviewed section names (cached per file); a bad file raises a one-line ValueError."""
    return _load(Path(path) if path is not None else data_dir() / "sections.yaml")


_KINDS: dict[tuple[int, str], str | None] = {}  # (rules, line) -> kind: headings repeat a lot
_KINDS_MAX = 100_000


def _cached_kind(line: str, rules: SectionRules) -> str | None:
    key = (id(rules), line)
    try:
        return _KINDS[key]
    except KeyError:
        if len(_KINDS) >= _KINDS_MAX:
            _KINDS.clear()
        kind = _KINDS[key] = _heading_kind(line, rules)
        return kind


def _heading_kind(line: str, rules: SectionRules) -> str | None:
    """ "keep"/"skip" when ``line`` is a heading naming a known section, else None.

    A heading is short and is a known name (optionally "Name, more, & more"), or starts with one
    and ends with ":" / "?", or starts with one and is written in Title Case or CAPITALS; a list
    item that merely starts with the same words ("Benefits administration experience") is not.
    """
    head = line.strip().lstrip(_LEAD)
    word = _FIRST_WORD.search(head)
    if word is None or any(c.isalnum() for c in head[: word.start()]):
        return None  # only bullets, emoji and marks may stand before the first word
    head = head[word.start() :]
    groups = (rules.by_first_word.get(word.group().lower()), rules.by_first_word.get(_ANY))
    for keep, skip, exact in filter(None, groups):
        kind = _KEEP if keep.match(head) else _SKIP if skip.match(head) else None
        if kind is None:
            continue
        words = _WORD.findall(head)
        if len(words) > _MAX_HEADING_WORDS:
            return None
        if exact.match(head) or head.rstrip().endswith((":", "?")):
            return kind
        letters = [c for c in head if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            return kind
        if all(w[0].isupper() for w in words if len(w) > 3):
            return kind
        return None
    return None


def skipped_spans(text: str, rules: SectionRules | None = None) -> list[tuple[int, int]]:
    """(start, end) character spans of ``text`` that do not name the job's skills, in order.

    Skipped: every section under a skip heading up to the next keep heading; when the text has
    headings at all, the leading prose lines before the first one that do not speak about the
    job or the candidate (a company blurb); and boilerplate lines (``skip_line``). Lines that
    start with a stack label ("Tech Stack: PHP, MySQL") are kept wherever they stand.
    """
    rules = rules or load_section_rules()
    lines = text.split("\n")
    starts = []
    found: list[tuple[int, str]] = []
    first_words = rules.first_words
    anywhere = _ANY in first_words
    first_word = _FIRST_WORD.search
    pos = 0
    for line in lines:
        starts.append(pos)
        n = len(line)
        pos += n + 1
        if 0 < n <= _MAX_HEADING_CHARS:
            # cheap filter (most short lines are list items): the line's first word must start
            # a section name; split() is far cheaper than a regex for the usual plain word
            word = line.split(" ", 1)[0]
            if not word.isalpha():
                match = first_word(line)
                word = match.group() if match is not None else ""
            if (anywhere or word.lower() in first_words) and (kind := _cached_kind(line, rules)):
                found.append((len(starts) - 1, kind))
    spans: list[tuple[int, int]] = []
    for phrase in rules.skip_line:  # str.find: far cheaper than lower-casing every text
        at = text.find(phrase)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            spans.append((starts[i], starts[i] + len(lines[i])))
            at = text.find(phrase, starts[i] + len(lines[i]))
    if found:
        for i in range(found[0][0]):
            line = lines[i]
            if len(line) <= _INTRO_PROSE:
                continue  # a list item, kept
            if _speaks_about_the_job(line, rules):
                break  # the intro now speaks about the job: keep the rest of it
            spans.append((starts[i], starts[i] + len(line)))
        start = None
        for i, kind in found:
            if kind == _SKIP and start is None:
                start = i
            elif kind == _KEEP and start is not None:
                spans.extend(_section(lines, starts, start, i, rules))
                start = None
        if start is not None:
            spans.extend(_section(lines, starts, start, len(lines), rules))
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for a, b in spans[1:]:
        if a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


_TOKENS = re.compile(r"[\w'’]+")


def _speaks_about_the_job(line: str, rules: SectionRules) -> bool:
    """Whether a prose line addresses the candidate or the job (a set lookup per word, not a
    regex: intro lines are long and every posting has one)."""
    low = line.lower()
    if any(p in low for p in rules.intro_phrases):
        return True
    return not rules.intro_words.isdisjoint(_TOKENS.findall(low))


def _section(
    lines: list[str], starts: list[int], first: int, stop: int, rules: SectionRules
) -> list[tuple[int, int]]:
    """Spans of lines ``first`` .. ``stop - 1``, without those that start with a stack label."""
    out = []
    a = starts[first]
    for i in range(first + 1, stop):
        if ":" in lines[i][:40] and rules.stack_line.match(lines[i]):
            out.append((a, starts[i] - 1))
            a = starts[i] + len(lines[i]) + 1
    end = starts[stop - 1] + len(lines[stop - 1])
    if a < end:
        out.append((a, end))
    return [(x, y) for x, y in out if x < y]


def blank_skipped(text: str, rules: SectionRules | None = None) -> str:
    """``text`` with its skipped spans replaced by spaces (same length, newlines kept)."""
    spans = skipped_spans(text, rules)
    if not spans:
        return text
    parts = []
    pos = 0
    for a, b in spans:
        parts.append(text[pos:a])
        parts.append("".join("\n" if c == "\n" else " " for c in text[a:b]))
        pos = b
    parts.append(text[pos:])
    return "".join(parts)


def in_spans(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether position ``at`` lies inside one of the sorted, disjoint ``spans``."""
    i = bisect_right(spans, (at, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]
