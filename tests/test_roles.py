"""Role rules (data/roles.yaml): real titles from the sources map to the documented roles."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.contract import AI_ROLES
from etl.normalise.roles import OTHER, load_role_rules, map_role, map_roles, role_coverage

# (title as found in the sources, expected role)
REAL_TITLES = [
    # aijobs job_title: the near-synonyms named in PROVENANCE.md
    ("Machine Learning Engineer", "Machine Learning Engineer"),
    ("ML Scientist", "Research Scientist"),
    ("Machine Learning Scientist", "Research Scientist"),
    ("AI Research Scientist", "Research Scientist"),
    ("Deep Learning Researcher", "Research Scientist"),
    ("Machine Learning Researcher", "Research Scientist"),
    ("AI Scientist", "Research Scientist"),
    ("AI Engineer", "AI Engineer"),
    ("AI Developer", "AI Engineer"),
    ("Prompt Engineer", "AI Engineer"),
    ("GenAI Architect", "AI Engineer"),
    ("LLM Engineer", "AI Engineer"),
    ("Artificial Intelligence Engineer", "AI Engineer"),
    ("AI Software Development Engineer", "AI Engineer"),
    ("MLOps Engineer", "MLOps Engineer"),
    ("Machine Learning Infrastructure Engineer", "MLOps Engineer"),
    ("Data Scientist", "Data Scientist"),
    ("Decision Scientist", "Data Scientist"),
    ("Cientista de Dados", "Data Scientist"),
    ("Data Engineer", "Data Engineer"),
    ("Data Architect", "Data Engineer"),
    ("ETL Developer", "Data Engineer"),
    ("Data Analyst", "Data Analyst"),
    ("Data Analist", "Data Analyst"),
    ("BI Analyst", "Data Analyst"),
    ("Power BI Developer", "Data Analyst"),
    ("Analytics Engineer", "Analytics Engineer"),
    ("Business Intelligence Engineer", "Analytics Engineer"),
    ("Software Engineer", "Software Engineer"),
    ("Software Development Engineer", "Software Engineer"),
    ("Full Stack Developer", "Software Engineer"),
    ("Member of Technical Staff", "Software Engineer"),
    ("Computer Vision Engineer", "Machine Learning Engineer"),
    ("NLP Engineer", "Machine Learning Engineer"),
    ("Manager", "Manager"),
    ("Engineering Manager", "Manager"),
    ("Head of Data", "Manager"),
    ("Director of Machine Learning", "Manager"),
    ("Product Manager", "Manager"),
    # data_jobs job_title: free text with suffixes and odd casing
    ("DATA SCIENTIST", "Data Scientist"),
    ("Data Scientist - Now Hiring", "Data Scientist"),
    ("Data Engineer (Remote)", "Data Engineer"),
    ("ML Ops Engineer", "MLOps Engineer"),
    ("Machine Learning Operations Engineer", "MLOps Engineer"),
    ("Data Engineer (Generative AI, Cloud, AWS, Python, Snowflake)", "Data Engineer"),
    ("Data Scientist - National Defense/Python/SQL/AWS/MLOps/Clearances", "Data Scientist"),
    ("Senior Manager, Data Science", "Manager"),
    ("Manager, Data Engineering", "Manager"),
    ("Entry Level Business Analyst/Data Analyst", "Data Analyst"),
    ("Research Data Scientist", "Data Scientist"),
    ("Engineer, Data", "Data Engineer"),
    # job-board API titles (Remotive, RemoteOK, Arbeitnow, Greenhouse, Lever)
    ("Analytics Engineer II", "Analytics Engineer"),
    ("Senior Independent AI Engineer / Architect", "AI Engineer"),
    ("CI&T 27985 Senior AI Engineer Brazil", "AI Engineer"),
    ("BPM LLP AI ML Engineer", "Machine Learning Engineer"),
    ("Solutions Analytics Data Scientist", "Data Scientist"),
    ("Data Scientist IV", "Data Scientist"),
    ("Staff Software Engineer, Product (São Paulo)", "Software Engineer"),
    ("Fullstack-Entwickler (m/w/d) mit KI-Affinität in Vollzeit", "Software Engineer"),
    ("Senior .NET Backend Engineer (m/w/d): C#, Domain-Modellierung & KI", "Software Engineer"),
    ("Software Entwickler Web (m/w/d)", "Software Engineer"),
    ("Engineering Manager Workload Management", "Manager"),
]


@pytest.mark.parametrize(("title", "role"), REAL_TITLES)
def test_real_titles_map_to_their_role(title: str, role: str) -> None:
    assert map_role(title) == role


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Sr. Data Engineer", "Data Engineer"),
        ("Senior Machine Learning Engineer", "Machine Learning Engineer"),
        ("Lead Data Scientist", "Data Scientist"),
        ("Staff MLOps Engineer", "MLOps Engineer"),
        ("Principal AI Engineer", "AI Engineer"),
        ("Jr Data Analyst", "Data Analyst"),
        ("Junior Data Analyst", "Data Analyst"),
        ("Data Science Intern", "Data Scientist"),
        ("Data Engineer Intern", "Data Engineer"),
        ("Data Scientist II", "Data Scientist"),
        ("Data Analyst III", "Data Analyst"),
        ("Head of Machine Learning", "Manager"),
        ("Senior Research Scientist", "Research Scientist"),
        ("Werkstudent Data Analyst (m/w/d)", "Data Analyst"),
    ],
)
def test_seniority_words_do_not_stop_a_title_matching_its_role(title: str, role: str) -> None:
    assert map_role(title) == role


@pytest.mark.parametrize(
    ("title", "role", "why"),
    [
        ("Research Engineer", "Research Scientist", "hired into research teams"),
        ("Machine Learning Research Engineer", "Research Scientist", "research before ML"),
        ("Applied Scientist", "Research Scientist", "ML modelling, PhD-track family"),
        ("Applied Machine Learning Scientist", "Research Scientist", "scientist, not engineer"),
        ("Business Analyst", "Data Analyst", "same skill profile in data_jobs"),
        ("Machine Learning Engineering Manager", "Manager", "manages people"),
        ("AI Product Manager", "Manager", "product management"),
        ("AI Data Engineer", "Data Engineer", "the job is data engineering"),
        ("AI Data Scientist", "Data Scientist", "the job is data science"),
    ],
)
def test_documented_boundary_decisions(title: str, role: str, why: str) -> None:
    assert map_role(title) == role, why


@pytest.mark.parametrize(
    "title",
    [
        "Engineer",  # generic: nothing says the function
        "Analyst",
        "Associate",
        "Consultant",
        "Researcher",
        "Account Executive",
        "AI Trainer",
        "Go To Market Strategist AI Trainer Freelance 8 20 hrs week",
        "AI Specialist Haitian Creole",
        "Data Labeling Specialists",
        "Data Entry Clerk",
        "Field Data Collector",
        "Product Designer",
        "Head of Marketing & Communications",
        "HR Manager / HR Generalist (m/w/d)",
        "Restaurant Account Manager",
        "Steuerberater (m/w/d) in Jena, auf Wunsch mit Partnerperspektive, gesucht",
        "Developer Advocate",
        "Business Development Representative",
        "Electrical Engineer",
        "",
        "   ",
    ],
)
def test_non_matching_or_non_technical_titles_are_other(title: str) -> None:
    assert map_role(title) == OTHER


def test_none_and_nan_titles_are_other() -> None:
    assert map_role(None) == OTHER
    assert map_role(float("nan")) == OTHER  # type: ignore[arg-type]


def test_rules_file_lists_every_ai_role_and_ends_with_other() -> None:
    rules = load_role_rules()
    assert rules.roles[-1] == OTHER
    assert set(AI_ROLES) <= set(rules.roles)
    assert {r.role for r in rules.rules} <= set(rules.roles)


def test_map_roles_keeps_the_index_and_maps_missing_to_other() -> None:
    titles = pd.Series(
        ["Data Scientist", None, "ML Engineer", "Data Scientist"], index=[5, 6, 7, 8]
    )
    out = map_roles(titles)
    assert list(out.index) == [5, 6, 7, 8]
    assert out.tolist() == ["Data Scientist", OTHER, "Machine Learning Engineer", "Data Scientist"]


def test_role_coverage_reports_shares_in_display_order_and_top_other_titles() -> None:
    titles = pd.Series(["Data Scientist", "Engineer", "Engineer", "Analyst", "AI Engineer"])
    by_role, others = role_coverage(map_roles(titles), titles, top=1)
    assert list(by_role["role"]) == list(load_role_rules().roles)
    assert by_role["rows"].sum() == 5
    assert by_role["share"].sum() == pytest.approx(1.0)
    other = by_role.set_index("role").loc[OTHER]
    assert (other["rows"], other["share"]) == (3, pytest.approx(0.6))
    assert by_role.set_index("role").loc["MLOps Engineer", "rows"] == 0
    assert others.to_dict("records") == [{"title": "Engineer", "rows": 2}]


def test_role_coverage_of_nothing_is_all_zero() -> None:
    by_role, others = role_coverage(pd.Series([], dtype="object"), pd.Series([], dtype="object"))
    assert by_role["rows"].sum() == 0 and others.empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("roles: [A, Other]\nrules:\n  - {role: B, patterns: [x]}\n", "not listed"),
        ("roles: [A]\nrules:\n  - {role: A, patterns: [x]}\n", "end with 'Other'"),
        ("roles: [A, Other]\nrules:\n  - {role: A, patterns: ['(']}\n", "invalid regex"),
        ("roles: [A, Other]\nrules: [{role: A}]\n", "patterns"),
        ("roles: [A, : Other\n", "not valid YAML"),
    ],
)
def test_bad_rule_files_raise_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(text.replace("[A, Other]", "[A, " + ", ".join(AI_ROLES) + ", Other]"))
    with pytest.raises(ValueError, match=message) as err:
        load_role_rules(path)
    assert "\n" not in str(err.value)


@given(st.text())
def test_map_role_returns_a_known_role_for_any_string(title: str) -> None:
    assert map_role(title) in load_role_rules().roles


# --- real datasets ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def aijobs_titles(shared_data: Path) -> pd.Series:
    path = shared_data / "aijobs_salaries" / "salaries_2020-2025_asof-2025-08.csv.gz"
    return pd.read_csv(path, usecols=["job_title"])["job_title"]


@pytest.fixture(scope="module")
def data_jobs(shared_data: Path) -> pd.DataFrame:
    path = shared_data / "data_jobs" / "data_jobs_salary_all.csv.gz"
    return pd.read_csv(path, usecols=["job_title_short", "job_title"])


@pytest.mark.shared_data
def test_aijobs_titles_mostly_get_a_role_and_every_role_occurs(aijobs_titles: pd.Series) -> None:
    roles = map_roles(aijobs_titles)
    by_role, others = role_coverage(roles, aijobs_titles, top=5)
    shares = by_role.set_index("role")["share"]
    assert shares[OTHER] < 0.22  # mostly the generic "Engineer", "Analyst", "Associate"
    assert (by_role["rows"] > 0).all()
    assert set(others["title"]) <= {
        "Engineer",
        "Analyst",
        "Associate",
        "Consultant",
        "Architect",
        "Data Specialist",
        "Solutions Architect",
        "Systems Engineer",
    }


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("bucket", "role", "least"),
    [
        ("Data Analyst", "Data Analyst", 0.85),
        ("Data Scientist", "Data Scientist", 0.8),
        ("Data Engineer", "Data Engineer", 0.85),
        ("Senior Data Engineer", "Data Engineer", 0.85),
        ("Business Analyst", "Data Analyst", 0.6),
    ],
)
def test_data_jobs_free_titles_agree_with_the_publishers_buckets(
    data_jobs: pd.DataFrame, bucket: str, role: str, least: float
) -> None:
    rows = data_jobs[data_jobs["job_title_short"] == bucket]
    # the bucket is the publisher's own guess and lumps managers and odd titles in
    assert (map_roles(rows["job_title"]) == role).mean() > least


@pytest.mark.shared_data
def test_data_jobs_ml_engineer_bucket_lands_in_the_ai_roles(data_jobs: pd.DataFrame) -> None:
    rows = data_jobs[data_jobs["job_title_short"] == "Machine Learning Engineer"]
    roles = map_roles(rows["job_title"])
    assert roles.isin(AI_ROLES).mean() > 0.75
    assert (roles == "Machine Learning Engineer").mean() > 0.5


@pytest.mark.shared_data
def test_api_sample_titles_map_without_surprises(shared_data: Path) -> None:
    samples = shared_data / "api_samples"
    titles = [
        j["title"]
        for j in json.loads(
            (samples / "arbeitnow" / "job_board_api_raw.json").read_text(encoding="utf-8")
        )["data"]
    ]
    titles += [
        j["position"]
        for j in json.loads((samples / "remoteok" / "api_raw.json").read_text(encoding="utf-8"))[1:]
    ]
    roles = map_roles(pd.Series(titles))
    # boards full of tax advisers, sales and support jobs: few may become AI roles
    ai = roles[roles.isin(AI_ROLES)]
    assert 0 < len(ai) < 0.1 * len(titles)
    assert not roles[pd.Series(titles).str.contains("Steuerberater")].isin(AI_ROLES).any()
