"""Hostile files: each one source of one refresh, beside four good sources.

The corpus (tests/hostile_corpus.py) is generated at test time in a temporary folder: gzip and
zip bombs, a 5 MB line, 100,000 columns, a cell in the last Excel column, 150 sheets, JSON nested
100,000 deep, dates in year 1 and 9999, fractional years, JSON objects for values, NUL bytes, a
"1,5e5" pay, and mirror paths that lead out of the mirror. One refresh (a subprocess, as the CLI
runs) reads them all; each test then checks its case: a one-line message naming the source, the
file and the limit (never a traceback or a bare exception name) or per-row rejects with reasons,
the other sources unchanged, and time and memory within bounds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hostile_corpus import CASES, OUTSIDE_SECRET, Case, build

from etl.store import read_tables

resource = pytest.importorskip("resource")  # peak memory of the refresh process (Unix)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
GOOD = ("board_csv", "survey_gz", "hr_xlsx", "feed_json")
MAX_RSS_MB = 1000  # "well under 1 GB": the whole refresh, every case included
MAX_CASE_SECONDS = 30  # wall time of one case (the runs row), on a busy 2-core machine
MAX_CPU_SECONDS = 120  # CPU time of the whole refresh: 18 hostile and 4 good sources

# Runs a CLI command, then writes its own peak RSS (KB) and CPU seconds to argv[1]. The peak is
# /proc's VmHWM, the high-water mark of this program's own memory: ru_maxrss is not, as Linux
# carries the parent's peak over a fork + exec (a pytest worker that once held 1.1 GB made every
# command it started report 1.1 GB).
MEASURED = (
    "import re, resource, sys\n"
    "from etl.cli import main\n"
    "out = sys.argv.pop(1)\n"
    "code = main(sys.argv[1:])\n"
    "use = resource.getrusage(resource.RUSAGE_SELF)\n"
    "try:\n"
    "    hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
    "except OSError:\n"
    "    hwm = use.ru_maxrss\n"
    "open(out, 'w').write(f'{hwm} {use.ru_utime + use.ru_stime}')\n"
    "sys.exit(code)\n"
)


class HostileRun:
    """A store refreshed from the good sources, then refreshed again with every hostile one."""

    def __init__(self, root: Path) -> None:
        data = root / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("processed", "raw"))
        for other in (data / "sources").glob("*.yaml"):
            other.unlink()
        shutil.copy(FIXTURES / "sources" / "fixtures.yaml", data / "sources")
        self.mirror = root / "mirror"
        shutil.copytree(FIXTURES / "files", self.mirror / "files")
        entries = build(self.mirror)
        (data / "sources" / "hostile.yaml").write_text(yaml.safe_dump({"sources": entries}))
        self.store = root / "store" / "jobs.duckdb"
        self.env = {"PYTHONPATH": str(ROOT), "AIJOBS_DATA_DIR": str(data), "AIJOBS_WORKERS": "1"}
        good = [arg for name in GOOD for arg in ("--source", name)]
        first = self.cli(root / "first.txt", *good)
        assert first.returncode == 0, first.stdout + first.stderr
        self.before = read_tables(self.store)
        started = time.monotonic()
        self.result = self.cli(root / "usage.txt")
        self.seconds = time.monotonic() - started
        rss_kb, cpu = (root / "usage.txt").read_text().split()
        self.rss_mb = int(rss_kb) / 1024
        self.cpu_seconds = float(cpu)
        self.output = self.result.stdout + self.result.stderr
        self.after = read_tables(self.store)

    def cli(self, usage: Path, *args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-c", MEASURED, str(usage), "refresh", "--quiet"]
        command += ["--out", str(self.store), "--mirror", str(self.mirror), *args]
        env = {k: v for k, v in os.environ.items() if k != "AIJOBS_MIRROR"}
        return subprocess.run(
            command, cwd=ROOT, env={**env, **self.env}, capture_output=True, text=True, timeout=900
        )

    def run_of(self, source: str) -> pd.Series:
        runs = self.after["runs"]
        return runs[runs["source"] == source].iloc[-1]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    return HostileRun(tmp_path_factory.mktemp("hostile"))


@pytest.mark.slow  # its set-up runs the whole hostile refresh (~30 s) for the module
def test_the_refresh_publishes_and_says_which_sources_failed(hostile):
    assert hostile.result.returncode == 1, hostile.output  # published; some sources failed
    assert "Traceback" not in hostile.output
    for line in hostile.result.stderr.splitlines():
        assert not re.match(r"\w+(Error|Exception)\b", line), line


def test_the_good_sources_are_unchanged(hostile):
    for table in ("postings", "salaries", "rejects"):
        before, after = hostile.before[table], hostile.after[table]
        for name in GOOD:
            old = before[before["source"] == name].reset_index(drop=True)
            new = after[after["source"] == name].reset_index(drop=True)
            pd.testing.assert_frame_equal(old, new, obj=f"{table} of {name}")
    for name in GOOD:
        assert hostile.run_of(name)["status"] == "ok"


def test_the_whole_hostile_refresh_stays_within_memory_and_time(hostile):
    assert hostile.rss_mb < MAX_RSS_MB, f"peak RSS {hostile.rss_mb:.0f} MB"
    assert hostile.cpu_seconds < MAX_CPU_SECONDS, f"{hostile.cpu_seconds:.0f} s of CPU"


def one_line_message(message: str) -> None:
    """A message for a person: one line, no traceback, not a bare exception type name."""
    assert "\n" not in message and "Traceback" not in message
    assert not re.match(r"\s*\w+(Error|Exception|Warning)\b", message), message
    assert OUTSIDE_SECRET not in message


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_file_ends_in_one_line_or_per_row_rejects(hostile, case: Case):
    run = hostile.run_of(case.name)
    message = str(run["message"])
    one_line_message(message)
    seconds = (run["finished_at"] - run["started_at"]).total_seconds()
    assert seconds < MAX_CASE_SECONDS, f"{case.name} took {seconds:.1f} s"
    if case.refused:
        assert run["status"] == "failed", run.to_dict()
        assert message.startswith(f"{case.name}: "), message  # names the source
        for part in case.says:
            assert part in message, message
        assert OUTSIDE_SECRET not in hostile.output
        return
    assert run["status"] == "ok", run.to_dict()
    assert run["rows_loaded"] == case.loaded, run.to_dict()
    rejects = hostile.after["rejects"]
    reasons = rejects.loc[rejects["source"] == case.name, "reason"].tolist()
    assert run["rows_rejected"] == len(reasons)
    for part in case.rejects:
        assert reasons and all(part in r for r in reasons), reasons
    for reason in reasons:
        one_line_message(reason)
    if case.check is not None:
        case.check(hostile.after)


def test_a_bomb_message_names_the_file_and_the_limit(hostile):
    message = hostile.run_of("gzip_bomb_rows")["message"]
    assert "bomb_rows.csv.gz" in message
    assert "limits.max_decompressed_bytes = 256,000,000" in message
