"""Free-text extraction edge cases pinned by the fast scan (raw text, no re-joining, whole words).

The extractor reads the text as it is (whitespace runs not collapsed, no full ``lower()``), so
these pin that it finds exactly what a scan of the whitespace-normalised, lower-cased text would:
each run of whitespace one space, or one line break where the run holds one (a list item may end
a line: "skills: C" then a new line is a list, "skills: C programs" is prose).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.normalise import skills as skills_mod
from etl.normalise.skills import SkillExtractor, explode_skills, load_taxonomy

_EXTRACTOR = SkillExtractor()
_SCAN = SkillExtractor()
# The scan alone, for the property tests below: an alias bound to its context (``unless_near``,
# e.g. "Statistics" not as a degree's field) reads the hit's line on purpose, so a newline turned
# into a space by whitespace collapsing may change its answer ("degree\nStatistics" keeps it,
# "degree Statistics" does not). Those rules are pinned with cases in tests/test_skill_classes.py.
_SCAN._unless = {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We use R", ["R"]),  # alias is the last word: no character after it
        ("skills: C", ["C"]),
        ("Python", ["Python"]),
        ("R\nPython", ["R", "Python"]),  # alias right before a newline
        ("Go,\tRust", ["Go", "Rust"]),  # ... a tab
        ("SQL\xa0and Python", ["SQL", "Python"]),  # ... a no-break space
        ("Python\u2028SQL", ["Python", "SQL"]),  # ... a line separator
        ("R.", ["R"]),
        ("(R)", ["R"]),
        ("R’s packages", ["R"]),
        ("C++ and C#", ["C++", "C#"]),  # neither is also "C"
        ("C#/C++", ["C#", "C++"]),
        ("R/Python", ["R", "Python"]),
        ("•Python", ["Python"]),  # non-ASCII bullet before a word
        ("“Excel”", ["Excel"]),
        ("Python—SQL", ["Python", "SQL"]),
    ],
)
def test_extract_finds_whole_words_next_to_any_boundary(text: str, expected: list[str]) -> None:
    assert _EXTRACTOR.extract(text) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("R&D budget", "R"),
        ("r/place memes", "R"),  # lower-case r is not the language
        ("C++ only", "C"),
        ("C# only", "C"),
        ("éR", "R"),  # glued to a non-ASCII letter
        ("Ré", "R"),
        ("CafC", "C"),
        ("R_studio", "R"),
        ("Cé, Python", "C"),
        ("mysql_python", "Python"),
        ("asp.net", ".NET"),
    ],
)
def test_extract_rejects_aliases_glued_to_other_characters(text: str, absent: str) -> None:
    assert absent not in _EXTRACTOR.extract(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("machine\n\nlearning", ["Machine learning"]),
        ("Machine  \t Learning and Power\xa0BI", ["Machine learning", "Power BI"]),
        ("natural language\n\n\nprocessing", ["NLP"]),
        ("machine\u3000learning", ["Machine learning"]),
        ("machine,learning", []),  # a comma is not whitespace
        ("machine\n\nlearning\n\nR", ["Machine learning", "R"]),
    ],
)
def test_multi_word_aliases_span_any_whitespace_run(text: str, expected: list[str]) -> None:
    assert _EXTRACTOR.extract(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python and\n\n\nGo", ["Python", "Go"]),  # " and" before, across a run
        ("Python,\n     Go", ["Python", "Go"]),
        ("Go\n\n\n, Rust", ["Go", "Rust"]),  # "," after, across a run
        ("Go\n\n  and Rust", ["Go", "Rust"]),
        ("Julia\n\n\n\n\n\n\n, Rust", ["Julia", "Rust"]),  # run longer than the window
        ("Julia       and Rust", ["Julia", "Rust"]),
        ("Let's\n\n\nGo", []),  # no list around it
        ("Go\n\n\nnow", []),
        ("python:C\npython(", ["Python", "C"]),  # ":" then the line's end: a list (hypothesis)
        ("python:C python(", ["Python"]),  # ":" then more words: prose
        ("skills: C\u3000\x0c Python", ["C", "Python"]),  # any space, then any line break
        ("skills: C\u3000 Python", ["Python"]),
    ],
)
def test_list_context_reads_across_whitespace_runs(text: str, expected: list[str]) -> None:
    assert _EXTRACTOR.extract(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("İstanbul office: Python, SQL", ["Python", "SQL"]),  # lower() is one char longer
        ("İR and SQL", ["SQL"]),  # "R" glued to "İ"
        ("Straße: R, İ", ["R"]),
        ("\u212a8s cluster", ["Kubernetes"]),  # Kelvin sign: lower() is an ASCII "k"
    ],
)
def test_extract_keeps_positions_when_lower_changes_length(text: str, expected: list) -> None:
    assert text.lower() != text and _EXTRACTOR.extract(text) == expected


def test_case_sensitive_multi_word_alias_matches_across_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text(
        "categories: [A]\nskills:\n"
        "  - {name: Deep Thought, category: A,\n"
        "     aliases: [{alias: Deep Thought, case_sensitive: true}]}\n"
    )
    extractor = SkillExtractor(load_taxonomy(path))
    assert extractor.extract("Deep\n\n Thought rules") == ["Deep Thought"]
    assert extractor.extract("Deep\tThought") == ["Deep Thought"]
    assert extractor.extract("deep thought") == []


def test_whitespace_set_is_what_str_split_splits_on() -> None:
    assert set(skills_mod._WS) == {chr(i) for i in range(0x110000) if chr(i).isspace()}


def test_extractors_of_one_taxonomy_share_the_built_automaton() -> None:
    taxonomy = load_taxonomy()
    assert SkillExtractor(taxonomy)._automaton is SkillExtractor(taxonomy)._automaton


# --- the scan equals a plain scan of the normalised text ---------------------------------

_TOKENS = [a.form for a in load_taxonomy()._text_aliases[::3]] + [
    "and", "or", "und", "R", "C", "Go", "c", "r", "s", "js", "D", "net", "based", "the",
    "machine", "learning", "power", "BI", "İ", "é", "\u212a", "😀", "x",
]  # fmt: skip
_SEPS = [
    *" ([{/,;:\"'`*•·|-–—&!?+<>=~…‘“”’#.)]}$%@\\^_\x00",
    " ", " ", "\n", "\n\n", "\t", "\xa0", "\u2028", "  ", " \n ", "",
]  # fmt: skip
TEXTS = st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_SEPS)), max_size=12).map(
    lambda parts: "".join(t + s for t, s in parts)
)


def _one_per_run(text: str) -> str:
    """``text`` with each whitespace run one line break if it holds one, else one space."""
    breaks = set(skills_mod.LINE_BREAKS)
    return re.sub(r"\s+", lambda m: "\n" if breaks & set(m.group()) else " ", text).strip()


def _reference(text: str, taxonomy=None) -> list[str]:
    """Brute force: every alias at every word start of the normalised, lower-cased text."""
    taxonomy = taxonomy or load_taxonomy()
    cased = " " + _one_per_run(text) + " "
    low = skills_mod._lower_same_length(cased).replace("\n", " ")  # words match across lines
    hits = []
    for alias in taxonomy._text_aliases:
        key = " ".join(alias.form.split()).lower()
        at = low.find(key)
        while at != -1:
            if not key[0].isalnum() or low[at - 1] in skills_mod._BEFORE:
                end = at + len(key) - 1
                if SkillExtractor._accept(alias, cased, at, end):
                    hits.append((at, end, alias.skill))
            at = low.find(key, at + 1)
    hits = sorted(set(hits), key=lambda h: (h[0], h[0] - h[1]))
    found: dict[str, None] = {}
    last_end = -1
    for start, end, skill in hits:
        if start > last_end:
            found.setdefault(skill, None)
            last_end = end
    return list(found)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_extract_equals_a_brute_force_scan_of_the_normalised_text(text: str) -> None:
    assert _SCAN.extract(text) == _reference(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_extract_does_not_depend_on_whitespace_runs(text: str) -> None:
    assert _SCAN.extract(text) == _SCAN.extract(_one_per_run(text))


def test_the_scan_of_the_property_tests_differs_only_by_the_context_rules() -> None:
    text = "doctoral degree)bayesian statistics "  # hypothesis found it: a degree's field
    assert _EXTRACTOR.extract(text) == ["PhD"]
    assert _SCAN.extract(text) == _reference(text) == ["PhD", "Statistics"]


def test_reference_agrees_on_the_hand_made_cases() -> None:
    for text in ["C++ and C#", "Python and\n\n\nGo", "machine\n\nlearning", "R&D", "İR and SQL"]:
        assert _SCAN.extract(text) == _EXTRACTOR.extract(text) == _reference(text)


# --- posting_skills ---------------------------------------------------------------------


def test_explode_skills_keeps_first_mentions_of_repeated_postings_and_lists() -> None:
    ids = pd.Series(["a", "b", None, "a", "c", float("nan"), 7], dtype="object")
    lists = pd.Series(
        [["SQL", "python"], ("k8s", "SQL"), ["Excel"], ["Python", "Go"], "['sql', 'nope']",
         ["SQL"], [["nested"], "SQL"]],
        dtype="object",
    )  # fmt: skip
    out = explode_skills(ids, lists)
    assert list(zip(out["posting_id"], out["skill"], strict=True)) == [
        ("a", "SQL"), ("a", "Python"), ("b", "Kubernetes"), ("b", "SQL"), ("a", "Go"),
        ("c", "SQL"), ("7", "SQL"),
    ]  # fmt: skip
    assert out["category"].tolist()[:3] == ["Languages", "Languages", "MLOps & deployment"]
    assert [str(t) for t in out.dtypes] == ["string", "string", "string", "string"]


def test_explode_skills_accepts_string_dtype_ids_with_missing_values() -> None:
    ids = pd.Series(["x", pd.NA, "y"], dtype="string")
    out = explode_skills(ids, pd.Series([["R"], ["R"], []], dtype="object"))
    assert out[["posting_id", "skill"]].values.tolist() == [["x", "R"]]
