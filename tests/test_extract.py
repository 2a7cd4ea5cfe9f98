"""Extract: every fixture format reads, and every broken file is one clear line."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from etl.errors import SourceError
from etl.extract import file_format, locate, read_source_file
from etl.sources import load_sources

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def sources() -> dict[str, dict]:
    return {s["name"]: s for s in load_sources(FIXTURES / "sources")}


@pytest.mark.parametrize(
    ("name", "rows", "first_title"),
    [
        ("board_csv", 5, "Senior Machine Learning Engineer"),
        ("survey_gz", 6, "Data Scientist"),
        ("hr_xlsx", 3, "MLOps Engineer"),
        ("feed_json", 3, "AI Engineer"),
    ],
)
def test_each_fixture_format_reads_every_data_row(sources, name, rows, first_title):
    source = sources[name]
    raw = read_source_file(source, locate(source, FIXTURES, FIXTURES))
    assert len(raw) == rows
    title_column = next(k for k, v in source["columns"].items() if v == "title")
    assert raw[title_column].iloc[0] == first_title


def test_xlsx_preamble_rows_are_skipped_with_header_row(sources):
    source = sources["hr_xlsx"]
    raw = read_source_file(source, FIXTURES / source["mirror_path"])
    assert "Position Title" in raw.columns
    assert "Quarterly jobs export" not in raw.to_string()


def test_format_auto_follows_the_file_name():
    source = {"name": "s", "format": "auto"}
    assert file_format(source, Path("a.csv.gz")) == "csv.gz"
    assert file_format(source, Path("a.CSV")) == "csv"
    assert file_format(source, Path("a.xlsx")) == "xlsx"
    with pytest.raises(SourceError, match=r"cannot tell the format of a\.parquet"):
        file_format(source, Path("a.parquet"))


def csv_source(path: Path, **extra) -> dict:
    return {"name": "broken", "format": "auto", "columns": {"Title": "title"}, **extra}


def one_line(err: pytest.ExceptionInfo, *parts: str) -> None:
    message = str(err.value)
    assert "\n" not in message
    for part in ("broken", *parts):
        assert part in message, message


def test_a_missing_mirror_file_names_source_and_path(tmp_path):
    source = {"name": "broken", "mirror_path": "nope/x.csv"}
    with pytest.raises(SourceError) as err:
        locate(source, tmp_path, tmp_path)
    one_line(err, "file not found", "nope/x.csv")


def test_a_corrupt_gzip_is_a_clear_message(tmp_path):
    path = tmp_path / "x.csv.gz"
    path.write_bytes(gzip.compress(b"Title\nA\nB\n" * 100)[:-12])
    with pytest.raises(SourceError) as err:
        read_source_file(csv_source(path), path)
    one_line(err, "corrupt or truncated gzip", "x.csv.gz")


def test_a_file_that_is_not_gzip_at_all_is_a_clear_message(tmp_path):
    path = tmp_path / "x.csv.gz"
    path.write_bytes(b"Title\nplain text, not gzip\n")
    with pytest.raises(SourceError) as err:
        read_source_file(csv_source(path), path)
    one_line(err, "gzip")


def test_a_non_utf8_file_says_so_and_how_to_fix_it(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("Title\nIngénieur données\n".encode("latin-1"))
    with pytest.raises(SourceError) as err:
        read_source_file(csv_source(path), path)
    one_line(err, "not utf-8 text", "0xe9", "encoding:")


def test_a_declared_encoding_reads_the_same_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("Title\nIngénieur données\n".encode("latin-1"))
    raw = read_source_file(csv_source(path, encoding="latin-1"), path)
    assert raw["Title"].tolist() == ["Ingénieur données"]


@pytest.mark.parametrize(("content", "says"), [(b"", "the file is empty"),
                                               (b"Title\n", "header but no data rows"),
                                               (b"\n\n", "no header and no rows")])  # fmt: skip
def test_empty_files_are_clear_messages(tmp_path, content, says):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError) as err:
        read_source_file(csv_source(path), path)
    one_line(err, says)


def test_a_wrong_column_set_names_the_missing_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("job,company\nA,B\n")
    with pytest.raises(SourceError) as err:
        read_source_file(csv_source(path), path)
    one_line(err, "wrong column set", "missing ['Title']", "job, company")


def test_the_string_NA_is_a_value_not_a_missing_one(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Title,Country\nData Analyst,NA\nData Analyst,\n")
    raw = read_source_file(csv_source(path), path)
    assert raw["Country"].iloc[0] == "NA"  # Namibia
    assert raw["Country"].isna().iloc[1]


def test_malformed_json_and_a_wrong_records_path_are_clear(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"data": [{"Title": "A"}')
    with pytest.raises(SourceError) as err:
        read_source_file(csv_source(path), path)
    one_line(err, "malformed JSON")
    path.write_text('{"data": [{"Title": "A"}]}')
    with pytest.raises(SourceError) as err:
        read_source_file(csv_source(path, records_path="jobs"), path)
    one_line(err, "no key 'jobs'")


def test_a_missing_xlsx_sheet_is_clear(tmp_path, sources):
    source = {**sources["hr_xlsx"], "name": "broken", "sheet": "Nope"}
    with pytest.raises(SourceError) as err:
        read_source_file(source, FIXTURES / source["mirror_path"])
    one_line(err, "Nope")


@pytest.mark.parametrize(
    ("content", "limits", "says"),
    [
        (b"Title\n" + b"A" * 300 + b"\n", {"max_line_bytes": 100}, "line 2 is longer than allowed"),
        (b"Title," + b",".join(b"c%d" % i for i in range(50)) + b"\nA\n", {"max_columns": 20},
         "the header has 51 columns"),
        (b"Title\n" + b"A\n" * 200, {"max_decompressed_bytes": 100}, "more bytes than allowed"),
        (b"Title\n" + b"A\n" * 200, {"max_bytes": 100}, "the file is 406 bytes"),
    ],
)  # fmt: skip
def test_a_file_over_a_limit_is_refused_naming_the_limit(tmp_path, content, limits, says):
    for name, data in (("x.csv", content), ("x.csv.gz", gzip.compress(content))):
        if name.endswith(".gz") and "max_bytes" in limits:
            continue
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(SourceError) as err:
            read_source_file(csv_source(path, limits=limits), path)
        one_line(err, says, f"limits.{next(iter(limits))}", name)


def test_files_within_their_limits_read_as_before(tmp_path):
    path = tmp_path / "x.csv.gz"
    path.write_bytes(gzip.compress(b"Title\n" + b"A\n" * 200))
    limits = {"max_line_bytes": 10, "max_columns": 1, "max_decompressed_bytes": 406}
    assert len(read_source_file(csv_source(path, limits=limits), path)) == 200


@pytest.mark.parametrize("mirror_path", ["../secret.csv", "sub/../../secret.csv", "link.csv"])
def test_a_mirror_path_out_of_the_mirror_is_refused_without_reading_it(tmp_path, mirror_path):
    (tmp_path / "secret.csv").write_text("password\n")
    mirror = tmp_path / "mirror"
    (mirror / "sub").mkdir(parents=True)
    (mirror / "link.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(SourceError) as err:
        locate({"name": "broken", "mirror_path": mirror_path}, mirror, tmp_path)
    one_line(err, "outside the mirror", mirror_path)
    assert "password" not in str(err.value)


def test_an_absolute_mirror_path_is_refused_but_links_inside_the_mirror_are_fine(tmp_path):
    (tmp_path / "data.csv").write_text("Title\nA\n")
    with pytest.raises(SourceError) as err:
        locate({"name": "broken", "mirror_path": str(tmp_path / "data.csv")}, tmp_path, tmp_path)
    one_line(err, "is absolute", "outside the mirror")
    (tmp_path / "alias.csv").symlink_to(tmp_path / "data.csv")
    source = {"name": "fine", "mirror_path": "alias.csv"}
    assert locate(source, tmp_path, tmp_path) == tmp_path / "alias.csv"


# --- large CSVs are read in blocks (etl.extract.read_source_blocks) --------------------------


def blocks_of(path: Path, rows: int, **extra) -> list:
    from etl.extract import read_source_blocks

    return list(read_source_blocks(csv_source(path, **extra), path, rows))


@pytest.mark.parametrize("name", ["x.csv", "x.csv.gz"])
def test_a_csv_read_in_blocks_equals_the_whole_read(tmp_path, name):
    text = "Title,Country\n" + "".join(f"Engineer {i},{'NA' if i % 3 else ''}\n" for i in range(10))
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    blocks = blocks_of(path, 4)
    assert [len(b) for b in blocks] == [4, 4, 2]
    joined = pd.concat(blocks, ignore_index=True)
    pd.testing.assert_frame_equal(joined, read_source_file(csv_source(path), path))
    assert pd.isna(joined["Country"][0]) and joined["Country"][1] == "NA"  # Namibia kept


BROKEN = [(b"", "the file is empty"), (b"Title\n", "header but no data rows"),
          (b"\n\n", "no header and no rows"), (b"job,company\nA,B\n", "wrong column set"),
          (b"Title\nok\n\xff\xfe\n", "not utf-8 text")]  # fmt: skip


@pytest.mark.parametrize(("content", "says"), BROKEN)
def test_a_broken_csv_read_in_blocks_is_the_same_one_line_error(tmp_path, content, says):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError) as err:
        blocks_of(path, 1)
    one_line(err, says)


def test_a_bad_row_deep_in_a_streamed_csv_is_a_one_line_parse_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Title\n" + "ok\n" * 50 + '"never closed\n')
    with pytest.raises(SourceError) as err:
        blocks_of(path, 10)
    one_line(err, "cannot parse as csv")


def test_only_csvs_over_the_stream_size_are_streamed(tmp_path, monkeypatch):
    from etl.errors import ConfigError
    from etl.extract import streams

    small, sheet = tmp_path / "x.csv", tmp_path / "x.json"
    small.write_text("Title\nok\n")
    sheet.write_text("[]")
    monkeypatch.delenv("AIJOBS_STREAM_MIN_BYTES", raising=False)
    assert not streams(csv_source(small), small)
    monkeypatch.setenv("AIJOBS_STREAM_MIN_BYTES", "5")
    assert streams(csv_source(small), small) and not streams(csv_source(sheet), sheet)
    monkeypatch.setenv("AIJOBS_STREAM_MIN_BYTES", "big")
    with pytest.raises(ConfigError, match="AIJOBS_STREAM_MIN_BYTES"):
        streams(csv_source(small), small)
