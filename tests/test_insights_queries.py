"""The AI-job classifier (through the ETL's transform) and the insight queries on a tiny store,
against hand-computed numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import premium
from dashboard import queries_insights as qi
from dashboard.filters import Filters
from dashboard.honesty import Thresholds
from etl.contract import AI_ROLES, columns
from etl.normalise.skills import load_taxonomy
from etl.staging import STAGED_POSTING_COLUMNS
from etl.store import publish, store_version
from etl.transform import transform_postings

MLE, RS, DA, DS = (
    "Machine Learning Engineer",
    "Research Scientist",
    "Data Analyst",
    "Data Scientist",
)


# ------------------------------------------------------------------ the classifier (ETL)
def _classify(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    """title, skills list, description -> the postings table the ETL would load."""
    staged = pd.DataFrame({c: [None] * len(rows) for c in STAGED_POSTING_COLUMNS})
    staged["source_row"] = range(1, len(rows) + 1)
    staged["source_id"] = [f"id{i}" for i in range(len(rows))]
    staged["title"] = [r[0] for r in rows]
    staged["skills"] = [r[1] for r in rows]
    staged["description"] = [r[2] for r in rows]
    staged["posted_date"] = pd.to_datetime("2023-03-01")
    out = transform_postings(staged, staged.copy(), "t")
    assert out.rejects.empty
    return out.table


def test_an_ai_role_makes_an_ai_job_by_title_even_without_ai_skills() -> None:
    t = _classify([(role, "['sql']", None) for role in AI_ROLES])
    assert t["role"].tolist() == list(AI_ROLES)
    assert t["is_ai"].tolist() == [True] * 4
    assert t["ai_basis"].tolist() == ["title"] * 4


def test_an_ai_skill_makes_an_ai_job_by_skills_and_title_wins_when_both() -> None:
    t = _classify(
        [
            ("Data Analyst", "['sql', 'pytorch']", None),  # AI skill from the source's list
            ("Data Analyst", None, "You will apply deep learning to churn."),  # from the text
            ("Machine Learning Engineer", "['pytorch']", None),  # both: title first
            ("Data Analyst", "['sql', 'excel']", None),
            ("Data Analyst", None, "Excel, SQL and a sense of humour."),
        ]
    )
    assert t["is_ai"].tolist() == [True, True, True, False, False]
    assert t["ai_basis"].tolist()[:3] == ["skills", "skills", "title"]
    assert t["ai_basis"].iloc[3:].isna().all()


def test_the_ai_skills_group_holds_the_issues_examples() -> None:
    ai = load_taxonomy().ai_skills
    issue = ("Machine learning", "Deep learning", "LLMs", "NLP", "Computer vision",
             "Reinforcement learning", "PyTorch", "TensorFlow", "JAX", "Hugging Face")  # fmt: skip
    for name in issue:
        assert name in ai, name
    assert "SQL" not in ai and "Excel" not in ai


# ------------------------------------------------------------------ a tiny store
# id  month   role seniority pay   ai basis   region/country  skills
# p0  2023-01 MLE  mid       150k  title      NA/US           Python, PyTorch
# p1  2023-01 DA   mid        80k  -          NA/US           SQL
# p2  2023-01 DA   senior    100k  skills     NA/US           SQL, PyTorch
# p3  2023-02 DS   senior      -   skills     EU/GB           Python, Deep learning
# p4  2023-02 DA   entry      60k  -          unknown         (none)
# p5  2023-02 RS   lead      200k  title      EU/DE           PyTorch
# p6  2023-02 DA   mid        70k  -          EU/FR           Excel
POSTINGS = pd.DataFrame(
    {
        "posting_id": [f"p{i}" for i in range(7)],
        "posted_date": pd.to_datetime(
            ["2023-01-03", "2023-01-10", "2023-01-31"] + ["2023-02-01"] * 4
        ),
        "role": [MLE, DA, DA, DS, DA, RS, DA],
        "seniority": ["mid", "mid", "senior", "senior", "entry", "lead", "mid"],
        "salary_usd": [150e3, 80e3, 100e3, np.nan, 60e3, 200e3, 70e3],
        "ai_basis": ["title", None, "skills", "skills", None, "title", None],
        "country_code": ["US", "US", "US", "GB", None, "DE", "FR"],
        "region": ["North America"] * 3 + ["Europe", None, "Europe", "Europe"],
    }
)
SKILLS = pd.DataFrame(
    [
        ("p0", "Python"),
        ("p0", "PyTorch"),
        ("p1", "SQL"),
        ("p2", "SQL"),
        ("p2", "PyTorch"),
        ("p3", "Python"),
        ("p3", "Deep learning"),
        ("p5", "PyTorch"),
        ("p6", "Excel"),
    ],
    columns=["posting_id", "skill"],
).assign(category="c")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    p = POSTINGS.copy()
    p["source"] = "s"
    p["first_seen"] = p["last_seen"] = p["posted_date"]
    p["title"] = p["role"]
    p["is_ai"] = p["ai_basis"].notna()
    p["remote"] = "unknown"
    p["employment_type"] = "full_time"
    p["salary_min_usd"] = p["salary_max_usd"] = p["salary_usd"]
    for c in ("company", "location", "salary_period", "currency", "url"):
        p[c] = None
    out = tmp_path_factory.mktemp("insights") / "jobs.duckdb"
    publish({"postings": p[columns("postings")], "posting_skills": SKILLS}, out)
    return str(out), store_version(out)


def test_ai_share_per_month_counts_postings_and_the_reason(store: tuple[str, str]) -> None:
    m = qi.ai_share_by_month(*store, Filters())
    assert m["n"].tolist() == [3, 4]
    assert m["ai"].tolist() == [2, 2]
    assert m["by_title"].tolist() == [1, 1] and m["by_skills"].tolist() == [1, 1]
    assert m["share"].tolist() == pytest.approx([2 / 3, 0.5])
    assert pd.to_datetime(m["month"]).dt.strftime("%Y-%m").tolist() == ["2023-01", "2023-02"]


def test_ai_share_follows_the_filters(store: tuple[str, str]) -> None:
    m = qi.ai_share_by_month(*store, Filters(regions=("Europe",)))
    assert m["n"].tolist() == [3] and m["ai"].tolist() == [2]
    m = qi.ai_share_by_month(*store, Filters(months=("2023-01", "2023-01")))
    assert m["n"].tolist() == [3]


def test_ai_share_by_region_and_country_leaves_out_unknown_places(
    store: tuple[str, str],
) -> None:
    r = qi.ai_share_by(*store, Filters(), "region").set_index("value")
    assert r["n"].to_dict() == {"Europe": 3, "North America": 3}
    assert r["ai"].to_dict() == {"Europe": 2, "North America": 2}
    c = qi.ai_share_by(*store, Filters(), "country_code").set_index("value")
    assert c["n"].to_dict() == {"US": 3, "DE": 1, "FR": 1, "GB": 1}
    assert c["share"].to_dict() == pytest.approx({"US": 2 / 3, "DE": 1.0, "FR": 0.0, "GB": 1.0})


def test_an_unknown_dimension_is_refused(store: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown dimension"):
        qi.ai_share_by(*store, Filters(), "salary_usd; DROP TABLE postings")


def test_skill_pay_by_seniority_with_and_without(store: tuple[str, str]) -> None:
    s = qi.skill_pay_by_seniority(*store, Filters(), ("PyTorch",)).set_index("seniority")
    assert s.loc["mid", ["n_with", "median_with", "n_without", "median_without"]].tolist() == [
        1,
        150e3,
        2,
        75e3,
    ]
    assert s.loc["senior", "n_with"] == 1 and s.loc["senior", "n_without"] == 0
    assert pd.isna(s.loc["senior", "median_without"])
    assert s.loc["entry", "n_with"] == 0 and s.loc["lead", "median_with"] == 200e3
    assert "unknown" not in s.index  # no posting with pay has it here
    assert qi.skill_pay_by_seniority(*store, Filters(), ()).empty


def test_premium_levels_come_from_the_postings_that_state_pay(store: tuple[str, str]) -> None:
    loose = Thresholds(min_n_premium=1)
    table, levels = qi.premiums_with_levels(*store, Filters(), ("PyTorch", "Python"), None, loose)
    pd.testing.assert_frame_equal(
        table, qi.premiums(*store, Filters(), ("PyTorch", "Python"), None, loose)
    )
    py = table.set_index("skill")
    # p3 asks for Python but states no pay: only p0 counts
    assert (py.loc["Python", "n_with"], py.loc["Python", "n_without"]) == (1, 5)
    mid = levels[(levels["skill"] == "PyTorch") & (levels["seniority"] == "mid")].iloc[0]
    assert (mid["n_with"], mid["median_with"], mid["n_without"], mid["median_without"]) == (
        1,
        150e3,
        2,
        75e3,
    )
    assert set(levels["role"]) == {premium.ALL_ROLES}
    assert "unknown" not in set(levels["seniority"])  # no posting with pay has it here


def test_a_role_without_postings_gets_a_reason_not_a_number(store: tuple[str, str]) -> None:
    got = qi.premiums(*store, Filters(), ("SQL",), ("Astronaut", DA), Thresholds(min_n_premium=1))
    assert got["role"].tolist() == ["Astronaut", DA]
    astronaut = got.iloc[0]
    assert np.isnan(astronaut["raw"]) and astronaut["raw_note"].startswith("hidden: 0 postings")
    assert astronaut["adjusted_note"] == "hidden: no posting with pay states its seniority"
    assert qi.premiums(*store, Filters(), (), None).empty


def test_premiums_from_the_store_match_hand_computed_numbers(store: tuple[str, str]) -> None:
    loose = Thresholds(min_n_premium=1)
    got = qi.premiums(*store, Filters(), ("PyTorch",), None, loose).iloc[0]
    assert got["role"] == premium.ALL_ROLES
    # with: 150k, 100k, 200k -> 150k; without: 80k, 60k, 70k -> 70k
    assert got["raw"] == pytest.approx(150 / 70 - 1)
    # only "mid" has both sides: 150k vs median(80k, 70k) = 75k -> +100%; 1 of 3 with-postings
    assert got["adjusted"] == pytest.approx(1.0)
    assert got["levels"] == "mid" and got["coverage"] == pytest.approx(1 / 3)
    strict = qi.premiums(*store, Filters(), ("PyTorch",), None, Thresholds()).iloc[0]
    assert np.isnan(strict["raw"]) and "fewer than 30" in strict["raw_note"]


def test_premiums_per_role(store: tuple[str, str]) -> None:
    loose = Thresholds(min_n_premium=1)
    got = qi.premiums(*store, Filters(), ("SQL",), (DA,), loose).set_index("role")
    # Data Analyst with pay: p1 80k SQL, p2 100k SQL, p4 60k, p6 70k -> 90k vs 65k
    assert got.loc[DA, "raw"] == pytest.approx(90 / 65 - 1)
    # mid: 80k vs 70k (+14.3%); senior and entry have one side only
    assert got.loc[DA, "adjusted"] == pytest.approx(80 / 70 - 1)


def test_role_skill_frequencies_count_postings_that_list_skills(store: tuple[str, str]) -> None:
    f = qi.role_skill_frequencies(*store, Filters())
    da = f[f["role"] == DA].set_index("skill")
    assert da["n"].to_dict() == {"SQL": 2, "Excel": 1, "PyTorch": 1}
    assert (da["role_postings"] == 3).all()  # p4 lists no skill
    assert da.loc["SQL", "share"] == pytest.approx(2 / 3)
    assert set(f["role"]) == {MLE, DA, DS, RS}
    only = qi.role_skill_frequencies(*store, Filters(roles=(RS,)))
    assert only[["role", "skill", "n"]].values.tolist() == [[RS, "PyTorch", 1]]


# ------------------------------------------------------------------ what the Demand page draws
def test_the_ai_chart_shows_the_postings_behind_each_point(store: tuple[str, str]) -> None:
    from dashboard.insights_ui import ai_share_figure

    fig = ai_share_figure(qi.ai_share_by_month(*store, Filters()), "all data")
    bars, line = fig.data
    assert list(bars.y) == [3, 4] and list(line.y) == pytest.approx([2 / 3, 0.5])
    assert line.hovertext[1] == "Feb 2023: 50.0% AI<br>2 of 4 postings (1 by title, 1 by skills)"
    assert "AI share of job postings per month" in fig.layout.title.text


def test_ai_share_bars_label_every_bar_with_its_n() -> None:
    from dashboard.insights_ui import ai_share_bars

    frame = pd.DataFrame({"value": ["Europe", "Asia"], "n": [1200, 40], "share": [0.25, 0.5]})
    fig = ai_share_bars(frame, "AI share by region", "all data")
    assert list(fig.data[0].text) == ["25.0% of 1,200", "50.0% of 40"]


def test_thin_places_are_left_out_and_counted() -> None:
    from dashboard.insights_ui import keep_enough

    frame = pd.DataFrame({"value": ["US", "NA", "DE"], "n": [500, 29, 30]})
    kept, dropped = keep_enough(frame, Thresholds(min_n_median=30))
    assert kept["value"].tolist() == ["US", "DE"] and dropped == 1


def test_the_definition_names_the_ai_roles_and_skills() -> None:
    from dashboard.insights_ui import ai_definition

    text = ai_definition()
    assert all(role in text for role in AI_ROLES)
    assert "PyTorch" in text and "by skills" in text


def test_the_premium_table_shows_raw_and_adjusted_side_by_side(store: tuple[str, str]) -> None:
    from dashboard.insights_ui import premium_display

    loose = Thresholds(min_n_premium=1)
    shown = premium_display(qi.premiums(*store, Filters(), ("PyTorch", "Excel"), None, loose))
    py = shown.set_index("Skill").loc["PyTorch"]
    assert py["Raw premium"].startswith("+114% (90% CI ")
    assert py["Seniority-adjusted premium"].startswith("+100% (90% CI ")
    assert py["n with / without"] == "3 / 3"
    assert py["Adjusted: n with / without"] == "1 / 2 · 1 level, 33% of postings with it"
    strict = premium_display(
        qi.premiums(*store, Filters(), ("PyTorch",), None, Thresholds(min_n_premium=2))
    ).iloc[0]
    assert strict["Raw premium"].startswith("+114%")  # 3 with, 3 without: enough for raw
    assert strict["Adjusted: n with / without"] == "—"
    assert strict["Seniority-adjusted premium"] == (
        "no level has 2 with and 2 without (best: mid, 1 with, 2 without)"
    )


def test_months_without_postings_break_the_line_and_thin_months_are_blanked() -> None:
    from dashboard.insights_ui import monthly_points

    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2023-11-01", "2023-12-01", "2024-03-01"]),
            "n": [100, 12, 40],
            "ai": [10, 6, 4],
            "by_title": [5, 3, 4],
            "by_skills": [5, 3, 0],
            "share": [0.1, 0.5, 0.1],
        }
    )
    pts = monthly_points(monthly, Thresholds(min_n_median=30))
    assert pts["month"].dt.strftime("%Y-%m").tolist() == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
    ]
    assert pts["n"].tolist() == [100, 12, 0, 0, 40]
    assert pts["share"].isna().tolist() == [False, True, True, True, False]
    assert pts["note"].iloc[1] == "12 postings — fewer than 30"
