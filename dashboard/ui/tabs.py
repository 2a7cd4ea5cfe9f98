"""Tabs bound to the address of which only the open one is computed and drawn.

A page of several heavy sections shows them as tabs kept in the address (``?tab=…``); a tab
switch reruns the page, so drawing only the open tab makes a view cost its own queries instead
of every section's. A closed tab's widgets are then not drawn either: ``dashboard/ui/state.py``
keeps their values.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

KEY = "tab"
"""The address key of a page's open tab (one page is open at a time)."""


def open_tabs(labels: Sequence[str]) -> list[tuple[str, DeltaGenerator]]:
    """The tabs ``labels`` bound to ``?tab=``: (label, tab) of those to draw, the open one.

    ``open`` is None only when tabs keep no state; then every tab is drawn.
    """
    tabs = st.tabs(list(labels), key=KEY, bind="query-params")
    return [(label, tab) for label, tab in zip(labels, tabs, strict=True) if tab.open is not False]
