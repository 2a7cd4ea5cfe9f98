"""Skills taxonomy (data/skills.yaml), skill lists and free-text extraction."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.normalise.skills import (
    SkillExtractor,
    explode_skills,
    load_taxonomy,
    skills_from_list,
)

COMPARISON_SKILLS = [
    "Python", "Java", "C++", "SQL", "NoSQL", "scikit-learn", "TensorFlow", "Keras", "PyTorch",
    "JAX", "AWS", "GCP", "Azure", "Docker", "Kubernetes", "MLflow", "Airflow", "Spark", "NumPy",
    "SciPy", "Statistics", "Probability", "Linear algebra", "Calculus", "Optimization", "CNN",
    "RNN", "Transformers", "GANs", "LLMs", "Computer vision", "NLP", "Reinforcement learning",
    "Robotics", "PhD", "Publications", "Hugging Face", "LangChain", "RAG", "Deep learning",
    "Machine learning", "Generative AI", "CUDA", "Vector databases",
]  # fmt: skip


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor()


# --- taxonomy ---------------------------------------------------------------------------


@pytest.mark.parametrize("skill", COMPARISON_SKILLS)
def test_every_comparison_skill_is_a_canonical_skill(skill: str) -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.canonical(skill) == skill
    assert taxonomy.category(skill) in taxonomy.categories


@pytest.mark.parametrize(
    ("alias", "skill"),
    [
        ("golang", "Go"),
        ("go", "Go"),
        ("k8s", "Kubernetes"),
        ("sklearn", "scikit-learn"),
        ("no-sql", "NoSQL"),
        ("mongo", "MongoDB"),
        ("t-sql", "SQL"),
        ("sql server", "SQL Server"),
        ("PYTHON", "Python"),
        ("  power   bi ", "Power BI"),
        ("crystal", "Crystal Reports"),
        ("react.js", "React"),
        ("asp.net core", "ASP.NET"),
    ],
)
def test_aliases_resolve_to_one_canonical_skill(alias: str, skill: str) -> None:
    assert load_taxonomy().canonical(alias) == skill


@pytest.mark.parametrize("token", ["", "zzz", "remote", None, 3])
def test_unknown_tokens_have_no_canonical_skill(token: object) -> None:
    assert load_taxonomy().canonical(token) is None  # type: ignore[arg-type]


def test_ai_group_holds_ml_skills_but_not_general_tools() -> None:
    ai = load_taxonomy().ai_skills
    assert {"Machine learning", "Deep learning", "LLMs", "NLP", "Computer vision",
            "Reinforcement learning", "PyTorch", "TensorFlow", "JAX", "Hugging Face", "Keras",
            "scikit-learn", "LangChain", "RAG", "Vector databases"} <= ai  # fmt: skip
    assert not {"Python", "SQL", "pandas", "NumPy", "Statistics", "Docker", "CUDA", "PhD",
                "Robotics", "Excel"} & ai  # fmt: skip


def test_table_lists_each_skill_once_with_a_known_category() -> None:
    taxonomy = load_taxonomy()
    table = taxonomy.table()
    assert list(table.columns) == ["skill", "category", "ai", "aliases"]
    assert table["skill"].is_unique
    assert set(table["category"]) <= set(taxonomy.categories)
    assert table.loc[table["skill"] == "Kubernetes", "aliases"].item() == "kubernetes, k8s"


def test_category_of_an_unknown_skill_is_a_key_error() -> None:
    with pytest.raises(KeyError, match=r"not in data/skills\.yaml"):
        load_taxonomy().category("Basket weaving")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("categories: [A]\nskills:\n  - {name: X, category: B}\n", "category 'B'"),
        ("categories: [A]\nskills:\n  - {name: X, category: A, aliases: [y]}\n"
         "  - {name: Z, category: A, aliases: [Y]}\n", "already belongs to 'X'"),
        ("categories: [A]\nskills:\n  - {name: X, category: A}\n  - {name: X, category: A}\n",
         "listed twice"),
        ("categories: [A]\nskills:\n  - {name: X, category: A, aliases: [{alias: x, cs: 1}]}\n",
         "unknown alias option"),
        ("categories: [A\n", "not valid YAML"),
    ],
)  # fmt: skip
def test_bad_taxonomy_files_raise_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as err:
        load_taxonomy(path)
    assert "\n" not in str(err.value)


# --- skill lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("['sql', 'python']", ["SQL", "Python"]),
        ("['sas', 'sas', 'sql', 'excel']", ["SAS", "SQL", "Excel"]),  # data_jobs repeats skills
        ("['go', 'golang', 'mongo', 'mongodb']", ["Go", "MongoDB"]),
        ("['sql', 't-sql', 'sql server']", ["SQL", "SQL Server"]),
        (["Python", "K8s", "unknown-thing"], ["Python", "Kubernetes"]),
        (("r", "c", "c++"), ["R", "C", "C++"]),
        ("python, aws ,docker", ["Python", "AWS", "Docker"]),
        ("['python', 'sq", ["Python"]),  # truncated literal: best effort
        ([1, None, "sql"], ["SQL"]),
        ("[]", []),
        ("", []),
        (None, []),
        (float("nan"), []),
        (pd.NA, []),
    ],
)
def test_skills_from_list_gives_distinct_canonical_skills_in_order(
    value: object, expected: list[str]
) -> None:
    assert skills_from_list(value) == expected


# --- free text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python, R and SQL", ["Python", "R", "SQL"]),
        ("C++ and C# on .NET", ["C++", "C#", ".NET"]),
        ("Node.js, scikit-learn and PyTorch", ["Node.js", "scikit-learn", "PyTorch"]),
        ("C/C++ Linux developers", ["C", "C++", "Linux"]),  # RemoteOK title
        ("Go, Rust or C", ["Go", "Rust", "C"]),
        ("microservices in Go, streaming data pipelines in AWS", ["Go", "AWS"]),
        ("Golang services", ["Go"]),
        ("Apache Spark and PySpark", ["Spark", "PySpark"]),
        ("NoSQL (MongoDB), k8s", ["NoSQL", "MongoDB", "Kubernetes"]),
        ("no-sql stores", ["NoSQL"]),  # not also SQL
        ("ASP.NET Core", ["ASP.NET"]),  # not also .NET
        ("advanced Excel and Power BI", ["Excel", "Power BI"]),
        ("LLMs, RAG and LangChain on a vector database", ["LLMs", "RAG", "LangChain",
                                                           "Vector databases"]),
        ("PhD with publications at NeurIPS", ["PhD", "Publications"]),
        ("AI/ML teams", ["Machine learning"]),
        ("Python-based tools and Python's ecosystem", ["Python"]),
        ("JavaScript (not Java)", ["JavaScript", "Java"]),
        ("deep learning: CNNs, RNNs, GANs and Transformers", ["Deep learning", "CNN", "RNN",
                                                             "GANs", "Transformers"]),
        ("Kenntnisse in Python und SQL", ["Python", "SQL"]),
    ],
)  # fmt: skip
def test_extract_finds_skills_in_text(extractor: SkillExtractor, text: str, expected: list) -> None:
    assert extractor.extract(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We go to market fast",
        "Go-to-market strategy",
        "Go beyond surface-level results",  # Remotive description
        "things that spark joy",
        "you excel at communication",
        "a C grade",
        "our Series C funding",
        "C-suite executives",  # Remotive description
        "R&D budget",
        "AT&T customers",
        "rust on the old car",
        "a swift reply",
        "send your CV",
        "search engine optimization",  # SEO, not the maths skill
        "Pythonic",
        "Javanese",
        "Google Sheets alternatives",  # Sheets is a skill, "Go" in "Google" is not
        "",
    ],
)
def test_extract_ignores_ordinary_words(extractor: SkillExtractor, text: str) -> None:
    found = extractor.extract(text)
    assert not {"Go", "C", "R", "Spark", "Excel", "Rust", "Swift", "Optimization", "Python",
                "Java"} & set(found)  # fmt: skip


def test_extract_of_nothing_is_empty(extractor: SkillExtractor) -> None:
    assert extractor.extract(None) == []
    assert extractor.extract("   ") == []


def test_extract_many_matches_extract(extractor: SkillExtractor) -> None:
    texts = ["Python and SQL", None, "Docker, k8s"]
    assert extractor.extract_many(texts) == [extractor.extract(t) for t in texts]


# --- posting_skills ---------------------------------------------------------------------


def test_explode_skills_gives_one_row_per_posting_and_distinct_skill() -> None:
    out = explode_skills(
        pd.Series(["a", "b", "c", "d"]),
        pd.Series([["Python", "python", "SQL"], [], None, "['k8s', 'nope']"]),
    )
    assert list(out.columns) == ["posting_id", "skill", "category", "basis"]
    assert out.to_dict("records") == [
        {"posting_id": "a", "skill": "Python", "category": "Languages", "basis": "tags"},
        {"posting_id": "a", "skill": "SQL", "category": "Languages", "basis": "tags"},
        {
            "posting_id": "d",
            "skill": "Kubernetes",
            "category": "MLOps & deployment",
            "basis": "tags",
        },
    ]


def test_explode_skills_of_nothing_has_the_columns() -> None:
    out = explode_skills(pd.Series([], dtype="object"), pd.Series([], dtype="object"))
    assert out.empty and list(out.columns) == ["posting_id", "skill", "category", "basis"]


# --- properties -------------------------------------------------------------------------

_EXTRACTOR = SkillExtractor()  # built once: hypothesis calls the test many times

TEXTISH = st.text(
    alphabet=st.sampled_from(list("PythonRGCgo+#./-,&()' SQLsqlrcJavajsk8ML\n")), max_size=80
)


@given(st.one_of(st.text(), TEXTISH))
def test_extract_returns_distinct_known_skills_for_any_text(text: str) -> None:
    taxonomy = load_taxonomy()
    found = _EXTRACTOR.extract(text)
    assert len(found) == len(set(found))
    assert set(found) <= set(taxonomy.skills)


@given(st.one_of(st.text(), st.lists(st.text()), TEXTISH.map(lambda t: f"[{t}]")))
def test_skills_from_list_returns_distinct_known_skills_for_anything(value: object) -> None:
    found = skills_from_list(value)
    assert len(found) == len(set(found))
    assert set(found) <= set(load_taxonomy().skills)


# --- real datasets ------------------------------------------------------------------------


@pytest.mark.shared_data
def test_every_data_jobs_skill_token_is_in_the_taxonomy(shared_data: Path) -> None:
    path = shared_data / "data_jobs" / "data_jobs_salary_all.csv.gz"
    lists = pd.read_csv(path, usecols=["job_skills"])["job_skills"].dropna()
    tokens = {t for value in lists for t in ast.literal_eval(value)}
    assert len(tokens) >= 200
    taxonomy = load_taxonomy()
    assert sorted(t for t in tokens if taxonomy.canonical(t) is None) == []


@pytest.mark.shared_data
def test_real_descriptions_yield_only_known_skills(shared_data: Path) -> None:
    from etl.normalise.text import html_to_text

    raw = json.loads((shared_data / "api_samples" / "remoteok" / "api_raw.json").read_text())
    texts = [html_to_text(job.get("description")) for job in raw[1:]]
    found = SkillExtractor().extract_many(texts)
    skills = {s for f in found for s in f}
    assert {"Python", "AWS", "React"} <= skills
    assert skills <= set(load_taxonomy().skills)
