"""What to learn moving between roles: gains ranked, losses apart, n on both sides, thin refused."""

from __future__ import annotations

import pandas as pd

from dashboard.stats.honesty import Thresholds
from dashboard.stats.role_names import resolve_role
from dashboard.stats.skill_gap import COLUMNS, skill_gap

T = Thresholds(min_n_median=30)


def _profile(role: str, postings: int, counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "role": role,
            "skill": list(counts),
            "n": list(counts.values()),
            "role_postings": postings,
            "share": [n / postings for n in counts.values()],
        }
    )


PROFILE = pd.concat(
    [
        _profile("MLE", 100, {"Python": 90, "Docker": 60, "PyTorch": 40, "SQL": 30}),
        _profile("RS", 50, {"Python": 45, "PyTorch": 40, "LaTeX": 10, "SQL": 5}),
    ]
)


def test_the_skills_the_target_asks_for_more_come_first_ranked_by_gain() -> None:
    learn, _, why = skill_gap(PROFILE, "MLE", "RS", t=T)
    assert why is None and list(learn.columns) == COLUMNS
    assert list(learn["skill"]) == ["PyTorch", "LaTeX"]  # +40 pp, +20 pp; no loss among them
    assert (learn["gain"] > 0).all()
    top = learn.iloc[0]
    assert (top.n_to, top.postings_to, top.n_from, top.postings_from) == (40, 50, 40, 100)
    assert abs(top.gain - 0.4) < 1e-9


def test_what_matters_less_is_kept_apart_largest_drop_first() -> None:
    _, less, _ = skill_gap(PROFILE, "MLE", "RS", t=T)
    assert list(less["skill"]) == ["Docker", "SQL"]  # -60 pp, -20 pp; Python -0 pp is neither
    assert (less["gain"] < 0).all()
    assert less.iloc[0].n_to == 0 and less.iloc[0].postings_to == 50


def test_the_direction_matters() -> None:
    learn, _, _ = skill_gap(PROFILE, "RS", "MLE", t=T)
    assert list(learn["skill"]) == ["Docker", "SQL"]


def test_a_role_with_too_few_postings_is_refused_with_the_reason() -> None:
    thin = pd.concat([PROFILE, _profile("Intern", 12, {"Python": 12})])
    learn, less, why = skill_gap(thin, "MLE", "Intern", t=T)
    assert learn.empty and less.empty
    assert why == "Intern: 12 postings — fewer than 30"


def test_a_role_picker_reads_the_names_people_use_through_the_role_rules() -> None:
    roles = ["Machine Learning Engineer", "Research Scientist", "Other"]
    assert resolve_role("Research Scientist", roles) == ("Research Scientist", None)
    role, note = resolve_role("Deep Learning Researcher", roles)
    assert role == "Research Scientist" and "read as Research Scientist" in (note or "")
    assert resolve_role("AI researcher", roles)[0] == "Research Scientist"
    assert resolve_role("ML engineer", roles)[0] == "Machine Learning Engineer"
    role, note = resolve_role("Astronaut", roles)  # maps to Other: not a match
    assert role is None and "No role in the data matches “Astronaut”" in (note or "")
