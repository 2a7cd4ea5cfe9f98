"""Seniority from title words (data/seniority.yaml): real titles, negatives, never a guess."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.contract import SENIORITY_CODES
from etl.normalise.seniority import (
    load_seniority_levels,
    seniority_from_title,
    seniority_from_titles,
)


@pytest.mark.parametrize(
    ("title", "code"),
    [
        # senior
        ("Senior Data Engineer", "senior"),
        ("Sr. Data Engineer", "senior"),
        ("Sr Data Scientist", "senior"),
        ("Data Analyst III", "senior"),
        ("Data Scientist IV", "senior"),
        ("Data Engineer 4", "senior"),
        ("Data Scientist, Senior", "senior"),
        ("Mid/Senior AI Cinematic Video Editor", "senior"),
        ("Senior Manager, Data Science", "senior"),
        # lead
        ("Lead Data Engineer", "lead"),
        ("Staff Data Scientist", "lead"),
        ("Principal Data Scientist", "lead"),
        ("Senior Staff Engineer, Insights and Telemetry", "lead"),
        ("Tech Lead, Android Core Product - Munich, Germany", "lead"),
        ("Data Science Team Lead", "lead"),
        ("Staff Automation Engineer Internal Audit", "lead"),
        # executive
        ("Head of Data", "executive"),
        ("Director of Machine Learning", "executive"),
        ("Senior Director, Data Science", "executive"),
        ("VP Data Science", "executive"),
        ("Vice President of Sales", "executive"),
        ("Chief Data Scientist", "executive"),
        ("CFO", "executive"),
        ("Associate Director, Data Science", "executive"),
        # mid
        ("Data Scientist II", "mid"),
        ("Data Scientist 2", "mid"),
        ("Data Scientist, Mid", "mid"),
        ("Mid-Level Data Scientist", "mid"),
        ("Frontend Engineer II Core Product", "mid"),
        ("Data Scientist I_II (Credit Risk)", "mid"),
        # entry
        ("Jr. Data Analyst", "entry"),
        ("Jr Data Analyst", "entry"),
        ("Junior Data Scientist", "entry"),
        ("(Junior) HR Manager (m/w/d) - Schwerpunkt Recruiting", "entry"),
        ("Entry Level Data Analyst", "entry"),
        ("Entry-Level Data Scientist Engineer", "entry"),
        ("Software Engineer New Grad Production Infrastructure", "entry"),
        ("Graduate Data Analyst", "entry"),
        ("Associate Data Scientist", "entry"),
        ("Data Analyst I", "entry"),
        ("Android Engineer I - Subscriptions", "entry"),
        ("Trainee", "entry"),
        # intern
        ("Data Science Intern", "intern"),
        ("Data Science Internship", "intern"),
        ("Design Intern Summer 2026", "intern"),
        ("Werkstudent IT-Support (m/w/d)", "intern"),
        ("Werkstudent:in oder Praktikant:in (m/w/d) - Netzanschluss & Speichersysteme", "intern"),
        ("Praktikum Online-Marketing / Marketing / KI / AI", "intern"),
        ("Ausbildung Fachinformatiker Systemintegration (m/w/d)", "intern"),
        ("Stage", "intern"),
        ("Alternance", "intern"),
    ],
)
def test_title_words_give_the_seniority(title: str, code: str) -> None:
    assert seniority_from_title(title) == code


@pytest.mark.parametrize(
    "title",
    [
        "Data Scientist",
        "Machine Learning Engineer",
        "Engineering Manager",  # a manager can be any level
        "Member of Technical Staff",  # a title, not the "Staff" level
        "Account Executive",  # a sales role, not an executive
        "Data Entry Clerk",  # "entry" alone is not "entry level"
        "Research Associate",  # only a leading "Associate" is a level
        "Technical Consultant, Mid-Market",
        "Sales Manager Middle East",
        "Lead Generation Specialist",
        "Tier III Service Desk Engineer",  # a support tier, not a level
        "International Data Analyst",
        "Internal Audit Analyst",
        "AI Engineer",  # the "I" of "AI" is not level I
        "Headless CMS Developer",
        "",
        "   ",
    ],
)
def test_titles_without_a_level_word_are_unknown(title: str) -> None:
    assert seniority_from_title(title) == "unknown"


def test_none_and_nan_are_unknown() -> None:
    assert seniority_from_title(None) == "unknown"
    assert seniority_from_title(float("nan")) == "unknown"  # type: ignore[arg-type]


def test_seniority_from_titles_keeps_the_index() -> None:
    titles = pd.Series(["Senior Data Engineer", None, "Data Analyst I"], index=[3, 1, 2])
    out = seniority_from_titles(titles)
    assert list(out.index) == [3, 1, 2]
    assert out.tolist() == ["senior", "unknown", "entry"]


def test_words_file_uses_only_contract_codes() -> None:
    codes = [level.code for level in load_seniority_levels()]
    assert set(codes) <= set(SENIORITY_CODES) - {"unknown"}
    assert len(codes) == len(set(codes))


def test_a_level_with_an_unknown_code_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "seniority.yaml"
    path.write_text("levels:\n  - {code: guru, patterns: ['guru']}\n")
    with pytest.raises(ValueError, match="guru") as err:
        load_seniority_levels(path)
    assert "\n" not in str(err.value)


@given(st.text())
def test_seniority_is_always_an_allowed_code(title: str) -> None:
    assert seniority_from_title(title) in SENIORITY_CODES


@pytest.mark.shared_data
def test_data_jobs_titles_with_senior_words_are_senior_or_higher(shared_data: Path) -> None:
    path = shared_data / "data_jobs" / "data_jobs_salary_all.csv.gz"
    titles = pd.read_csv(path, usecols=["job_title"])["job_title"]
    codes = seniority_from_titles(titles)
    assert set(codes.unique()) <= set(SENIORITY_CODES)
    starts_senior = titles.str.match(r"(Senior|Sr\.?) ", na=False)
    assert codes[starts_senior].isin(["senior", "lead", "executive"]).all()
    plain = titles.isin(["Data Analyst", "Data Scientist", "Data Engineer"])
    assert (codes[plain] == "unknown").all()
