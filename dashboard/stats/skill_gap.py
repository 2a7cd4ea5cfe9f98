"""What to learn moving from one role to another: the skills the target role's postings ask for
more often, ranked by the gain, and separately the ones they ask for less.

A difference of shares is only as good as the postings behind each side: every row carries both
sides' n (postings asking for the skill / postings of the role), and a pair of roles with too few
postings on either side is refused with the honesty policy's reason.
"""

from __future__ import annotations

import pandas as pd

from dashboard.stats.honesty import Thresholds, median_reason

COLUMNS = [
    "skill",
    "n_from",
    "postings_from",
    "share_from",
    "n_to",
    "postings_to",
    "share_to",
    "gain",
]


def _side(profile: pd.DataFrame, role: str) -> tuple[pd.DataFrame, int]:
    rows = profile[profile["role"] == role]
    postings = int(rows["role_postings"].max()) if not rows.empty else 0
    return rows.set_index("skill")[["n", "share"]], postings


def skill_gap(
    profile: pd.DataFrame,
    source: str,
    target: str,
    top: int = 12,
    postings: dict[str, int] | None = None,
    t: Thresholds | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """(learn, less, reason) for moving from ``source`` to ``target``.

    ``profile`` has role, skill, n, role_postings, share (one row per role and skill asked for).
    ``learn``: skills the target asks for more (gain > 0, in share points), largest gain first;
    ``less``: skills it asks for less (gain < 0), largest drop first; both at most ``top`` rows
    with the COLUMNS above. ``postings`` gives each role's postings when a role has no skill rows.
    ``reason`` is set (and both frames empty) when either role has too few postings.
    """
    a, n_a = _side(profile, source)
    b, n_b = _side(profile, target)
    if postings:
        n_a, n_b = postings.get(source, n_a), postings.get(target, n_b)
    for role, n in ((source, n_a), (target, n_b)):
        why = median_reason(n, "postings", t)
        if why:
            empty = pd.DataFrame(columns=COLUMNS)
            return empty, empty.copy(), f"{role}: {why}"
    skills = a.index.union(b.index)
    out = pd.DataFrame(
        {
            "skill": skills,
            "n_from": a["n"].reindex(skills, fill_value=0).astype("int64").to_numpy(),
            "postings_from": n_a,
            "share_from": a["share"].reindex(skills, fill_value=0.0).astype(float).to_numpy(),
            "n_to": b["n"].reindex(skills, fill_value=0).astype("int64").to_numpy(),
            "postings_to": n_b,
            "share_to": b["share"].reindex(skills, fill_value=0.0).astype(float).to_numpy(),
        }
    )
    out["gain"] = out["share_to"] - out["share_from"]
    learn = out[out["gain"] > 0].sort_values(["gain", "skill"], ascending=[False, True])
    less = out[out["gain"] < 0].sort_values(["gain", "skill"], ascending=[True, True])
    return (
        learn.head(top).reset_index(drop=True)[COLUMNS],
        less.head(top).reset_index(drop=True)[COLUMNS],
        None,
    )
