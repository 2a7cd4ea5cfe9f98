"""URL parameters that belong to one page, kept apart from the sidebar's global filters.

The sidebar parses the whole address as filters (an unknown key is reported as ignored) and
rewrites it on every run. Page-owned keys are therefore taken out of the address before the
sidebar runs (``stash``, called by dashboard/app.py) and handed to the page that owns them
(``take``); that page writes them back itself. Keys:

- ``skill`` (repeated) — "Where do you fit?": the chosen skills;
- ``a``, ``b`` — Compare roles: the two roles. Until the Compare page reads them itself they are
  applied to its role pickers here (``COMPARE_WIDGETS``), so a link can open it on two roles.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

PAGE_KEYS: tuple[str, ...] = ("skill", "a", "b")
COMPARE_WIDGETS = {"a": "cmp_a", "b": "cmp_b"}
_PREFIX = "_page_param_"


def stash(roles: Sequence[str] = ()) -> None:
    """Move the page-owned keys from the address into session state (before the sidebar runs).

    ``roles``: the roles in the store; valid ``a``/``b`` values preselect Compare's pickers.
    """
    ss = st.session_state
    for key in PAGE_KEYS:
        if key in st.query_params:
            ss[_PREFIX + key] = st.query_params.get_all(key)
            del st.query_params[key]
    pair = [ss.pop(_PREFIX + k, None) for k in COMPARE_WIDGETS]
    if all(pair):
        a, b = pair[0][-1], pair[1][-1]  # type: ignore[index]
        if a in roles and b in roles and a != b:
            ss[COMPARE_WIDGETS["a"]], ss[COMPARE_WIDGETS["b"]] = a, b


def take(key: str) -> list[str] | None:
    """The values of a page-owned key found in the address this run (None when absent)."""
    return st.session_state.pop(_PREFIX + key, None)
