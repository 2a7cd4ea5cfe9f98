"""Extract: find a file source (mirror or download) and read it into a raw table of text.

Every way a file can be broken (missing, empty, corrupt gzip, wrong encoding, other columns) ends
as one ``SourceError`` line that names the source and the file, never a traceback.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
import zlib
from pathlib import Path

import pandas as pd

from etl.errors import SourceError


def locate(source: dict, mirror: Path | None, raw_dir: Path) -> Path:
    """The local file of ``source``: ``mirror/mirror_path``, or ``url`` downloaded into raw_dir."""
    name = source["name"]
    if mirror is not None:
        if not source.get("mirror_path"):
            raise SourceError(f"{name}: no mirror_path configured, cannot read it from {mirror}")
        path = Path(mirror) / source["mirror_path"]
        if not path.is_file():
            raise SourceError(f"{name}: file not found: {path}")
        return path
    url = source.get("url")
    if not url:
        raise SourceError(f"{name}: no url configured and no mirror given (--mirror DIR)")
    from etl.http import download  # imported late: only network refreshes need it

    dest = Path(raw_dir) / name / (url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    return download(url, dest, int(source.get("max_bytes", 200_000_000)))


def file_format(source: dict, path: Path) -> str:
    """The declared format, or the one the file name says when ``format`` is auto."""
    fmt = str(source.get("format", "auto"))
    if fmt != "auto":
        return fmt
    name = path.name.lower()
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


def _read(source: dict, path: Path, fmt: str) -> pd.DataFrame:
    where = f"{source['name']}: {path}"
    encoding = source.get("encoding", "utf-8")
    if fmt in ("csv", "csv.gz"):
        data = path.read_bytes()
        if fmt == "csv.gz":  # decompress fully first: a truncated gzip must fail, not half-load
            data = gzip.decompress(data)
        return pd.read_csv(
            io.StringIO(data.decode(encoding)),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            sep=source.get("delimiter", ","),
        )
    if fmt == "xlsx":
        return pd.read_excel(
            path,
            sheet_name=source.get("sheet", 0),
            header=int(source.get("header_row", 1)) - 1,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding=encoding) as fh:
        doc = json.load(fh)
    return pd.DataFrame.from_records(_records(doc, source.get("records_path"), where))


def read_source_file(source: dict, path: Path) -> pd.DataFrame:
    """The raw table of a file source; checks that every configured column is present."""
    where = f"{source['name']}: {path}"
    fmt = file_format(source, path)
    if path.stat().st_size == 0:
        raise SourceError(f"{where}: the file is empty")
    try:
        raw = _read(source, path, fmt)
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
    raw.columns = [str(c).strip() for c in raw.columns]
    expected = list(source.get("columns") or {})
    missing = [c for c in expected if c not in raw.columns]
    if missing:
        found = ", ".join(raw.columns[:20])
        raise SourceError(
            f"{where}: wrong column set: missing {missing}; the file has: {found}"
            + (" ..." if len(raw.columns) > 20 else "")
        )
    if raw.empty:
        raise SourceError(f"{where}: the file has a header but no data rows")
    return raw.reset_index(drop=True)
