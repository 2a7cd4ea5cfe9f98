"""A corpus of hostile source files, generated at test time (nothing large is ever in git).

Each case is one file source: a sources-YAML entry, a function that writes its file(s) into a
mirror folder, and what a refresh must make of it: ``refused`` (the source fails with one line
containing ``says``; its previous rows are kept) or ``loaded`` (the source loads; bad rows become
rejects whose reasons contain ``rejects``). Bombs are small on disk and large only when inflated.

Run as a script to look at the corpus: ``python tests/hostile_corpus.py DIR`` writes the files
and ``DIR/hostile.yaml``.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

POSTING_COLUMNS = {
    "Id": "source_id", "Job Title": "title", "Employer": "company", "City": "location",
    "Published": "posted_date", "Pay": "pay", "Currency": "currency", "Period": "pay_period",
}  # fmt: skip
POSTING_HEADER = ",".join(POSTING_COLUMNS)
GOOD_ROW = 'G-{n},Data Scientist,Acme,"Berlin, Germany",2024-03-01,70000,EUR,year'
SALARY_COLUMNS = {
    "Year": "year", "Position": "title", "Pay": "salary_local", "PayCurrency": "currency",
    "HomeCountry": "residence_country", "Level": "seniority", "Contract": "employment_type",
}  # fmt: skip
MB = 1 << 20


@dataclass
class Case:
    """One hostile file source and what a refresh must make of it."""

    name: str
    write: Callable[[Path], str]  # writes into the mirror, returns the mirror_path
    refused: bool
    says: tuple[str, ...] = ()  # fragments of the one-line message (refused)
    rejects: tuple[str, ...] = ()  # fragments of reject reasons (loaded)
    loaded: int | None = None  # rows loaded (loaded)
    kind: str = "postings"
    extra: dict = field(default_factory=dict)  # more keys of the sources entry
    check: Callable[[dict], None] | None = None  # more checks on the store's tables

    def entry(self, mirror_path: str) -> dict:
        columns = POSTING_COLUMNS if self.kind == "postings" else SALARY_COLUMNS
        return {
            "name": self.name,
            "kind": self.kind,
            "title": f"hostile case {self.name}",
            "license": "test",
            "mirror_path": mirror_path,
            "columns": dict(columns),
            **self.extra,
        }


def _gzip_members(path: Path, member: bytes, copies: int, head: bytes = b"") -> None:
    """A gzip file of ``head`` then ``copies`` x ``member``, written as concatenated gzip members
    (valid gzip): compressing ``member`` once keeps a 300 MB bomb quick to make and ~300 KB."""
    one = gzip.compress(member, compresslevel=9)
    with path.open("wb") as fh:
        if head:
            fh.write(gzip.compress(head))
        for _ in range(copies):
            fh.write(one)


def _csv(rows: list[str], header: str = POSTING_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _file(name: str, content: bytes) -> Callable[[Path], str]:
    def write(mirror: Path) -> str:
        (mirror / name).write_bytes(content)
        return name

    return write


# --- bombs and shapes ---------------------------------------------------------------------------


def gzip_bomb_one_line(mirror: Path) -> str:
    """No newline at all: 300 MB of "A" after the header."""
    _gzip_members(mirror / "bomb_line.csv.gz", b"A" * MB, 300, head=_csv([]))
    return "bomb_line.csv.gz"


def gzip_bomb_rows(mirror: Path) -> str:
    """Valid rows, repeated until they inflate to 300 MB (the worst case: every line is fine)."""
    block = ((GOOD_ROW.format(n=1) + "\n") * 20_000).encode()
    _gzip_members(mirror / "bomb_rows.csv.gz", block, 300 * MB // len(block) + 1, _csv([]))
    return "bomb_rows.csv.gz"


def long_line(mirror: Path) -> str:
    """A plain CSV whose second row holds a 5 MB title."""
    (mirror / "long_line.csv").write_bytes(_csv([GOOD_ROW.format(n=1), "X-2," + "A" * 5 * MB]))
    return "long_line.csv"


def wide_header(mirror: Path) -> str:
    """100,000 columns in a 700 KB header (a million would be caught by the line limit first)."""
    header = POSTING_HEADER + "," + ",".join(f"c{i}" for i in range(100_000))
    (mirror / "wide.csv").write_bytes(_csv([GOOD_ROW.format(n=1)], header))
    return "wide.csv"


def _xlsx(path: Path, sheets: dict[str, bytes | Callable]) -> None:
    """A minimal workbook written member by member (so a sheet can be made to inflate hugely)."""
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(len(names))
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets>'
            + "".join(
                f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                for i, n in enumerate(names)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/worksheet" '
                f'Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(len(names))
            )
            + "</Relationships>",
        )
        for i, content in enumerate(sheets.values()):
            member = f"xl/worksheets/sheet{i + 1}.xml"
            if callable(content):
                with z.open(member, "w", force_zip64=True) as out:
                    content(out)
            else:
                z.writestr(member, content)


SHEET_HEAD = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _inline_row(number: int, values: list[str]) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def _header_sheet(rows: list[list[str]]) -> bytes:
    body = [_inline_row(1, list(POSTING_COLUMNS))]
    body += [_inline_row(i + 2, r) for i, r in enumerate(rows)]
    return SHEET_HEAD + b"".join(body) + SHEET_TAIL


GOOD_CELLS = ["G-1", "Data Scientist", "Acme", "Berlin, Germany", "2024-03-01", "70000", "EUR"]


def xlsx_zip_bomb(mirror: Path) -> str:
    """A sheet that inflates to 300 MB (a few hundred KB on disk)."""

    def huge(out) -> None:
        out.write(SHEET_HEAD + _inline_row(1, list(POSTING_COLUMNS)))
        filler = b"<row/>" * (MB // 6)
        for _ in range(300):
            out.write(filler)
        out.write(SHEET_TAIL)

    _xlsx(mirror / "zip_bomb.xlsx", {"Sheet1": huge})
    return "zip_bomb.xlsx"


def xlsx_far_cell(mirror: Path) -> str:
    """One cell in the last column (XFD): a reader that pads rows would make 16,384 cells a row,
    and a declared dimension of a million rows asks for 17 billion."""
    far = b'<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
        + _inline_row(1, list(POSTING_COLUMNS))
        + far
        + SHEET_TAIL
    )
    _xlsx(mirror / "far_cell.xlsx", {"Sheet1": sheet})
    return "far_cell.xlsx"


def xlsx_many_cells(mirror: Path) -> str:
    """3,001 rows x 7 cells, for a source whose limit is 10,000 cells."""
    _xlsx(mirror / "many_cells.xlsx", {"Sheet1": _header_sheet([GOOD_CELLS] * 3_000)})
    return "many_cells.xlsx"


def xlsx_many_sheets(mirror: Path) -> str:
    sheet = _header_sheet([GOOD_CELLS])
    _xlsx(mirror / "many_sheets.xlsx", {f"S{i}": sheet for i in range(150)})
    return "many_sheets.xlsx"


def json_nested(mirror: Path) -> str:
    """100,000 nested arrays: Python's json gives up with a RecursionError."""
    (mirror / "nested.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    return "nested.json"


def json_gzip_bomb(mirror: Path) -> str:
    _gzip_members(mirror / "bomb.json.gz", b" " * MB, 300, head=b'{"jobs": [')
    return "bomb.json.gz"


# --- values that must become per-row rejects ------------------------------------------------------


def bad_dates(mirror: Path) -> str:
    rows = [
        GOOD_ROW.format(n=1),
        'D-2,Data Scientist,Acme,"Berlin, Germany",0001-01-01,70000,EUR,year',
        'D-3,Data Scientist,Acme,"Berlin, Germany",9999-12-31,70000,EUR,year',
        'D-4,Data Scientist,Acme,"Berlin, Germany",2024-02-30,70000,EUR,year',
    ]
    (mirror / "bad_dates.csv").write_bytes(_csv(rows))
    return "bad_dates.csv"


def fractional_years(mirror: Path) -> str:
    header = ",".join(SALARY_COLUMNS)
    rows = [
        "2024,Data Scientist,90000,USD,US,Senior,Full-time",
        "2024.5,Data Scientist,90000,USD,US,Senior,Full-time",
        "1e400,Data Scientist,90000,USD,US,Senior,Full-time",
    ]
    (mirror / "fractional.csv").write_bytes(_csv(rows, header))
    return "fractional.csv"


def json_objects(mirror: Path) -> str:
    records = [
        {"Id": "J-1", "Job Title": "Data Scientist", "Employer": "Acme", "City": "Berlin, Germany",
         "Published": "2024-03-01"},
        {"Id": "J-2", "Job Title": {"text": "Data Scientist"}, "Employer": "Acme",
         "City": "Berlin, Germany", "Published": "2024-03-01"},
        {"Id": {"nested": [1, 2]}, "Job Title": "ML Engineer", "Employer": {"a": {"b": "c"}},
         "City": "Berlin, Germany", "Published": "2024-03-01"},
        {"Id": "J-4", "Job Title": "ML Engineer", "Employer": "Acme", "City": ["Berlin"],
         "Published": {"date": "2024-03-01"}},
    ]  # fmt: skip
    (mirror / "objects.json").write_text(json.dumps({"jobs": records}))
    return "objects.json"


def nul_bytes(mirror: Path) -> str:
    rows = ['N-1,Machine\x00Learning\x00Engineer,Acme\x00Corp,"Berlin, Germany",2024-03-01,,,']
    (mirror / "nul.csv").write_bytes(_csv(rows))
    return "nul.csv"


def decimal_comma_pay(mirror: Path) -> str:
    rows = [
        'P-1,Data Scientist,Acme,"Berlin, Germany",2024-03-01,"1,5e5",EUR,year',
        'P-2,Data Scientist,Beta,"Berlin, Germany",2024-03-01,"150,000",EUR,year',
    ]
    (mirror / "pay.csv").write_bytes(_csv(rows))
    return "pay.csv"


JSON_COLUMNS = {k: POSTING_COLUMNS[k] for k in ("Id", "Job Title", "Employer", "City", "Published")}


def _titles(tables: dict, source: str) -> list[str]:
    postings = tables["postings"]
    return sorted(postings.loc[postings["source"] == source, "title"])


def _check_nul(tables: dict) -> None:
    assert _titles(tables, "nul_bytes") == ["Machine Learning Engineer"], tables["postings"]


def _check_pay(tables: dict) -> None:
    """ "1,5e5" is no number (blank pay, the posting kept), "150,000" is 150 thousand."""
    postings = tables["postings"].set_index("posting_id")
    assert postings.loc["decimal_comma_pay:P-2", "salary_min_usd"] > 100_000
    assert pd.isna(postings.loc["decimal_comma_pay:P-1", "salary_min_usd"])


# --- paths out of the mirror --------------------------------------------------------------------

OUTSIDE_SECRET = "top-secret-first-line"


def _outside(mirror: Path) -> Path:
    secret = mirror.parent / "outside" / "secret.csv"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(f"{OUTSIDE_SECRET}\nsecond line\n")
    return secret


def path_dotdot(mirror: Path) -> str:
    _outside(mirror)
    return "../outside/secret.csv"


def path_absolute(mirror: Path) -> str:
    return str(_outside(mirror))


def path_symlink(mirror: Path) -> str:
    link = mirror / "link.csv"
    link.unlink(missing_ok=True)
    os.symlink(_outside(mirror), link)
    return "link.csv"


CASES = [
    Case("gzip_bomb_line", gzip_bomb_one_line, True, ("longer than allowed", "max_line_bytes")),
    Case("gzip_bomb_rows", gzip_bomb_rows, True, ("decompresses to more", "max_decompressed")),
    Case("long_line", long_line, True, ("line 3 is longer", "max_line_bytes")),
    Case("wide_header", wide_header, True, ("100,008 columns", "max_columns")),
    Case("xlsx_zip_bomb", xlsx_zip_bomb, True, ("workbook decompresses", "max_decompressed")),
    Case("xlsx_far_cell", xlsx_far_cell, True, ("16,384 columns", "max_columns")),
    Case(
        "xlsx_many_cells",
        xlsx_many_cells,
        True,
        ("more cells than allowed", "max_cells"),
        extra={"limits": {"max_cells": 10_000}},
    ),
    Case("xlsx_many_sheets", xlsx_many_sheets, True, ("150 sheets", "max_sheets")),
    Case("json_nested", json_nested, True, ("nested too deeply",)),
    Case("json_gzip_bomb", json_gzip_bomb, True, ("decompresses to more", "max_decompressed")),
    Case("bad_dates", bad_dates, False, rejects=("posting date",), loaded=1),
    Case("fractional_years", fractional_years, False, rejects=("year",), loaded=1, kind="salaries"),
    Case(
        "json_objects",
        json_objects,
        False,
        rejects=("is a JSON", "not a value"),
        loaded=1,
        extra={
            "records_path": "jobs",
            "columns": {
                k: v
                for k, v in POSTING_COLUMNS.items()
                if k in ("Id", "Job Title", "Employer", "City", "Published")
            },
        },
    ),
    Case("nul_bytes", nul_bytes, False, loaded=1, check=_check_nul),
    Case("decimal_comma_pay", decimal_comma_pay, False, loaded=2, check=_check_pay),
    Case("path_dotdot", path_dotdot, True, ("outside the mirror",)),
    Case("path_absolute", path_absolute, True, ("outside the mirror",)),
    Case("path_symlink", path_symlink, True, ("outside the mirror",)),
]


def build(mirror: Path, cases: list[Case] = CASES) -> list[dict]:
    """Write every case's file(s) into ``mirror``; the sources entries that read them."""
    mirror.mkdir(parents=True, exist_ok=True)
    return [case.entry(case.write(mirror)) for case in cases]


if __name__ == "__main__":  # pragma: no cover - a look at the corpus by hand
    folder = Path(sys.argv[1])
    entries = build(folder)
    (folder / "hostile.yaml").write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))
    print(f"wrote {len(entries)} hostile sources into {folder} (sources: {folder}/hostile.yaml)")
