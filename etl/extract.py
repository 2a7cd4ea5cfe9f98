"""Extract: find a file source (mirror or download) and read it into a raw table of text.

Every way a file can be broken (missing, empty, corrupt gzip, wrong encoding, other columns) ends
as one ``SourceError`` line that names the source and the file, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
from pandas.io.parsers import TextParser

from etl.errors import ConfigError, SourceError
from etl.staging import group_columns

SCAN_CHUNK = 1 << 20
STREAM_ENV = "AIJOBS_STREAM_MIN_BYTES"
STREAM_MIN_BYTES = 64_000_000


@dataclass(frozen=True)
class Limits:
    """What one file source may be, checked while it streams (set per source under ``limits:``).

    The defaults are far above every real source (the largest, 8 MB decompressed, 600-byte lines,
    300 columns) and far below what would take minutes or gigabytes to refuse.
    """

    max_bytes: int = 200_000_000  # the file (or download) itself
    max_decompressed_bytes: int = 256_000_000  # what a .gz/.xlsx inflates to (plain: its size)
    max_line_bytes: int = 1_000_000  # one physical line of a CSV
    max_columns: int = 2_000  # header fields of a CSV; cells in a row of a sheet
    max_cells: int = 5_000_000  # cells of the sheet read from a workbook (empty rows count 1)
    max_sheets: int = 100  # sheets in a workbook


LIMIT_KEYS = tuple(f.name for f in fields(Limits))


def locate(source: dict, mirror: Path | None, raw_dir: Path) -> Path:
    """The local file of ``source``: ``mirror/mirror_path``, or ``url`` downloaded into raw_dir."""
    name = source["name"]
    if mirror is not None:
        if not source.get("mirror_path"):
            raise SourceError(f"{name}: no mirror_path configured, cannot read it from {mirror}")
        return mirror_file(mirror, source["mirror_path"], name)
    url = source.get("url")
    if not url:
        raise SourceError(f"{name}: no url configured and no mirror given (--mirror DIR)")
    from etl.http import download  # imported late: only network refreshes need it

    dest = Path(raw_dir) / name / (url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    return download(url, dest, int(source.get("max_bytes", 200_000_000)))


def mirror_file(mirror: Path, mirror_path: str, name: str) -> Path:
    """The file ``mirror_path`` names inside ``mirror``, refused unless it is really inside.

    A path from configuration never leaves the mirror: an absolute path, ``..`` steps or a
    symlink that resolves outside it are refused with a message that names the path and never
    shows anything of the file it points to.
    """
    given = Path(str(mirror_path))
    if given.is_absolute() or given.drive or given.root:
        raise SourceError(
            f"{name}: mirror_path {str(mirror_path)!r} is absolute; it must be a path inside "
            f"the mirror {mirror} (outside the mirror: refused)"
        )
    root = Path(mirror).resolve()
    path = (root / given).resolve()
    if not path.is_relative_to(root):
        raise SourceError(
            f"{name}: mirror_path {str(mirror_path)!r} leads outside the mirror {mirror}; refused"
        )
    if not path.is_file():
        raise SourceError(f"{name}: file not found: {Path(mirror) / given}")
    return Path(mirror) / given  # as configured (its name says its format), checked above


def file_format(source: dict, path: Path) -> str:
    """The declared format, or the one the file name (a zip's ``member``'s) says when auto."""
    fmt = str(source.get("format", "auto"))
    if fmt != "auto":
        return fmt
    name = path.name.lower()
    if name.endswith(".zip") and source.get("member"):
        name = str(source["member"]).lower()
    for suffix, found in ((".csv.gz", "csv.gz"), (".csv", "csv"), (".xlsx", "xlsx")):
        if name.endswith(suffix):
            return found
    if name.endswith((".json", ".json.gz")):
        return "json"
    raise SourceError(f"{source['name']}: cannot tell the format of {path.name}; set 'format:'")


def _records(doc: object, records_path: str | None, where: str) -> list:
    for key in (records_path or "").split(".") if records_path else []:
        if not isinstance(doc, dict) or key not in doc:
            raise SourceError(f"{where}: records_path {records_path!r}: no key {key!r}")
        doc = doc[key]
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise SourceError(f"{where}: expected a list of JSON records (set records_path)")
    return doc


def limits_of(source: dict) -> Limits:
    """The source's limits: ``max_bytes`` and its ``limits:`` mapping over the defaults."""
    given = dict(source.get("limits") or {})
    if "max_bytes" in source:
        given.setdefault("max_bytes", int(source["max_bytes"]))
    return replace(Limits(), **given)


def _over(where: str, what: str, key: str, limit: int) -> SourceError:
    """The one-line refusal: source and file, what was found, and which limit it broke."""
    return SourceError(f"{where}: {what} (limit: limits.{key} = {limit:,})")


def _open_binary(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _scan(source: dict, path: Path, fmt: str, limits: Limits, where: str) -> None:
    """Stream the (decompressed) file once before parsing it, in constant memory.

    Refuses a file whose decompressed size, line length (text tables) or header width is over
    its limit, or that is not text in the declared encoding, before pandas or json holds any of
    it: a gzip bomb or a 50 MB line costs a few seconds of reading, not gigabytes.
    """
    encoding = source.get("encoding", "utf-8")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    tabular = fmt in ("csv", "csv.gz")
    total = current = newlines = 0
    header: bytearray | None = bytearray() if tabular else None
    with _open_binary(path) as fh:
        while True:
            chunk = fh.read(SCAN_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise SourceError(
                    f"{where}: not {encoding} text (byte 0x{exc.object[exc.start]:02x} at offset "
                    f"{total + exc.start}); set 'encoding:' for this source"
                ) from None
            if not chunk:
                break
            total += len(chunk)
            if total > limits.max_decompressed_bytes:
                what = "is" if fmt == "csv" else "decompresses to"
                raise _over(where, f"{what} more bytes than allowed", "max_decompressed_bytes",
                            limits.max_decompressed_bytes)  # fmt: skip
            if not tabular:
                continue
            lines = chunk.split(b"\n")
            sizes = [len(x) for x in lines]
            sizes[0] += current
            current = sizes[-1]
            if max(sizes) > limits.max_line_bytes:
                at = newlines + next(i for i, n in enumerate(sizes) if n > limits.max_line_bytes)
                raise _over(where, f"line {at + 1:,} is longer than allowed", "max_line_bytes",
                            limits.max_line_bytes)  # fmt: skip
            newlines += len(lines) - 1
            if header is not None:
                header += lines[0]
                if len(lines) > 1:
                    _check_header(bytes(header), source, encoding, limits, where)
                    header = None
    if header is not None:
        _check_header(bytes(header), source, encoding, limits, where)


def _check_header(line: bytes, source: dict, encoding: str, limits: Limits, where: str) -> None:
    text = line.decode(encoding, errors="replace")
    fields = next(csv.reader([text], delimiter=source.get("delimiter", ",")), [])
    if len(fields) > limits.max_columns:
        raise _over(where, f"the header has {len(fields):,} columns", "max_columns",
                    limits.max_columns)  # fmt: skip


def _xlsx_cell(cell: object) -> object:
    """A cell as pandas' openpyxl reader converts it (so the result equals pd.read_excel's)."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "e":  # an error such as #DIV/0!
        return np.nan
    if cell.data_type == "n":
        whole = int(value)
        return whole if whole == value else float(value)
    return value


def _read_xlsx(source: dict, path: Path, limits: Limits, where: str) -> pd.DataFrame:
    """An Excel sheet read cell by cell with its limits checked as the cells stream by.

    The zip's declared sizes bound what it decompresses to (Python's zipfile never inflates a
    member past its declared size), so a zip bomb is refused before openpyxl opens it.
    """
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    declared = sum(m.file_size for m in members)
    if declared > limits.max_decompressed_bytes:
        raise _over(where, f"the workbook decompresses to {declared:,} bytes",
                    "max_decompressed_bytes", limits.max_decompressed_bytes)  # fmt: skip
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/")]
    if len(sheets) > limits.max_sheets:
        raise _over(where, f"the workbook has {len(sheets):,} sheets", "max_sheets",
                    limits.max_sheets)  # fmt: skip
    import openpyxl  # imported late: only Excel sources need it

    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        wanted = source.get("sheet", 0)
        if isinstance(wanted, int):
            if not 0 <= wanted < len(book.worksheets):
                raise SourceError(f"{where}: no sheet number {wanted}; it has {book.sheetnames}")
            sheet = book.worksheets[wanted]
        elif wanted in book.sheetnames:
            sheet = book[wanted]
        else:
            raise SourceError(f"{where}: worksheet named {wanted!r} not found; it has "
                              f"{book.sheetnames}")  # fmt: skip
        sheet.reset_dimensions()  # declared dimensions can lie: count what is really there
        data: list[list] = []
        cells = 0
        last = -1
        for number, row in enumerate(sheet.rows):
            if len(row) > limits.max_columns:
                raise _over(where, f"sheet row {number + 1:,} has {len(row):,} columns",
                            "max_columns", limits.max_columns)  # fmt: skip
            cells += max(1, len(row))
            if cells > limits.max_cells:
                raise _over(where, "the sheet has more cells than allowed", "max_cells",
                            limits.max_cells)  # fmt: skip
            values = [_xlsx_cell(c) for c in row]
            while values and values[-1] == "":
                values.pop()
            if values:
                last = number
            data.append(values)
    finally:
        book.close()
    data = data[: last + 1]
    if not data:
        raise pd.errors.EmptyDataError("no header")
    width = max(len(r) for r in data)
    data = [r + [""] * (width - len(r)) for r in data]
    parser = TextParser(
        data,
        header=int(source.get("header_row", 1)) - 1,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
    )
    return parser.read()


def _read(source: dict, path: Path, fmt: str, limits: Limits) -> pd.DataFrame:
    where = f"{source['name']}: {path}"
    encoding = source.get("encoding", "utf-8")
    if fmt == "xlsx":
        return _read_xlsx(source, path, limits, where)
    _scan(source, path, fmt, limits, where)  # a truncated gzip fails here, before any row loads
    if fmt in ("csv", "csv.gz"):
        return pd.read_csv(path, **_csv_options(source, path))
    with _open_binary(path) as fh:
        try:
            doc = json.load(io.TextIOWrapper(fh, encoding=encoding))
        except RecursionError:
            raise SourceError(f"{where}: JSON nested too deeply to read") from None
    return pd.DataFrame.from_records(_records(doc, source.get("records_path"), where))


def _csv_options(source: dict, path: Path) -> dict:
    """How pandas reads a source's CSV: every value as text, only "" missing (Namibia is "NA")."""
    return {
        "compression": "gzip" if path.name.lower().endswith(".gz") else None,
        "encoding": source.get("encoding", "utf-8"),
        "dtype": str,
        "keep_default_na": False,
        "na_values": [""],
        "sep": source.get("delimiter", ","),
        "skiprows": range(1, int(source.get("header_rows", 1))),  # rows under the names
    }


@contextlib.contextmanager
def _zip_member(source: dict, path: Path) -> Iterator[Path]:
    """The ``member`` of a zip archive, extracted into a temporary folder under its own name (so
    its suffix says its format), refused before extraction when it declares more bytes than
    ``limits.max_decompressed_bytes``; removed afterwards."""
    name = source["name"]
    member = source.get("member")
    if not member:
        raise SourceError(f"{name}: {path} is a zip archive; set 'member:' to the file to read")
    limits = limits_of(source)
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(str(member))
            except KeyError:
                names = ", ".join(archive.namelist()[:10])
                raise SourceError(
                    f"{name}: {path}: no member {member!r} in the zip; it holds: {names}"
                ) from None
            if info.file_size > limits.max_decompressed_bytes:
                raise _over(f"{name}: {path}", f"member {member!r} decompresses to "
                            f"{info.file_size:,} bytes", "max_decompressed_bytes",
                            limits.max_decompressed_bytes)  # fmt: skip
            with tempfile.TemporaryDirectory(prefix="aijobs-zip-") as folder:
                inner = Path(folder) / Path(str(member)).name
                with archive.open(info) as src, open(inner, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                yield inner
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise SourceError(f"{name}: {path}: corrupt zip archive ({exc})") from exc


def read_source_file(source: dict, path: Path) -> pd.DataFrame:
    """The raw table of a file source; checks that every configured column is present.

    A ``.zip`` is read through its ``member`` (the Kaggle survey ships as Kaggle's own zip).
    """
    if path.name.lower().endswith(".zip") and file_format(source, path) != "xlsx":
        with _zip_member(source, path) as inner:
            return _read_file(source, inner, f"{source['name']}: {path} ({source['member']})")
    return _read_file(source, path, f"{source['name']}: {path}")


def streams(source: dict, path: Path) -> bool:
    """Whether a file source is read in blocks rather than whole: a CSV (plain or gzip, not in a
    zip) of more than ``AIJOBS_STREAM_MIN_BYTES`` bytes on disk (default 64 MB), so that no
    process ever holds a large source as one frame."""
    if file_format(source, path) not in ("csv", "csv.gz") or path.suffix.lower() == ".zip":
        return False
    value = os.environ.get(STREAM_ENV, "").strip()
    try:
        least = int(value) if value else STREAM_MIN_BYTES
    except ValueError:
        raise ConfigError(f"{STREAM_ENV} must be a whole number, not {value!r}") from None
    return path.stat().st_size > least


def read_source_blocks(source: dict, path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """The raw table of a CSV source in blocks of at most ``rows`` rows, each checked as
    ``read_source_file`` checks the whole table (same limits, same one-line errors; the limits
    are checked by a streaming pass before the first block)."""
    where = f"{source['name']}: {path}"
    fmt = file_format(source, path)
    limits = _checked_size(path, where, limits_of(source))
    total = 0
    with _read_errors(where, fmt, source):
        _scan(source, path, fmt, limits, where)
        for block in pd.read_csv(path, **_csv_options(source, path), chunksize=max(1, rows)):
            total += len(block)
            yield _checked(block, source, where, empty_ok=True)
    if not total:
        raise SourceError(f"{where}: the file has a header but no data rows")


def _checked_size(path: Path, where: str, limits: Limits) -> Limits:
    size = path.stat().st_size
    if size == 0:
        raise SourceError(f"{where}: the file is empty")
    if size > limits.max_bytes:
        raise _over(where, f"the file is {size:,} bytes", "max_bytes", limits.max_bytes)
    return limits


def _read_file(source: dict, path: Path, where: str) -> pd.DataFrame:
    fmt = file_format(source, path)
    limits = _checked_size(path, where, limits_of(source))
    with _read_errors(where, fmt, source):
        raw = _read(source, path, fmt, limits)
    return _checked(raw, source, where)


@contextlib.contextmanager
def _read_errors(where: str, fmt: str, source: dict) -> Iterator[None]:
    """Every way reading a file can fail, as one SourceError line naming source and file."""
    try:
        yield
    except SourceError:
        raise
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{where}: not {source.get('encoding', 'utf-8')} text "
            f"(byte 0x{exc.object[exc.start]:02x}"
            f" at offset {exc.start}); set 'encoding:' for this source"
        ) from exc
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise SourceError(f"{where}: corrupt or truncated gzip file ({exc})") from exc
    except pd.errors.EmptyDataError as exc:
        raise SourceError(f"{where}: the file has no header and no rows") from exc
    except pd.errors.ParserError as exc:
        raise SourceError(f"{where}: cannot parse as {fmt}: {str(exc).splitlines()[0]}") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(f"{where}: malformed JSON at line {exc.lineno}: {exc.msg}") from exc
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SourceError(f"{where}: cannot read as {fmt}: {first}") from exc


def _checked(
    raw: pd.DataFrame, source: dict, where: str, *, empty_ok: bool = False
) -> pd.DataFrame:
    """``raw`` with tidy column names, or a SourceError when a configured column is missing."""
    raw.columns = [str(c).strip().lstrip("\ufeff").strip() for c in raw.columns]
    expected = list(source.get("columns") or {})
    expected += [c for c in (r.get("column") for r in source.get("reject_when") or []) if c]
    missing = [c for c in dict.fromkeys(expected) if c not in raw.columns]
    missing += [
        str(g["columns"])
        for g in source.get("multi_select") or []
        if not group_columns(list(raw.columns), str(g["columns"]))
    ]
    if missing:
        found = ", ".join(raw.columns[:20])
        raise SourceError(
            f"{where}: wrong column set: missing {missing}; the file has: {found}"
            + (" ..." if len(raw.columns) > 20 else "")
        )
    if raw.empty and not empty_ok:
        raise SourceError(f"{where}: the file has a header but no data rows")
    return raw.reset_index(drop=True)
