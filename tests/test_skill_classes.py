"""The error classes of issue #14, each pinned with real snippets from the API postings of the
shared mirror: taxonomy gaps, broad aliases, ambiguous short names, board tags."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.normalise.skills import (
    SkillExtractor,
    explode_skills,
    load_taxonomy,
    merge_posting_skills,
)

EXTRACT = SkillExtractor()


# --- concepts the taxonomy lacked -----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Build and operate reliable data pipelines using SQL, with a focus on testing, "
        "observability, and CI/CD",
        "Design and implement CI/CD pipelines and infrastructure automation",
        "Infra — AWS, Datadog, Sentry, GitHub Actions",
        "deployment technologies (GitHub Actions, CircleCI, etc.)",
        "Verantwortung für Testing, CI/CD und Code-Qualität",
        "Experience with continuous integration and delivery",
    ],
)
def test_ci_cd_and_named_ci_services_are_ci_cd(text: str) -> None:
    assert "CI/CD" in EXTRACT.extract(text)


def test_a_ci_service_on_a_git_host_is_ci_cd_not_the_host() -> None:
    found = EXTRACT.extract("Infra — AWS, Datadog, Sentry, GitHub Actions")
    assert "CI/CD" in found and "GitHub" not in found


def test_git_and_git_hosts_are_separate_skills() -> None:
    assert EXTRACT.extract("Experience with Git and version control workflows") == ["Git"]
    assert EXTRACT.extract("Workflow: GitHub, Slack, Notion, Figma") == [
        "GitHub",
        "Slack",
        "Notion",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Experience building REST APIs with Django REST Framework (DRF)",
        "Entwicklung von Webservices auf der Basis von JSON / REST für mobile Apps",
        "integrating NetSuite with third-party systems via REST/SOAP APIs",
        "technische Integrationen über OData- und REST-Schnittstellen",
        "a RESTful service layer",
    ],
)
def test_rest_apis_in_their_spellings(text: str) -> None:
    assert "REST APIs" in EXTRACT.extract(text)


def test_lower_case_rest_is_prose_not_rest_apis() -> None:
    assert EXTRACT.extract("You will rest well; the rest of the team uses Python.") == ["Python"]


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("Tech Stack: Vanilla JS, ReactJS, Redux, Firebase, Typescript", "JavaScript"),
        ("Enhance front-end experiences with StimulusJS or JavaScript ES6", "JavaScript"),
        ("5+ years of experience with RoR and Javascript.", "Ruby on Rails"),
        (
            "Integration von KI-Modellen (LLMs, Klassifikatoren, Empfehlungssysteme)",
            "Recommender systems",
        ),
        ("Suchmaschinenoptimierung (SEO)", "SEO"),
        ("Abgeschlossenes Masterstudium in Elektrotechnik", "Master's degree"),
    ],
)
def test_aliases_added_for_real_spellings(text: str, skill: str) -> None:
    assert skill in EXTRACT.extract(text)


# --- broad aliases removed or bound to context --------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Strong MySQL knowledge (schema, indexing, query optimization)",
        "improving cost efficiency and compute optimization within Snowflake",
        "Partner with Analytics to measure performance and optimize spend",
    ],
)
def test_optimization_of_queries_or_spend_is_not_mathematical_optimization(text: str) -> None:
    assert "Optimization" not in EXTRACT.extract(text)


def test_mathematical_optimization_is_still_found() -> None:
    assert EXTRACT.extract("Background in convex optimization and linear programming") == [
        "Optimization"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Substack, the podcast, and our transparency publications are theirs to run",
        "Update job knowledge by reading professional publications",
    ],
)
def test_a_companys_publications_are_not_a_research_record(text: str) -> None:
    assert "Publications" not in EXTRACT.extract(text)


def test_a_research_record_is_publications() -> None:
    assert "Publications" in EXTRACT.extract("A publication record at NeurIPS or ICML")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "Bachelor's or Master's degree in Data Science, Statistics, or Computer Science",
            "Master's degree",
        ),
        ("Master's or Bachelor's degree in Computer Science", "Master's degree"),
        ("BS/MS/PhD in Computer Science or a related field.", "PhD"),
        ("engineers from leading PhD programs like Stanford", "PhD"),
        ("a quantitative field such as business, economics, statistics, mathematics", "Statistics"),
        ("doctoral degree)bayesian statistics", "Statistics"),
        ("Familiarity with ERP systems (e.g. NetSuite, Oracle Fusion)", "Oracle"),
    ],
)
def test_aliases_bound_to_context_do_not_fire_in_the_wrong_one(text: str, absent: str) -> None:
    assert absent not in EXTRACT.extract(text)


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("PhD or MBA are highly desirable", "PhD"),
        ("A Master's degree in Statistics is required", "Master's degree"),
        ("Strong statistics and probability skills", "Statistics"),
        ("Degree in Computer Science\nStatistics, Python, SQL", "Statistics"),  # the next line
        ("Experience with Oracle, MySQL or PostgreSQL", "Oracle"),
    ],
)
def test_aliases_bound_to_context_still_fire_in_the_right_one(text: str, skill: str) -> None:
    assert skill in EXTRACT.extract(text)


# --- ambiguous short names -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Uncover actionable insights: Go beyond surface-level results to identify patterns",
        "How to apply:\nGo here: https://build.a.team/remotivereferral",
        "access control platforms (e.g., Genetec, Lenel, Milestone, C•CURE, or comparable)",
        "outbound campaigns targeting business owners and C-suite executives",
        "Go-to-market strategy, and R&D budgets",
    ],
)
def test_short_names_do_not_fire_outside_a_real_list(text: str) -> None:
    found = EXTRACT.extract(text)
    assert "Go" not in found and "C" not in found and "R" not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Languages: Go, Rust", ["Go", "Rust"]),
        ("skills: C", ["C"]),
        ("microservices in Go, streaming data pipelines in AWS", ["Go", "AWS"]),
        ("Familiar with multiple languages including either Go or Python", ["Go", "Python"]),
        ("R’s packages and R/Python", ["R", "Python"]),
    ],
)
def test_short_names_in_a_real_list_are_found(text: str, expected: list[str]) -> None:
    assert EXTRACT.extract(text) == expected


def test_a_non_breaking_hyphen_is_a_word_boundary() -> None:
    assert EXTRACT.extract("Configure Bring\u2011Your\u2011Own\u2011LLM integrations") == ["LLMs"]


# --- board tags merged with the text, with their basis -------------------------------------
def merged(tags: object, description: str | None) -> dict[str, str]:
    return merge_posting_skills(pd.Series([tags]), pd.Series([description]))[0]


def test_text_and_tags_merge_with_their_basis() -> None:
    out = merged(
        ["AWS", "php", "react", "jira", "laravel", "Typescript"],
        "Backend — PHP/Laravel\nFrontend — TypeScript/React\nInfra — AWS",
    )
    assert out == {"PHP": "both", "Laravel": "both", "TypeScript": "both", "React": "both",
                   "AWS": "both", "Jira": "tags"}  # fmt: skip


def test_ambiguous_tags_never_add_a_skill_the_text_does_not_ask_for() -> None:
    # Remotive tags a pet-supplement sales job 'excel', 'spark' ("You're the spark ...")
    out = merged(
        ["excel", "salesforce", "video", "spark"], "Sell supplements; no cap on commission."
    )
    assert out == {}


def test_tags_of_a_posting_whose_text_they_never_match_are_not_trusted() -> None:
    # a company's standard tag list on an office-assistant job
    out = merged(
        ["CSS", "excel", "git", "html", "php", "MySQL", "jQuery"],
        "Preferred: Experience with Google Sheets, Microsoft Excel, QuickBooks Online",
    )
    assert out == {"Google Sheets": "text", "Excel": "both"}


def test_tags_for_skills_named_only_in_a_skipped_part_are_dropped() -> None:
    text = (
        "Requirements:\nA solid understanding of Python is a must\n"
        "NOT YOUR TECH STACK?\nIf you are proficient in Scala or Rust, connect with us."
    )
    assert merged(["python", "scala", "rust"], text) == {"Python": "both"}


def test_without_a_description_the_tags_are_all_there_is() -> None:
    assert merged("['sql', 'python', 'go']", None) == {
        "SQL": "tags",
        "Python": "tags",
        "Go": "tags",
    }


def test_explode_skills_writes_the_basis_of_each_skill() -> None:
    out = explode_skills(
        pd.Series(["a", "b"]),
        pd.Series([{"Python": "both", "k8s": "tags"}, ["SQL"]]),
        basis="tags",
    )
    assert out[["posting_id", "skill", "basis"]].values.tolist() == [
        ["a", "Python", "both"],
        ["a", "Kubernetes", "tags"],
        ["b", "SQL", "tags"],
    ]


def test_unambiguous_tags_are_plain_aliases_only() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.unambiguous("Python") == "Python"
    assert taxonomy.unambiguous("k8s") == "Kubernetes"
    for word in ("go", "excel", "spark", "rest", "C", "react"):
        assert taxonomy.unambiguous(word) is None
