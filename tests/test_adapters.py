"""Job-board adapters: real captured responses and hand-made records -> staged postings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from werkzeug import Request, Response

from etl import http
from etl.adapters import ADAPTERS, get_adapter, stage
from etl.adapters.base import STAGED_POSTING_COLUMNS, Target, day_from_epoch, day_from_iso
from etl.errors import SourceError

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "data" / "sources" / "job_boards.yaml"


def sources() -> dict[str, dict]:
    return {s["name"]: s for s in yaml.safe_load(CONFIG.read_text())["sources"]}


def one_target(name: str, **target) -> dict:
    """The shipped config of ``name`` with a single target."""
    source = dict(sources()[name])
    source["targets"] = [{"id": "t", **target}]
    return source


def staged_from(name: str, payload: object, tmp_path: Path, **target) -> pd.DataFrame:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    frame, _ = stage(one_target(name, mirror_path=path.name, **target), tmp_path)
    return frame


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "_sleep", lambda seconds: None)
    monkeypatch.setattr(http, "_last_request", {})


# --- the shipped configuration ---------------------------------------------------------------


def test_every_configured_source_names_a_known_adapter_and_attribution():
    for name, source in sources().items():
        assert source["kind"] == "postings" and source["format"] == "api", name
        assert source["adapter"] in ADAPTERS, name
        assert source["merge"] == "accumulate", name
        assert source["base_url"].startswith("https://"), name
        assert source["license"] and source["attribution"] and source["targets"], name


def test_every_mirror_path_exists_in_the_shared_data(shared_data: Path):
    for source in sources().values():
        paths = [t["mirror_path"] for t in source["targets"] if t.get("mirror_path")]
        assert paths, source["name"]
        for path in paths:
            assert (shared_data / path).is_file(), path


def test_unknown_adapter_is_a_clear_error():
    with pytest.raises(SourceError, match=r"unknown adapter 'monster'; known: arbeitnow, ashby"):
        get_adapter("monster")


# --- each API on its real captured response ---------------------------------------------------


def staged_sample(name: str, shared_data: Path) -> tuple[pd.DataFrame, int]:
    return stage(sources()[name], shared_data)


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("greenhouse", 4),
        ("lever", 4),
        ("ashby", 4),
        ("remotive", 35),
        ("remoteok", 97),
        ("arbeitnow", 100),
    ],
)
def test_every_sample_stages_every_job_with_title_date_url_and_plain_text(
    shared_data: Path, name: str, rows: int
):
    frame, read = staged_sample(name, shared_data)
    assert list(frame.columns) == list(STAGED_POSTING_COLUMNS)
    assert len(frame) == read == rows
    assert frame["source_id"].is_unique
    # one real RemoteOK job has an empty position: staged as NULL, the pipeline rejects it
    assert frame["title"].isna().sum() == (1 if name == "remoteok" else 0)
    assert frame["posted_date"].notna().all()
    assert frame["url"].str.startswith("https://").all()
    assert frame["source_row"].tolist() == list(range(1, rows + 1))
    described = frame["description"].dropna()
    assert len(described) > 0
    # (one RemoteOK description holds a truncated tag "<span style=... s<br/>": not asserted here)
    assert not described.str.contains(r"<(?:p|div|li|strong)>|&lt;|&amp;", regex=True).any()


def test_greenhouse_keeps_multi_place_locations_and_reads_remote_from_metadata(shared_data):
    frame, _ = staged_sample("greenhouse", shared_data)
    row = frame.set_index("source_id")
    assert row.loc["anthropic/5215052008", "location"] == (
        "San Francisco, CA | New York City, NY | Seattle, WA"
    )
    assert row.loc["anthropic/5311686008", "remote"] == "remote"
    assert row.loc["anthropic/5215052008", "remote"] == "onsite"
    assert pd.isna(row.loc["anthropic/5101378008", "remote"])  # metadata value null
    assert row.loc["anthropic/5311686008", "posted_date"] == pd.Timestamp("2026-07-10")
    assert row.loc["anthropic/5311686008", "company"] == "Anthropic"
    assert row.loc["anthropic/5311686008", "description"].startswith("About Anthropic")


def test_greenhouse_date_is_the_utc_day_of_the_offset_timestamp(tmp_path):
    job = {
        "id": 1,
        "title": "ML Engineer",
        "absolute_url": "https://example.org/1",
        "updated_at": "2026-07-01T00:00:00-04:00",
        "first_published": "2026-06-30T22:30:00-04:00",
        "content": "&lt;p&gt;Build &amp;amp; ship&lt;/p&gt;",
        "location": {"name": "Berlin; Remote"},
        "metadata": [{"name": "Location Type", "value": None}],
    }
    frame = staged_from("greenhouse", {"jobs": [job], "meta": {"total": 1}}, tmp_path)
    assert frame.loc[0, "posted_date"] == pd.Timestamp("2026-07-01")
    assert frame.loc[0, "description"] == "Build & ship"
    assert frame.loc[0, "source_id"] == "t/1"


def test_lever_reads_epoch_millis_all_locations_country_and_commitment(shared_data):
    frame, _ = staged_sample("lever", shared_data)
    first = frame.iloc[0]
    assert first["title"] == "Android Engineer I - Subscriptions"
    assert first["location"] == "London; Stockholm"
    assert first["country"] == "GB"
    assert first["employment_type"] == "full_time"  # "Permanent"
    assert first["remote"] == "remote"
    assert first["posted_date"] == pd.Timestamp("2026-06-30")  # 1782821535482 ms
    assert first["company"] == "Spotify"
    assert frame["pay_min"].isna().all()  # no salaryRange in the samples
    assert "What You'll Do" in first["description"]


def test_lever_salary_range_is_staged_as_numbers_with_its_period(tmp_path):
    posting = {
        "id": "x",
        "text": "Research Scientist",
        "createdAt": 1767225600000,
        "hostedUrl": "https://jobs.lever.co/x/x",
        "categories": {"commitment": "Intern", "location": "Paris"},
        "salaryRange": {
            "min": 60000,
            "max": 80000,
            "currency": "EUR",
            "interval": "per-year-salary",
        },
    }
    frame = staged_from("lever", [posting], tmp_path)
    row = frame.iloc[0]
    assert (row["pay_min"], row["pay_max"], row["currency"]) == (60000, 80000, "EUR")
    assert row["pay_period"] == "year"
    assert row["employment_type"] == "internship"
    assert row["posted_date"] == pd.Timestamp("2026-01-01")


def test_ashby_pay_comes_from_the_salary_component_and_the_summary_text(shared_data):
    frame, _ = staged_sample("ashby", shared_data)
    first = frame.iloc[0]
    assert (first["pay_min"], first["pay_max"]) == (151000, 231000)
    assert (first["currency"], first["pay_period"]) == ("USD", "year")
    assert first["pay_text"] == "$151K – $231K • Offers Equity • Multiple Ranges"
    assert first["location"] == "Remote (US); San Francisco, CA; New York, NY (HQ)"
    assert first["employment_type"] == "full_time" and first["remote"] == "remote"
    no_pay = frame.iloc[1]
    assert pd.isna(no_pay["pay_min"]) and pd.isna(no_pay["pay_text"])
    assert no_pay["remote"] == "onsite"


def test_ashby_skips_unlisted_jobs_and_falls_back_to_is_remote(tmp_path):
    base = {"title": "AI Engineer", "publishedAt": "2026-05-01T10:00:00.000+00:00"}
    jobs = [
        {**base, "id": "a", "jobUrl": "https://x/a", "isRemote": True, "compensation": None},
        {**base, "id": "b", "jobUrl": "https://x/b", "isListed": False},
    ]
    frame = staged_from("ashby", {"jobs": jobs, "apiVersion": "1"}, tmp_path)
    assert frame["source_id"].tolist() == ["t/a"]
    assert frame.loc[0, "remote"] == "remote"


def test_remotive_raw_with_bom_stages_salary_text_tags_and_remote(shared_data):
    raw = (shared_data / "api_samples/remotive/remote_jobs_raw.json").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the quirk this test is about
    frame, _ = staged_sample("remotive", shared_data)
    first = frame.iloc[0]
    assert first["pay_text"] == "$18 - $22/hr"
    assert first["employment_type"] == "freelance"
    assert first["location"] == "USA"
    assert first["skills"] == ["research", "digital content", "spreadsheets"]
    assert (frame["remote"] == "remote").all()
    assert first["posted_date"] == pd.Timestamp("2026-07-26")
    assert frame["pay_text"].isna().sum() == 8  # empty salary strings are not pay


def test_remoteok_skips_the_legal_notice_and_treats_zero_pay_as_missing(shared_data):
    frame, read = staged_sample("remoteok", shared_data)
    assert read == 97  # 98 elements, element 0 is the legal notice
    assert frame["pay_min"].notna().sum() == 18
    assert (frame.loc[frame["pay_min"].notna(), "currency"] == "USD").all()
    assert frame.loc[frame["pay_min"].isna(), "currency"].isna().all()
    assert "GdaÅ\x84sk" in frame["location"].tolist()  # mojibake left for the text normaliser
    assert frame.iloc[0]["posted_date"] == pd.Timestamp("2026-03-16")


def test_arbeitnow_strips_gender_suffixes_and_reads_epoch_seconds(shared_data):
    frame, _ = staged_sample("arbeitnow", shared_data)
    first = frame.iloc[0]
    assert first["title"] == "HR Manager / HR Generalist"  # was "... (m/w/d)"
    assert first["posted_date"] == pd.Timestamp("2026-05-17")
    assert not frame["title"].str.contains(r"\((?:m/w/d|w/m/d|m/f/d)\)", regex=True).any()
    assert frame["remote"].eq("remote").sum() == 3
    assert "Senior NetSuite Solution Architect" in frame["title"].tolist()  # was "(w/m/d)"


def test_arbeitnow_title_strip_keeps_other_parentheses(tmp_path):
    job = {
        "slug": "s",
        "title": "Product Designer (Mobile, Android) (m/f/d) - FlixTech",
        "created_at": 1779021029,
        "url": "https://www.arbeitnow.com/jobs/s",
        "job_types": ["Full-time permanent", "berufserfahren"],
    }
    frame = staged_from("arbeitnow", {"data": [job], "links": {}, "meta": {}}, tmp_path)
    assert frame.loc[0, "title"] == "Product Designer (Mobile, Android) - FlixTech"
    assert frame.loc[0, "employment_type"] == "full_time, berufserfahren"


# --- a changed API is a clear failure, not silent garbage --------------------------------------


def test_a_renamed_record_field_fails_the_source_naming_the_field(tmp_path):
    job = {"id": 1, "name": "ML Engineer", "absolute_url": "u", "updated_at": "2026-01-01"}
    with pytest.raises(SourceError, match=r"expected field 'title' missing in record 1 from .*"):
        staged_from("greenhouse", {"jobs": [job]}, tmp_path)


def test_a_renamed_container_fails_the_source_naming_it(tmp_path):
    with pytest.raises(SourceError, match=r"expected field 'data' missing in the response"):
        staged_from("arbeitnow", {"jobs": []}, tmp_path)
    with pytest.raises(SourceError, match=r"response from .* is dict, expected list"):
        staged_from("lever", {"postings": []}, tmp_path)


def test_an_empty_board_is_not_an_error(tmp_path):
    frame = staged_from("greenhouse", {"jobs": [], "meta": {"total": 0}}, tmp_path)
    assert frame.empty and list(frame.columns) == list(STAGED_POSTING_COLUMNS)


# --- several targets, mirror and network ----------------------------------------------------


def test_mirror_mode_skips_targets_that_have_no_mirror_file(shared_data):
    frame, _ = stage(sources()["greenhouse"], shared_data)  # deepmind etc. have no mirror
    assert frame["source_id"].str.startswith("anthropic/").all()


def test_one_failing_board_is_skipped_and_named_others_are_kept(httpserver, shared_data):
    sample = (shared_data / "api_samples/greenhouse/anthropic_jobs_content_true.json").read_bytes()
    httpserver.expect_request("/v1/boards/anthropic/jobs").respond_with_data(sample)
    httpserver.expect_request("/v1/boards/gone/jobs").respond_with_data("", status=404)
    source = dict(sources()["greenhouse"], base_url=httpserver.url_for(""))
    source["targets"] = [{"id": "gone"}, {"id": "anthropic", "company": "Anthropic"}]
    frame, read = stage(source, None)
    assert read == len(frame) == 4
    assert frame.attrs["warnings"] == [
        f"skipped gone: HTTP 404 from {httpserver.url_for('/v1/boards/gone/jobs')}"
    ]
    assert httpserver.log[1][0].args["content"] == "true"


def test_when_every_board_fails_the_source_fails_with_the_reason(httpserver):
    httpserver.expect_request("/v0/postings/a").respond_with_data("", status=404)
    source = dict(sources()["lever"], base_url=httpserver.url_for(""), targets=[{"id": "a"}])
    with pytest.raises(SourceError, match=r"^lever: every target failed; a: HTTP 404 from"):
        stage(source, None)


def test_the_base_url_can_be_overridden_by_environment(httpserver, monkeypatch):
    httpserver.expect_request("/api").respond_with_json([{"legal": "notice"}])
    monkeypatch.setenv("AIJOBS_API_BASE_REMOTEOK", httpserver.url_for("/"))
    frame, read = stage(sources()["remoteok"], None)
    assert (len(frame), read) == (0, 0)
    assert len(httpserver.log) == 1


def arbeitnow_page(n: int, last: bool) -> dict:
    job = {"slug": f"job-{n}", "title": f"Data Engineer {n}", "created_at": 1779021029, "url": "u"}
    following = None if last else f"https://www.arbeitnow.com/api/job-board-api?page={n + 1}"
    return {"data": [job], "links": {"next": following}, "meta": {"current_page": n}}


def test_arbeitnow_follows_pages_on_the_configured_host_until_next_is_empty(httpserver):
    def pages(request: Request) -> Response:
        n = int(request.args.get("page", 1))
        return Response(json.dumps(arbeitnow_page(n, last=n == 2)), content_type="application/json")

    httpserver.expect_request("/api/job-board-api").respond_with_handler(pages)
    source = dict(sources()["arbeitnow"], base_url=httpserver.url_for(""), max_pages=5)
    frame, read = stage(source, None)
    assert frame["source_id"].tolist() == ["job-1", "job-2"] and read == 2
    assert len(httpserver.log) == 2  # stopped when links.next was null


def test_arbeitnow_stops_at_max_pages(httpserver):
    httpserver.expect_request("/api/job-board-api").respond_with_json(arbeitnow_page(1, False))
    source = dict(sources()["arbeitnow"], base_url=httpserver.url_for(""), max_pages=2)
    frame, read = stage(source, None)
    assert read == 2 and len(httpserver.log) == 2
    # a live feed shifts while it is paged: a job seen on two pages is staged once
    assert frame["source_id"].tolist() == ["job-1"]


# --- small mappers ------------------------------------------------------------------------------


def test_dates_are_utc_days_and_junk_is_none():
    assert day_from_iso("2026-07-26T20:49:11") == dt.date(2026, 7, 26)
    assert day_from_iso("2026-07-07T20:47:09.753+00:00") == dt.date(2026, 7, 7)
    assert day_from_iso("2026-07-10T23:15:41-04:00") == dt.date(2026, 7, 11)
    assert day_from_iso("2026-03-16T00:00:03Z") == dt.date(2026, 3, 16)
    assert day_from_iso("last week") is None and day_from_iso(None) is None
    assert day_from_epoch(1779021029) == dt.date(2026, 5, 17)
    assert day_from_epoch(1782821535482, millis=True) == dt.date(2026, 6, 30)
    assert day_from_epoch("soon") is None and day_from_epoch(True) is None


def test_targets_need_an_id():
    from etl.adapters.base import targets

    with pytest.raises(SourceError, match="every target needs an id"):
        targets({"name": "lever", "targets": [{"company": "X"}]})
    assert targets({"name": "remoteok"}) == [Target(id="all")]
