"""The import direction of the dashboard (pyproject.toml's import-linter contracts) holds, and a
forbidden import breaks it: each case copies the code to a temporary folder, adds one import that
a contract forbids, and runs ``lint-imports`` there with the project's configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` run in ``where`` on the packages found there (not the installed ones)."""
    pytest.importorskip("importlinter", reason="import-linter is not installed (test extra)")
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as m; m()",
         "--no-cache", "--config", str(where / "pyproject.toml")],
        cwd=where,
        env={**os.environ, "PYTHONPATH": str(where)},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip


def _copy(tmp_path: Path) -> Path:
    for name in ("dashboard", "etl"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=IGNORE)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_every_import_contract(tmp_path: Path) -> None:
    run = _lint(_copy(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("dashboard/stats/honesty.py", "import dashboard.queries", "Stats are pure"),
        ("dashboard/stats/premium.py", "import streamlit", "Stats are pure"),
        ("dashboard/queries/pay.py", "import dashboard.ui.charts", "Queries never import the UI"),
        ("dashboard/queries/store.py", "import dashboard.views.demand", "Dashboard layers"),
        ("dashboard/ui/charts.py", "import dashboard.views.overview", "Dashboard layers"),
        ("etl/store.py", "import dashboard.queries.filters", "The ETL never imports the dashboard"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    where = _copy(tmp_path)
    target = where / module
    target.write_text(target.read_text() + f"\n{line}  # added by the test\n")
    run = _lint(where)
    assert run.returncode != 0, run.stdout
    broken = [x for x in run.stdout.splitlines() if x.endswith("BROKEN")]
    assert any(x.startswith(contract) for x in broken), run.stdout
