"""Location normaliser: free text -> country, region, remote; the Sudan artifact; coverage."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.config import data_dir
from etl.contract import REGIONS
from etl.normalise.location import (
    Location,
    country_code,
    reconcile_countries,
    region_for_country,
    resolve_location,
    resolve_locations,
)

US = ("US", "North America")


@pytest.mark.parametrize(
    ("text", "country", "region", "remote"),
    [
        ("Austin, TX", "US", "North America", False),
        ("Anywhere", None, None, True),
        ("Remote", None, None, True),
        ("Worldwide", None, None, True),
        ("Remote - US", *US, True),
        ("Remote (US)", *US, True),
        ("Remote, United States", *US, True),
        ("Canada (Remote)", "CA", "North America", True),
        ("Berlin", "DE", "Europe", False),
        ("Berlin, Germany", "DE", "Europe", False),
        ("San Francisco, CA | New York, NY", *US, False),
        ("San Francisco, CA | New York City, NY | Seattle, WA", *US, False),
        ("United States", *US, False),
        ("New York, NY (+1 other)", *US, False),
        ("New York, NY (HQ)", *US, False),
        ("GdaÅ\x84sk", "PL", "Europe", False),
        ("San Fransisco", *US, False),
        ("California ", *US, False),
        ("Toronto, ON, Canada", "CA", "North America", False),
        ("London, UK", "GB", "Europe", False),
        ("Bengaluru, Karnataka, India", "IN", "Asia", False),
        ("USA", *US, False),
        ("UK", "GB", "Europe", False),
        ("Europe", None, "Europe", False),
        ("EMEA", None, None, False),
        ("Köln", "DE", "Europe", False),
        ("Dusseldorf, North Rhine-Westphalia, Germany", "DE", "Europe", False),
        ("Vaşington, VA", *US, False),
        ("Ispra, VA, Italy", "IT", "Europe", False),
        ("Mexico, MO", *US, False),
        ("New Brunswick, NJ", *US, False),
        ("Ontario, CA", *US, False),
        ("The Bahamas", "BS", "Latin America & Caribbean", False),
        ("Tamuning, Guam", "GU", "Oceania", False),
        ("Mexico", "MX", "Latin America & Caribbean", False),
        ("Sydney, Australia", "AU", "Oceania", False),
    ],
)
def test_real_location_values_resolve(text, country, region, remote):
    assert resolve_location(text) == Location(country, region, remote)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Paris", "FR"),
        ("Paris, TX", "US"),
        ("Paris, France", "FR"),
        ("London", "GB"),
        ("London, ON", "CA"),
        ("Berlin, DE", "DE"),
        ("Hanover", "DE"),
        ("Georgia", "US"),
        ("Atlanta, Georgia", "US"),
        ("Tbilisi, Georgia", "GE"),
    ],
)
def test_ambiguous_city_is_most_populous_unless_qualified(text, country):
    assert resolve_location(text).country_code == country


def test_places_in_different_countries_keep_only_a_shared_region():
    assert resolve_location("USA, Canada, USA timezones") == Location(None, "North America", False)
    assert resolve_location("Europe, UK, Germany, France, European timezones").region == "Europe"
    mixed = resolve_location("London, UK; Ontario, CAN; Remote-Friendly, United States")
    assert mixed == Location(None, None, True)


def test_a_region_word_in_a_list_widens_it_beyond_one_country():
    assert resolve_location("Americas, Europe, Israel") == Location(None, None, False)


@pytest.mark.parametrize("text", [None, "", "   ", float("nan"), "xyzzy qwerty", "+1 other"])
def test_empty_or_unknown_text_gives_nothing(text):
    assert resolve_location(text) == Location(None, None, False)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("United States", "US"),
        ("us", "US"),
        ("DEU", "DE"),
        ("Deutschland", "DE"),
        ("South Korea", "KR"),
        ("Czechia", "CZ"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Macedonia (FYROM)", "MK"),
        ("NA", "NA"),  # Namibia, not a missing value
        ("Sudan", "SD"),
        ("Narnia", None),
        ("", None),
        (None, None),
    ],
)
def test_country_code_accepts_names_aliases_and_codes(value, code):
    assert country_code(value) == code


def test_regions_file_covers_every_iso_country_with_a_contract_region():
    import pycountry

    with (data_dir() / "regions.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["country_code"]: r["region"] for r in csv.DictReader(fh)}
    assert {c.alpha_2 for c in pycountry.countries} <= set(rows)
    assert {r for r in rows.values() if r} <= set(REGIONS)
    assert [c for c, r in rows.items() if not r] == ["AQ"]


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("MX", "Latin America & Caribbean"),
        ("PR", "Latin America & Caribbean"),
        ("CR", "Latin America & Caribbean"),
        ("US", "North America"),
        ("AE", "Asia"),
        ("IL", "Asia"),
        ("TR", "Asia"),
        ("RU", "Europe"),
        ("CY", "Europe"),
        ("EG", "Africa"),
        ("NZ", "Oceania"),
        ("na", "Africa"),
        ("ZZ", None),
        (None, None),
    ],
)
def test_region_for_country_follows_the_reviewed_overrides(code, region):
    assert region_for_country(code) == region


def test_resolve_locations_keeps_index_and_types():
    texts = pd.Series(["Austin, TX", None, "Anywhere", "Austin, TX"], index=[10, 11, 12, 13])
    out = resolve_locations(texts)
    assert list(out.index) == [10, 11, 12, 13]
    assert out["country_code"].tolist()[0] == "US" and out["country_code"].isna().tolist() == [
        False,
        True,
        True,
        False,
    ]
    assert out["remote"].tolist() == [False, False, True, False]
    assert out["remote"].dtype == bool


def test_reconcile_trusts_the_location_when_both_are_known_and_disagree():
    loc = pd.Series(["US", "US", None, "DE"])
    stated = pd.Series(["SD", "US", "FR", None])
    out, corrected = reconcile_countries(loc, stated)
    assert out.tolist()[:3] == ["US", "US", "FR"]
    assert pd.isna(out.iloc[3])  # the stated side is unknown: nothing to reconcile, stays unknown
    assert corrected == 1


def test_reconcile_drops_a_stated_country_the_locations_mostly_contradict():
    loc = pd.Series(["US"] * 25 + [None] * 5 + [None])
    stated = pd.Series(["Sudan"] * 30 + ["France"])
    out, corrected = reconcile_countries(loc, stated)
    assert out.iloc[:25].tolist() == ["US"] * 25
    assert out.iloc[25:30].isna().all()
    assert out.iloc[30] == "FR"
    assert corrected == 30


def test_reconcile_keeps_a_rarely_contradicted_country_where_location_is_unknown():
    loc = pd.Series(["SD"] * 25 + ["US"] + [None])
    stated = pd.Series(["Sudan"] * 27)
    out, corrected = reconcile_countries(loc, stated)
    assert out.iloc[25] == "US" and out.iloc[26] == "SD"
    assert corrected == 1


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=60)))
def test_resolve_location_never_crashes_and_returns_allowed_values(text):
    result = resolve_location(text)
    assert result.region is None or result.region in REGIONS
    assert result.country_code is None or (
        len(result.country_code) == 2 and result.country_code.isupper()
    )
    if result.country_code:
        assert result.region == region_for_country(result.country_code)
    assert isinstance(result.remote, bool)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=40)))
def test_country_code_never_crashes(text):
    code = country_code(text)
    assert code is None or (len(code) == 2 and code.isupper())


@pytest.mark.shared_data
def test_data_jobs_locations_resolve_and_sudan_rows_are_corrected(shared_data):
    df = pd.read_csv(
        shared_data / "data_jobs" / "data_jobs_salary_all.csv.gz",
        usecols=["job_location", "job_country"],
        keep_default_na=False,
        na_values=[""],
    )
    resolved = resolve_locations(df["job_location"])
    known = resolved["country_code"].notna() | resolved["remote"]
    assert known.mean() >= 0.95, f"only {known.mean():.1%} of rows resolved"
    has_text = df["job_location"].notna()
    assert known[has_text].mean() >= 0.99
    sudan = df["job_country"].eq("Sudan")
    assert sudan.sum() == 2680
    countries, corrected = reconcile_countries(resolved["country_code"], df["job_country"])
    assert corrected >= 2680
    assert not countries[sudan].eq("SD").any()
    assert countries[sudan & resolved["country_code"].notna()].eq("US").mean() > 0.99


@pytest.mark.shared_data
def test_api_sample_locations_resolve(shared_data):
    import json

    jobs = json.loads((shared_data / "api_samples/remoteok/api_raw.json").read_text())[1:]
    locations = pd.Series([j.get("location") or None for j in jobs]).dropna()
    resolved = resolve_locations(locations)
    known = resolved["country_code"].notna() | resolved["remote"] | resolved["region"].notna()
    assert known.mean() >= 0.9


def test_the_cached_index_loads_unchanged_and_the_collector_is_left_as_it_was():
    import gc
    import io
    import pickle

    from etl.normalise.pickled import unpickle as _unpickle

    index = {"cities": {"paris": [("FR", "11", 2_138_551)]}, "codes2": {"FR", "DE"}}
    assert gc.isenabled()
    assert _unpickle(io.BytesIO(pickle.dumps(index))) == index
    assert gc.isenabled()
    with pytest.raises(pickle.UnpicklingError):
        _unpickle(io.BytesIO(b"not a pickle"))
    assert gc.isenabled()  # re-enabled after a broken cache file too
    gc.disable()
    try:
        assert _unpickle(io.BytesIO(pickle.dumps(index))) == index
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
