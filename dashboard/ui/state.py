"""Widget state that outlives the runs in which its widget is not drawn.

A page that draws only its open tab (the others are not computed) leaves the closed tabs'
widgets out of the run, and Streamlit then forgets their values: a role picked in one tab would
be gone after a look at another. Giving a value back to session_state at the top of the run
makes it the page's own, kept until the widget is drawn again, which then shows it (and puts it
back into the address when the widget is bound to it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")


def keep(keys: Iterable[str]) -> None:
    """Keep the values of the widgets ``keys`` through runs that do not draw them."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def first_default(key: str, default: T) -> T | None:
    """``default`` for the widget ``key`` unless it has a kept value, which then decides alone
    (a widget given both warns that its default is ignored)."""
    return None if key in st.session_state else default
