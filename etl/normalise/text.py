"""Text fixing shared by every normaliser: mojibake, whitespace and HTML descriptions.

Sources hand us titles with mojibake (RemoteOK's "GdaÅ\\x84sk"), stray whitespace and HTML
descriptions; Greenhouse even entity-escapes its HTML ("&lt;p&gt;"). Everything downstream
(role rules, skill extraction, display) wants plain, fixed text.
"""

from __future__ import annotations

import html
import math
import re
import warnings

import ftfy
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "table", "section", "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt",
)  # fmt: skip
_ESCAPED_TAG = re.compile(r"&(?:amp;)*lt;\s*/?\s*[a-zA-Z]")
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_MAX_UNESCAPE = 3
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def clean_text(value: str | None) -> str | None:
    """Fix mojibake (ftfy), collapse whitespace and strip; None for None/NaN/empty.

    Titles and names are compared and grouped, so "Data  Scientist " and "Data Scientist" must be
    the same string.
    """
    if _is_missing(value):
        return None
    # control characters (a NUL byte from a broken export) separate words: a space, not nothing
    text = _CONTROL.sub(" ", str(value))
    if not text.isascii() or "&" in text:
        # ftfy changes ASCII text only in its HTML entities and line breaks (whitespace, which
        # the join below collapses anyway): most titles and names skip it, its costliest step
        text = ftfy.fix_text(text)
    text = " ".join(text.split())
    return text or None


def _unescape_html(text: str) -> str:
    """Undo entity-escaping of whole documents (Greenhouse escapes its HTML, sometimes twice)."""
    for _ in range(_MAX_UNESCAPE):
        if "<" in text or not _ESCAPED_TAG.search(text):
            break
        text = html.unescape(text)
    return text


def _strip_tags(markup: str) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            soup = BeautifulSoup(markup, "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        for tag in soup.find_all(_BLOCK_TAGS):
            tag.insert_before("\n")
            tag.insert_after("\n")
        return soup.get_text()
    except Exception:  # html.parser can choke on pathological markup; fall back to a regex
        return html.unescape(_TAG.sub(" ", markup))


def html_to_text(value: str | None) -> str:
    """Plain text of an HTML description: unescaped, tags stripped, paragraphs kept as lines.

    Returns "" for None/NaN/empty so callers can always feed the result to the skill extractor.
    """
    if _is_missing(value):
        return ""
    text = _unescape_html(str(value))
    if "<" in text or "&" in text:
        text = _strip_tags(text)
    text = ftfy.fix_text(text).replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n", text).strip()
