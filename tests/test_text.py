"""clean_text and html_to_text on small strings shaped like the real sources' values."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.normalise.text import clean_text, html_to_text

# Greenhouse (Anthropic board) content: HTML that is itself entity-escaped.
GREENHOUSE = (
    "&lt;div class=&quot;content-intro&quot;&gt;&lt;h2&gt;&lt;strong&gt;About Anthropic"
    "&lt;/strong&gt;&lt;/h2&gt;\n&lt;p&gt;Anthropic’s mission is to create reliable, "
    "interpretable, and steerable AI systems.&lt;/p&gt;&lt;/div&gt;"
)
# RemoteOK description: raw HTML that starts with bare text.
REMOTEOK = (
    "Launch Your Career in Leadership<p>Fisher Organization is seeking motivated and coachable "
    "individuals.</p><p>This entry-level opportunity is designed for recent graduates.</p>"
)
# Arbeitnow description: German HTML with inline tags.
ARBEITNOW = "<p>Wir bei <strong>autofox GmbH</strong> suchen eine strukturierte Persönlichkeit.</p>"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("GdaÅ\x84sk", "Gdańsk"),  # RemoteOK location mojibake
        ("  Data   Scientist \n", "Data Scientist"),
        ("Senior\tData\u00a0Engineer", "Senior Data Engineer"),
        ("Sr. Data Engineer", "Sr. Data Engineer"),
        ("Werkstudent:in oder Praktikant:in (m/w/d)", "Werkstudent:in oder Praktikant:in (m/w/d)"),
        ("Machine\x00Learning\x00Engineer", "Machine Learning Engineer"),  # NUL: a space
        ("Data\x1fScientist\x7f", "Data Scientist"),
    ],
)
def test_clean_text_fixes_mojibake_and_collapses_whitespace(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, "", "   ", "\n\t"])
def test_clean_text_returns_none_for_missing_or_blank(missing: object) -> None:
    assert clean_text(missing) is None  # type: ignore[arg-type]


def test_html_to_text_unescapes_greenhouse_content_before_stripping_tags() -> None:
    text = html_to_text(GREENHOUSE)
    assert text.splitlines() == [
        "About Anthropic",
        "Anthropic's mission is to create reliable, interpretable, and steerable AI systems.",
    ]
    assert "&lt;" not in text and "<" not in text


def test_html_to_text_unescapes_twice_escaped_html() -> None:
    assert html_to_text("&amp;lt;p&amp;gt;Python &amp;amp; SQL&amp;lt;/p&amp;gt;") == "Python & SQL"


def test_html_to_text_keeps_paragraphs_as_lines() -> None:
    assert html_to_text(REMOTEOK).splitlines() == [
        "Launch Your Career in Leadership",
        "Fisher Organization is seeking motivated and coachable individuals.",
        "This entry-level opportunity is designed for recent graduates.",
    ]


def test_html_to_text_does_not_split_inline_tags() -> None:
    assert html_to_text(ARBEITNOW) == (
        "Wir bei autofox GmbH suchen eine strukturierte Persönlichkeit."
    )


def test_html_to_text_breaks_lines_and_list_items() -> None:
    html = "<ul><li>Python</li><li>SQL</li></ul>Line one<br>Line two<br/>"
    assert html_to_text(html).splitlines() == ["Python", "SQL", "Line one", "Line two"]


def test_html_to_text_drops_scripts_and_styles() -> None:
    html = "<style>p {color: red}</style><p>Job</p><script>alert('x')</script>"
    assert html_to_text(html) == "Job"


def test_html_to_text_leaves_plain_text_with_angle_brackets_readable() -> None:
    assert html_to_text("Salary < 100k & bonus") == "Salary < 100k & bonus"


def test_html_to_text_keeps_escaped_entities_in_plain_text_once() -> None:
    # A single level of escaping in HTML is real text: "R&amp;D" is "R&D", not "R&D" twice.
    assert html_to_text("<p>R&amp;D and a &lt;b&gt; tag in prose</p>") == (
        "R&D and a <b> tag in prose"
    )


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, "", "  "])
def test_html_to_text_returns_empty_string_for_missing(missing: object) -> None:
    assert html_to_text(missing) == ""  # type: ignore[arg-type]


@given(st.text())
def test_clean_text_never_crashes_and_returns_stripped_text_or_none(value: str) -> None:
    out = clean_text(value)
    assert out is None or (isinstance(out, str) and out == out.strip() and out)
    if out is not None:
        assert "  " not in out


HTMLISH = st.text(alphabet=st.sampled_from(list("<>/&;#!-[]?=\"' abcpdiv\nltgamp0x9é")))


@given(st.one_of(st.text(), HTMLISH))
def test_html_to_text_never_crashes_and_returns_a_string(value: str) -> None:
    out = html_to_text(value)
    assert isinstance(out, str)
    assert out == out.strip()


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_text_is_cleaned_as_ftfy_cleans_it(value: str) -> None:
    """clean_text skips ftfy for ASCII text without "&": ftfy must leave such text unchanged
    but for whitespace (a newer ftfy that did more would fail here)."""
    import ftfy

    from etl.normalise.text import _CONTROL

    fixed = " ".join(ftfy.fix_text(_CONTROL.sub(" ", value)).split()) or None
    assert clean_text(value) == fixed


@pytest.mark.parametrize("value", ["Data &amp; AI Lead", "R&amp;D", "ML\r\nEngineer", "a\x1b[31mb"])
def test_ascii_text_with_entities_or_odd_breaks_is_cleaned_as_ftfy_cleans_it(value: str) -> None:
    import ftfy

    from etl.normalise.text import _CONTROL

    assert clean_text(value) == " ".join(ftfy.fix_text(_CONTROL.sub(" ", value)).split())
