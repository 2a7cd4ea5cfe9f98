"""Titles the role and seniority rules used to miss (issue #14): abbreviations, "/"-joined and
"X and Y" titles, other languages, seniority words anywhere. Real titles from data_jobs, aijobs
and the API samples unless marked otherwise."""

from __future__ import annotations

import pytest

from etl.normalise.roles import map_role
from etl.normalise.seniority import seniority_from_title


@pytest.mark.parametrize(
    ("title", "role"),
    [
        # abbreviations map like the spelled-out titles
        ("Senior DBA", "Data Engineer"),
        ("ClickHouse Solutions Engineer / DBA", "Data Engineer"),
        ("Sr. MLE", "Machine Learning Engineer"),  # hand-made: the abbreviation alone
        ("SWE II, Payments", "Software Engineer"),  # hand-made
        ("Database Administrator", "Data Engineer"),
        # "/"-joined titles: the job named first, shared words distributed
        ("Oracle DBA/Data Analyst", "Data Engineer"),
        ("Data/Information Architect", "Data Engineer"),
        ("Data Analyst/Engineer", "Data Analyst"),
        ("Business/Data Analyst", "Data Analyst"),
        ("Remote Jr Java programmer/Data Analyst/Data Scientists/ML ...", "Software Engineer"),
        ("Space Systems Intelligence Analyst/Data Analyst", "Data Analyst"),
        ("AI/ML Engineer (L3/L4)", "Machine Learning Engineer"),
        ("AI/ML Data Scientist", "Data Scientist"),
        ("Sr. Software Developer and Data Engineer - Hybrid Schedule...", "Software Engineer"),
        ("Health Policy and Data Analyst", "Data Analyst"),
        # other languages
        ("Ingénieur Big Data confirmé - Banque - Bordeaux", "Data Engineer"),
        ("Softwareentwickler (m/w/d) autonomes Fahren / Map Services", "Software Engineer"),
        ("Analista de Datos - CDMX, México", "Data Analyst"),
        ("Data Analyste (H/F)", "Data Analyst"),
        ("Analyste en intelligence d'affaires (hybride)/ Business...", "Data Analyst"),
        ("Junior Data Engineer / SQL Entwickler m/w/d", "Data Engineer"),
        # specialisms that are not the job
        ("Intel AI and Machine Learning Data Scientist - Python", "Data Scientist"),
        ("Data Engineer, Machine Learning", "Data Engineer"),
        ("Tutor/a Data Science", "Other"),
        ("Lecturer - Data Science - School of Information - Full-time ...", "Other"),
        ("Senior Developer Experience Engineer", "Software Engineer"),
        ("Developer Advocate", "Other"),
        ("Infrastructure Engineer", "Software Engineer"),
        ("Data Management Officer", "Data Analyst"),
    ],
)
def test_title_variants_map_like_the_spelled_out_titles(title: str, role: str) -> None:
    assert map_role(title) == role


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Mediaplaner/in in Teilzeit", "Other"),  # gender form, not two jobs
        ("Bürokaufmann/-frau", "Other"),
        ("Credit Strategy Manager/ Staff Data Scientist, Student Loans", "Manager"),
        ("Data Scientist ML expert sought for early stage Healthcare startup...", "Data Scientist"),
    ],
)
def test_slashes_that_are_not_two_jobs(title: str, role: str) -> None:
    assert map_role(title) == role


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Data Quality Analyst - Stage", "intern"),
        ("Stage Data Science  H/F - Grenoble (stage pré-embauche)", "intern"),
        ("Data Analyst Student Assistant", "intern"),
        ("Working Student, Geospatial Data Engineer", "intern"),
        ("Mathematics & Statistics Student Trainee (Data Scientist)", "intern"),
        ("Apprenti(e) Data Science F/H/D", "intern"),
        ("Data Engineer Journeyman - Now Hiring", "mid"),
        ("Data Engineer (Mid Level/Journeyman)", "mid"),
        ("Ingénieur Data Scientist expérimenté - F/H", "senior"),
        ("Ingénieur Big Data confirmé - Banque - Bordeaux", "senior"),
        ("Seeking An Experienced Data Scientist/Data Visualization Expert...", "senior"),
        ("Data Science Group Leader / Institute for Data Science in Oncology...", "lead"),
    ],
)
def test_seniority_words_anywhere_and_in_other_languages(title: str, level: str) -> None:
    assert seniority_from_title(title) == level


@pytest.mark.parametrize(
    "title",
    [
        "Data scientist ML expert sought for early stage Healthcare startup...",
        "Credit Strategy Manager, Student Loans",
        "Multi-stage Pipeline Engineer",  # hand-made
        "Data Scientist to tutor and guide students through...",
    ],
)
def test_words_that_only_look_like_a_level_are_not_one(title: str) -> None:
    assert seniority_from_title(title) == "unknown"
