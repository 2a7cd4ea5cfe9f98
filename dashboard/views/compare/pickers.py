"""The two role pickers of Compare roles: bound to the address (?a=…&b=…, as the "Where do you
fit?" page links here), and finding roles by the names people use: a typed title (or one in a
link) goes through the role rules, so "AI researcher" opens Research Scientist, and the picker and
the address then hold the role's own name."""

from __future__ import annotations

import streamlit as st

from dashboard.stats.role_names import resolve_role

DEFAULT_PAIR = ("Machine Learning Engineer", "Research Scientist")
URL_KEYS = ("a", "b")
"""The pickers' keys, which are also their keys in the address."""
_PENDING = "_cmp_pending"  # {picker key: role} to put in a picker before it is drawn
_NOTES = "_cmp_notes"  # how typed names were read, shown after the rerun that resolved them


def pick_roles(roles: list[str]) -> tuple[str, str] | None:
    """The two roles to compare (None when they are the same; the page is told why)."""
    ss = st.session_state
    for key, role in ss.pop(_PENDING, {}).items():
        ss[key] = role  # before the widget exists: the only time its value may be set
    defaults = [r if r in roles else roles[i] for i, r in enumerate(DEFAULT_PAIR)]
    chosen: list[str] = []
    pending: dict[str, str] = {}
    notes: list[str] = ss.pop(_NOTES, [])
    for col, key, label, default in zip(
        st.columns(2), URL_KEYS, ("Role A (from)", "Role B (to)"), defaults, strict=True
    ):
        value = col.selectbox(
            label,
            roles,
            # a value already in the session (a resolved name) wins; index=None avoids
            # Streamlit's "default and session state" warning
            index=None if key in ss else roles.index(default),
            key=key,
            bind="query-params",
            accept_new_options=True,
            placeholder="Pick or type a role",
            help="Pick a role, or type a job title (e.g. “Deep Learning Researcher”, “ML "
            "engineer”): the role rules find its role.",
        )
        role, note = resolve_role(value, roles)
        if note:
            notes.append(note)
        if role != value:
            pending[key] = role or default
        chosen.append(role or default)
    if pending:  # show the resolved names in the pickers and the address
        ss[_PENDING], ss[_NOTES] = pending, notes
        st.rerun()
    for note in notes:
        st.caption(note)
    if chosen[0] == chosen[1]:
        st.info("Pick two different roles.")
        return None
    return chosen[0], chosen[1]
