"""The Kaggle 2022 survey as the store holds it, checked against independent pandas on the raw
CSV inside the zip: conservation with reasons, doctorate and PyTorch shares per role, and the
count per pay band of US Data Scientists, equal to what the query layer returns."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

import etl.pipeline as pipeline
from dashboard.queries import practitioners
from etl.sources import load_sources
from etl.store import read_tables, store_version

KAGGLE = "kaggle_survey_2022"
ZIP = "kaggle_survey/2022/kaggle-survey-2022.zip"
RESPONDENTS = 23_997
ROLES = {  # the survey's title -> the role it is stored as (data/sources/surveys.yaml)
    "Research Scientist": "Research Scientist",
    "Machine Learning/ MLops Engineer": "Machine Learning Engineer",
    "Data Scientist": "Data Scientist",
}


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> pd.DataFrame:
    """The responses as published: question codes as names, the question-text row dropped."""
    with (
        zipfile.ZipFile(shared_data / ZIP) as archive,
        archive.open("kaggle_survey_2022_responses.csv") as fh,
    ):
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""], skiprows=[1])
    frame.columns = [c.lstrip("\ufeff") for c in frame.columns]
    return frame


@pytest.fixture(scope="module")
def kaggle_store(tmp_path_factory, shared_data: Path) -> tuple[str, str]:
    """A store holding only the Kaggle 2022 survey, read from the mirror."""
    out = tmp_path_factory.mktemp("kaggle") / "jobs.duckdb"
    report = pipeline.refresh(out=out, mirror=shared_data, sources=[KAGGLE], progress=False)
    assert report.published, report.message
    return str(out), store_version(out)


def test_the_kaggle_2022_entry_names_its_zip_member_and_licence() -> None:
    (kaggle,) = [s for s in load_sources() if s["name"] == KAGGLE]
    assert kaggle["member"] == "kaggle_survey_2022_responses.csv"
    assert kaggle["header_rows"] == 2 and "CC BY 2.0" in kaggle["license"]


def test_every_respondent_is_loaded_or_rejected_with_a_reason(kaggle_store, raw) -> None:
    tables = read_tables(Path(kaggle_store[0]), ("salaries", "rejects", "runs"))
    run = tables["runs"].iloc[-1]
    assert len(raw) == run["rows_read"] == RESPONDENTS
    assert run["rows_loaded"] + run["rows_rejected"] == RESPONDENTS
    assert len(tables["salaries"]) + len(tables["rejects"]) == RESPONDENTS
    students = (raw["Q5"] == "Yes").sum()
    unemployed = (raw["Q23"] == "Currently not employed").sum()
    unanswered = (raw["Q23"].isna() & (raw["Q5"] != "Yes")).sum()
    assert tables["rejects"]["reason"].value_counts().to_dict() == {
        "no title: students were not asked their job title": students,
        "not employed: no current job to describe": unemployed,
        "no title: the job-title question was not answered": unanswered,
    }
    assert "not in the skills taxonomy" not in run["message"]  # every ticked option resolves
    salaries = tables["salaries"]
    assert salaries["salary_usd"].isna().all()  # bands, never a made-up amount
    paid = raw.loc[raw["Q23"].notna() & (raw["Q23"] != "Currently not employed"), "Q29"]
    assert salaries["salary_min_usd"].notna().sum() == paid.notna().sum()


@pytest.mark.parametrize("title", ["Research Scientist", "Machine Learning/ MLops Engineer"])
def test_doctorate_share_equals_pandas_on_the_raw_csv(kaggle_store, raw, title) -> None:
    people = raw[raw["Q23"] == title]
    answered = people["Q8"].notna() & (people["Q8"] != "I prefer not to answer")
    expected = (people.loc[answered, "Q8"] == "Doctoral degree").mean()
    got = practitioners.answer_shares(*kaggle_store, "education", (ROLES[title],))
    row = got[got["answer"] == "doctorate"].iloc[0]
    assert row["answered"] == answered.sum()
    assert row["share"] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("title", ["Research Scientist", "Machine Learning/ MLops Engineer"])
def test_pytorch_share_equals_pandas_on_the_raw_csv(kaggle_store, raw, title) -> None:
    people = raw[raw["Q23"] == title]
    frameworks = [c for c in raw.columns if c.startswith("Q17_")]
    uses = people[frameworks].apply(lambda col: col.str.strip() == "PyTorch").any(axis=1)
    got = practitioners.tool_shares(*kaggle_store, (ROLES[title],), top=50)
    row = got[got["skill"] == "PyTorch"].iloc[0]
    assert (row["users"], row["respondents"]) == (uses.sum(), len(people))
    assert row["share"] == pytest.approx(uses.mean(), abs=1e-12)


def test_us_data_scientists_per_pay_band_equal_pandas_on_the_raw_csv(kaggle_store, raw) -> None:
    people = raw[(raw["Q23"] == "Data Scientist") & (raw["Q4"] == "United States of America")]
    expected = people["Q29"].dropna().value_counts()
    got = practitioners.pay_bands(*kaggle_store, ("Data Scientist",), ("US",))
    labels = {_edges(text): text for text in expected.index}
    counted = {
        labels[(r.salary_min_usd, None if pd.isna(r.salary_max_usd) else r.salary_max_usd)]: r.n
        for r in got.itertuples()
    }
    assert counted == expected.to_dict()
    assert got["n"].sum() == len(people["Q29"].dropna()) > 100


def _edges(text: str) -> tuple[float, float | None]:
    """A Kaggle band's edges, read independently of etl.normalise.bands."""
    digits = text.replace("$", "").replace(",", "")
    if digits.startswith(">"):
        return float(digits[1:]), None
    low, high = digits.split("-")
    return float(low), float(high)
