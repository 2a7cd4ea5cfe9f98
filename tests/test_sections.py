"""Section-aware extraction: skills named in parts of a posting that are not about the job are
not counted. Snippets are shortened from real postings of the shared api_samples mirror."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from etl.normalise.sections import blank_skipped, load_section_rules, skipped_spans
from etl.normalise.skills import SkillExtractor

EXTRACT = SkillExtractor()
WHOLE_TEXT = SkillExtractor(sections=False)


def kept(text: str) -> str:
    return " ".join(blank_skipped(text).split())


# --- the classes of issue #14, each with a real snippet ------------------------------------
def test_a_list_of_other_projects_the_posting_says_are_not_this_job_is_skipped() -> None:
    text = (
        "Requirements:\n3+ years of commercial experience applying AI\n"
        "A solid understanding of Python is a must\n2+ years of experience with LangChain\n"
        "NOT YOUR TECH STACK?\nWe have a variety of projects, so if you are proficient in "
        "React & Golang, Vue & Node.js, Flutter, Rust, Scala, C++, Unity, we would be happy "
        "to connect with you."
    )
    assert EXTRACT.extract(text) == ["Python", "LangChain"]
    assert "Rust" in WHOLE_TEXT.extract(text)


def test_benefits_and_perks_are_skipped_but_a_stack_line_among_them_is_kept() -> None:
    text = (
        "Qualifikation\nHands-on-Erfahrung mit dem genannten Tech Stack\n"
        "Benefits\nWarum wir?\nModerne Hardware, Udemy und Slack-Kultur\n"
        "Tech Stack: OXID, PHP, JavaScript, MySQL, Docker, Google Cloud\n"
        "28 Tage Urlaub"
    )
    assert EXTRACT.extract(text) == ["PHP", "JavaScript", "MySQL", "Docker", "GCP"]


def test_company_boilerplate_under_an_about_heading_is_skipped() -> None:
    text = (
        "About Mitre Media\nOur portfolio leverages LLMs and Databricks to deliver insights.\n"
        "About the Role\nYou will build Rails applications on PostgreSQL."
    )
    assert EXTRACT.extract(text) == ["Ruby on Rails", "PostgreSQL"]


def test_a_company_blurb_before_the_first_heading_is_skipped_up_to_the_job() -> None:
    text = (
        "IonQ is developing the most powerful quantum computer; it will redefine artificial "
        "intelligence, machine learning, cryptography, and more.\n"
        "We are looking for an engineer who automates audits with Python.\n"
        "Responsibilities:\nBuild workflows in SQL."
    )
    assert EXTRACT.extract(text) == ["Python", "SQL"]


def test_without_headings_the_whole_text_counts() -> None:
    text = "IonQ builds quantum computers for machine learning. Experience with Python."
    assert EXTRACT.extract(text) == ["Machine learning", "Python"]


def test_perks_named_under_why_join_us_are_skipped() -> None:
    text = (
        "Your technical toolkit\nDeep knowledge of PostgreSQL and Redis.\nWhy Clipster\n"
        "Zero bureaucracy - we value documentation, Slack, and Loom."
    )
    assert EXTRACT.extract(text) == ["PostgreSQL", "Redis"]


def test_german_headings_are_read() -> None:
    text = (
        "Über uns\nWir entwickeln Software mit Java für Banken.\nDeine Aufgaben\n"
        "Entwicklung mit Kotlin\nWas Du mitbringst\nErfahrung mit Linux\n"
        "Was wir Dir bieten\nEin MacBook und Jira-Schulungen"
    )
    assert EXTRACT.extract(text) == ["Kotlin", "Linux"]


def test_application_boilerplate_lines_are_skipped_anywhere() -> None:
    text = "Experience with Python.\nPlease mention the word **SHINY** when applying."
    assert EXTRACT.extract(text) == ["Python"]


# --- what is and is not a heading ------------------------------------------------------------
@pytest.mark.parametrize(
    "heading",
    [
        "Benefits",
        "BENEFITS AVAILABLE TO ALL FULL-TIME RAMP EMPLOYEES (GLOBAL)",
        "Why Join Us?",
        "🎁 Benefits",
        "About Anthropic",
        "Who we are",
        "Mentors, research areas, & past projects",
        "Was wir Dir bieten",
    ],
)
def test_skip_headings_are_recognised(heading: str) -> None:
    text = f"Requirements\nPython\n{heading}\nWe use Rust."
    assert EXTRACT.extract(text) == ["Python"]


@pytest.mark.parametrize(
    "line",
    [
        "Benefits administration experience with Excel",
        "About 5 years of Rust",
        "Why this matters to Rust users is clear from our docs.",
    ],
)
def test_list_items_that_start_like_a_heading_are_not_headings(line: str) -> None:
    text = f"Requirements\nPython\n{line}\nAlso Kotlin."
    assert "Kotlin" in EXTRACT.extract(text)


@pytest.mark.parametrize(
    "heading",
    ['What You"ll Do', "What You’ll Do", "Nice-to-Have Technical Skills", "Qualifikation"],
)
def test_keep_headings_end_a_skipped_section(heading: str) -> None:
    text = f"Benefits\nFree Slack swag\n{heading}\nExperience with Go, Rust."
    assert EXTRACT.extract(text) == ["Go", "Rust"]


def test_skipped_spans_are_sorted_disjoint_and_inside_the_text() -> None:
    text = "About us\nWe use Java.\nRequirements\nPython\nBenefits\nSlack\nPerks\nZoom"
    spans = skipped_spans(text)
    assert spans == sorted(spans)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))
    assert kept(text) == "Requirements Python"


def test_a_bad_sections_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "sections.yaml"
    bad.write_text("keep: [responsibilities]\nskip: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"sections.yaml: skip .*invalid regex"):
        load_section_rules(bad)
