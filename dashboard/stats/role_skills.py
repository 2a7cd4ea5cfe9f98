"""Which skills a role × skill grid shows: the selected roles' own top skills, not the overall
ones (which, across all roles, are SQL, Excel and Tableau even when the roles are AI roles)."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.stats.format import percent


def own_top_skills(profile: pd.DataFrame, roles: list[str], top: int = 15) -> list[str]:
    """Up to ``top`` skills: each role's most asked-for skills in turn (an equal part per role),
    ordered by their mean share over the roles.

    ``profile`` has role, skill, share (one row per role and skill asked for).
    """
    rows = profile[profile["role"].isin(roles)]
    if rows.empty or not roles:
        return []
    per_role = max(1, math.ceil(top / len(roles)))
    picked: list[str] = []
    for _, grp in rows.groupby("role", sort=False):
        picked += (
            grp.sort_values(["share", "skill"], ascending=[False, True])["skill"]
            .head(per_role)
            .tolist()
        )
    mean = rows.pivot_table(index="skill", columns="role", values="share", fill_value=0.0)
    mean = mean.reindex(columns=roles, fill_value=0.0).mean(axis=1)
    ranked = sorted(set(picked), key=lambda s: (-mean.get(s, 0.0), s))
    return ranked[:top]


def top_per_role(freq: pd.DataFrame, k: int = 5) -> pd.DataFrame:
    """role, postings, skills: each role's ``k`` most asked-for skills with their shares, roles
    by postings (most first), for a person who has not picked any skill yet.

    ``freq`` has role, skill, share, role_postings (as queries.skills.role_skill_frequencies).
    """
    rows = []
    for role, grp in freq.groupby("role", sort=False):
        best = grp.sort_values(["share", "skill"], ascending=[False, True]).head(k)
        rows.append(
            {
                "role": role,
                "postings": int(grp["role_postings"].max()),
                "skills": ", ".join(
                    f"{s} {percent(v, 0)}"
                    for s, v in zip(best["skill"], best["share"], strict=True)
                ),
            }
        )
    out = pd.DataFrame(rows, columns=["role", "postings", "skills"])
    return out.sort_values(["postings", "role"], ascending=[False, True]).reset_index(drop=True)
