"""User and source text inside Markdown: shortened, one line, every Markdown sign escaped."""

from __future__ import annotations

import re

import pytest

from dashboard.stats.text import plain, shorten


def test_a_long_value_is_cut_with_an_ellipsis_and_kept_on_one_line() -> None:
    assert shorten("a\n\n  b\tc") == "a b c"
    cut = shorten("x" * 100_000, 40)
    assert len(cut) == 40 and cut.endswith("…")
    assert shorten("short", 40) == "short"


@pytest.mark.parametrize(
    "value",
    [
        "[Sign in again](https://evil.example/login)",
        "![x](https://evil.example/p.png)",
        "<img src=x onerror=alert(1)>",
        ":red[alarm] :material/warning: $x^2$",
        "**bold** _it_ `code` ~~gone~~ # heading",
        "www.evil.example and https://evil.example",
    ],
)
def test_every_markdown_sign_is_escaped(value: str) -> None:
    out = plain(value)
    assert not re.search(r"(?<!\\)[\[\]()!<>:$*_`~#]", out), out
    assert re.sub(r"\\(.)", r"\1", out) == value  # what is read is exactly what was typed
