"""Employment type and remote mode: free text, codes, booleans and ratios -> contract codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.contract import EMPLOYMENT_TYPES, REMOTE_CODES
from etl.normalise.fields import employment_types, remote_codes


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Full-time", "full_time"),
        ("Full-time and Part-time", "full_time"),
        ("Part-time and Full-time", "part_time"),
        ("Internship and Full-time", "internship"),
        ("Contractor and Temp work", "contract"),
        ("Full-time, Part-time, and Internship", "full_time"),
        ("Temp work", "temporary"),
        ("Full-time and Per diem", "full_time"),
        ("Internship", "internship"),
        ("Full-time permanent", "full_time"),
        ("Vollzeit", "full_time"),
        ("Teilzeit", "part_time"),
        ("Werkstudent", "part_time"),
        ("Praktikum", "internship"),
        ("Freelance", "freelance"),
        ("FullTime", "full_time"),
        ("full_time", "full_time"),
        ("Permanent", "full_time"),
        ("FT", "full_time"),
        ("PT", "part_time"),
        ("CT", "contract"),
        ("FL", "freelance"),
        ("entry, Full-time permanent", "full_time"),
        ("geschäftsleitung", "unknown"),
        ("Volunteer", "unknown"),
        ("international", "unknown"),
        ("", "unknown"),
    ],
)
def test_employment_type_words_and_codes(raw, code):
    assert employment_types(pd.Series([raw])).iloc[0] == code


def test_employment_types_handles_missing_values_and_lists_and_keeps_index():
    raw = pd.Series([None, np.nan, pd.NA, ["Internship", "Full-time"]], index=list("abcd"))
    out = employment_types(raw)
    assert out.tolist() == ["unknown", "unknown", "unknown", "internship"]
    assert list(out.index) == list("abcd")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (True, "remote"),
        (False, "onsite"),
        (np.True_, "remote"),
        (0, "onsite"),
        (50, "hybrid"),
        (100, "remote"),
        (np.int64(100), "remote"),
        ("0", "onsite"),
        ("50", "hybrid"),
        ("100", "remote"),
        ("True", "remote"),
        ("false", "onsite"),
        ("Remote", "remote"),
        ("Remote (US)", "remote"),
        ("Hybrid", "hybrid"),
        ("hybrid remote", "hybrid"),
        ("OnSite", "onsite"),
        ("onsite", "onsite"),
        ("On-site", "onsite"),
        ("unspecified", "unknown"),
        (150, "unknown"),
        (-5, "unknown"),
        ("", "unknown"),
        (None, "unknown"),
        (np.nan, "unknown"),
    ],
)
def test_remote_codes_from_booleans_ratios_and_words(raw, code):
    assert remote_codes(pd.Series([raw], dtype="object")).iloc[0] == code


def test_remote_codes_on_a_boolean_column():
    out = remote_codes(pd.Series([True, False, True]))
    assert out.tolist() == ["remote", "onsite", "remote"]


anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40))


@settings(max_examples=200, deadline=None)
@given(st.lists(anything, max_size=5))
def test_employment_types_never_crash_and_return_allowed_codes(values):
    out = employment_types(pd.Series(values, dtype="object"))
    assert set(out) <= set(EMPLOYMENT_TYPES)
    assert len(out) == len(values)


@settings(max_examples=200, deadline=None)
@given(st.lists(anything, max_size=5))
def test_remote_codes_never_crash_and_return_allowed_codes(values):
    out = remote_codes(pd.Series(values, dtype="object"))
    assert set(out) <= set(REMOTE_CODES)
    assert len(out) == len(values)


@pytest.mark.shared_data
def test_every_data_jobs_schedule_type_is_recognised(shared_data):
    df = pd.read_csv(
        shared_data / "data_jobs" / "data_jobs_salary_all.csv.gz", usecols=["job_schedule_type"]
    )
    raw = df["job_schedule_type"].dropna()
    out = employment_types(raw)
    assert not out.eq("unknown").any(), raw[out.eq("unknown")].unique()[:5]
    assert out.value_counts().idxmax() == "full_time"


def test_a_code_in_the_fields_file_outside_the_contract_is_refused(tmp_path):
    from etl.normalise.fields import load_field_rules

    bad = tmp_path / "fields.yaml"
    bad.write_text("employment_types:\n  words:\n    gig_work: [gig]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'gig_work' is not one of"):
        load_field_rules(bad)
