"""User and source text shown inside Markdown, made inert: shortened, on one line, every Markdown
sign escaped.

Streamlit renders the body of st.markdown, st.caption, st.warning, st.info… as Markdown (links,
images, :color[…] directives, :material/…: icons, $LaTeX$), so a value from a shared link or a
source ("[Sign in again](https://…)", "![](https://…)", 100 KB of text) must never reach it as is.
``plain`` is the one way such a value enters Markdown; widgets' labels and dataframes show text as
text already.
"""

from __future__ import annotations

import re

LIMIT = 80
_SPACE = re.compile(r"\s+")
# Every ASCII punctuation character CommonMark lets a backslash escape, plus Streamlit's own
# directive signs (":" for :red[…] and :material/…:, "$" for LaTeX) and "~" for strikethrough.
_MARKDOWN = re.compile(r"""([\\`*_{}\[\]()#+\-.!|<>~$:"'&=/@%^?;,])""")


def shorten(value: object, limit: int = LIMIT) -> str:
    """``value`` as one line of at most ``limit`` characters ("…" marks a cut)."""
    text = _SPACE.sub(" ", str(value)).strip()
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def plain(value: object, limit: int = LIMIT) -> str:
    """``value`` shortened and escaped so that Markdown shows it as the very characters typed."""
    return _MARKDOWN.sub(r"\\\1", shorten(value, limit))
