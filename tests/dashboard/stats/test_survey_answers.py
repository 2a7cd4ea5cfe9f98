"""dashboard/stats/bands.py and survey_answers.py: band statistics and the FAQ's sentences on
small hand-made frames (numbers checked by hand)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.stats import survey_answers as sa
from dashboard.stats.bands import band_label, median_band, median_code, years_label, years_order


def _bands(rows: list[tuple[float, float | None, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["salary_min_usd", "salary_max_usd", "n"])


def test_the_median_band_holds_the_middle_respondent() -> None:
    bands = _bands([(100_000, 124_999, 3), (0, 999, 4), (1_000_000, None, 2)])
    # ordered: 0-999 (4), 100k (3), 1M+ (2): the 5th of 9 respondents is in 100,000-124,999
    assert median_band(bands)["label"] == "$100,000–124,999"
    assert median_band(_bands([(0, 999, 5), (1_000, 1_999, 4)]))["label"] == "$0–999"
    assert median_band(_bands([])) is None


def test_band_labels_keep_the_published_edges_and_the_open_top() -> None:
    assert band_label(500_000, 999_999) == "$500,000–999,999"
    assert band_label(1_000_000, None) == "$1,000,000+"
    assert band_label(1_000_000, math.nan) == "$1,000,000+"


def test_years_codes_order_and_read_as_words() -> None:
    codes = ["20+", "1-2", "0", "<1", "10-20", "5-10"]
    assert sorted(codes, key=years_order) == ["0", "<1", "1-2", "5-10", "10-20", "20+"]
    assert [years_label(c) for c in ("0", "<1", "1-2", "20+")] == [
        "none",
        "under 1 year",
        "1–2 years",
        "20+ years",
    ]
    counts = pd.DataFrame({"code": ["<1", "1-2", "5-10"], "n": [2, 1, 4]})
    assert median_code(counts, "code") == "5-10"  # 4th of 7 respondents


def _answers(role: str, rows: list[tuple[str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["answer", "n"]).assign(role=role, source="s", year=2022)
    answered = frame.loc[frame["answer"] != "unknown", "n"].sum()
    return frame.assign(answered=answered, share=frame["n"] / answered)


def test_a_share_leaves_out_prefer_not_to_say_and_is_withheld_under_the_threshold() -> None:
    big = _answers("RS", [("doctorate", 30), ("master", 10), ("unknown", 5)])
    share = sa.share_of(big, "RS", "doctorate")
    assert (share.value, share.n, share.why) == (0.75, 40, None)
    small = _answers("RS", [("doctorate", 5), ("master", 4)])
    withheld = sa.share_of(small, "RS", "doctorate")
    assert withheld.value is None and "9 respondents — fewer than 30" in withheld.why
    assert sa.share_of(big, "Nobody", "doctorate").why == "no respondents"


def test_the_phd_answer_quotes_each_roles_share_and_n() -> None:
    edu = pd.concat(
        [
            _answers("Research Scientist", [("doctorate", 60), ("master", 40)]),
            _answers("Machine Learning Engineer", [("doctorate", 10), ("master", 30)]),
        ]
    )
    text = sa.phd_answer(edu, ("Machine Learning Engineer", "Research Scientist"))
    assert "Machine Learning Engineer: **25%** hold a doctoral degree (n = 40)" in text
    assert "Research Scientist: **60%** hold a doctoral degree (n = 100)" in text


def test_the_pay_answer_never_mixes_roles_and_names_countries_with_enough_answers() -> None:
    bands = pd.DataFrame(
        [
            ("A", "US", 100_000, 124_999, 40),
            ("B", "US", 150_000, 199_999, 35),
            ("A", "IN", 0, 999, 31),
            ("B", "IN", 0, 999, 3),
        ],
        columns=["role", "country_code", "salary_min_usd", "salary_max_usd", "n"],
    )
    text = sa.pay_answer(bands, ("A", "B"))
    assert "A: median band **$100,000–124,999** (n = 71)" in text
    assert "US: A $100,000–124,999, B $150,000–199,999" in text
    assert "IN:" not in text  # B has 3 respondents in IN: not a comparison
    table = sa.pay_by_country(bands, ("A", "B"))
    assert table.set_index("country").loc["IN", "B: median band"] == "—"


@pytest.mark.parametrize("n", [29, 0])
def test_years_median_is_withheld_under_the_threshold(n) -> None:
    years = _answers("X", [("1-2", n)])
    code, count, why = sa.median_years(years, "X")
    assert code is None and count == n and why


def _tools(respondents: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "role": ["A", "A", "A", "B"],
            "skill": ["PyTorch", "TensorFlow", "Python", "Keras"],
            "category": [
                "ML & DL frameworks",
                "ML & DL frameworks",
                "Languages",
                "ML & DL frameworks",
            ],
            "users": [40, 30, 45, 5],
            "respondents": [respondents] * 4,
            "share": [0.8, 0.6, 0.9, 0.1],
        }
    )


def test_shown_tools_is_what_the_chart_and_the_faq_both_show() -> None:
    rows, n, why = sa.shown_tools(_tools(50), "A", "ML & DL frameworks", 3)
    assert rows["skill"].tolist() == ["PyTorch", "TensorFlow"] and (n, why) == (50, None)
    assert "PyTorch 80%" in sa.frameworks_answer(_tools(50), ("A",))
    rows, n, why = sa.shown_tools(_tools(3), "A", None, 3)
    assert n == 3 and why and "fewer than" in why
    assert f"A: not shown ({why})" in sa.frameworks_answer(_tools(3), ("A",))
    rows, n, why = sa.shown_tools(_tools(50), "C", None, 3)
    assert rows.empty and (n, why) == (0, None)
