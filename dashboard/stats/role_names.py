"""Find a role by the name people use: "AI researcher", "Deep Learning Researcher" and "ML
engineer" are titles the role rules (data/roles.yaml) already map, so the role pickers accept any
title and resolve it the same way the ETL resolves a posting's title."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.stats.text import plain
from etl.normalise.roles import OTHER, map_role


def resolve_role(name: str | None, roles: Sequence[str]) -> tuple[str | None, str | None]:
    """(role, note): ``name`` itself when it is one of ``roles``, else the role its title maps
    to by the role rules; ``note`` (Markdown, the typed name escaped) says how a typed name was
    read, or that nothing matched."""
    if name is None or name in roles:
        return name, None
    shown = plain(name, 60)
    role = map_role(name)
    if role != OTHER and role in roles:  # "Other" is what no rule knows, not a match
        return role, f"“{shown}” is read as {role} (the role rules)."
    return None, f"No role in the data matches “{shown}”; pick one from the list."
