"""The setup: uv.lock pins every declared dependency, and `make run` explains a taken port."""

from __future__ import annotations

import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
CHECK_PORT = ROOT / "scripts" / "check_port.py"


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [r for group in project.get("optional-dependencies", {}).values() for r in group]
    return [Requirement(r) for r in [*project["dependencies"], *extras]]


def _locked() -> dict[str, set[str]]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    versions: dict[str, set[str]] = {}
    for package in lock["package"]:
        versions.setdefault(canonicalize_name(package["name"]), set()).add(package["version"])
    return versions


def test_every_declared_dependency_is_pinned_in_the_lock_within_its_range() -> None:
    locked = _locked()
    stale = []
    for req in _declared():
        versions = locked.get(canonicalize_name(req.name), set())
        if not any(req.specifier.contains(v, prereleases=True) for v in versions):
            stale.append(f"{req} (locked: {sorted(versions) or 'nothing'})")
    assert not stale, f"uv.lock is out of date, run `make lock`: {stale}"


def test_the_lock_pins_the_tested_major_versions() -> None:
    locked = _locked()
    for name, major in {"pandas": "3", "duckdb": "2", "plotly": "7", "streamlit": "1"}.items():
        assert {v.split(".")[0] for v in locked[name]} == {major}, name


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK_PORT), *args], capture_output=True, text=True, timeout=60
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_free_port_passes_silently() -> None:
    result = _run(str(_free_port()))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_taken_port_says_so_and_offers_another_one() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = _run(str(port))
    assert result.returncode == 1
    message = result.stderr.strip()
    assert f"Port {port} on 127.0.0.1 is already in use" in message
    assert "make run PORT=" in message and f"PORT={port}" not in message
    assert len(message.splitlines()) == 1 and "Traceback" not in message


@pytest.mark.parametrize("value", ["abc", "0", "70000", ""])
def test_a_bad_port_is_a_one_line_usage_error(value: str) -> None:
    result = _run(value)
    assert result.returncode == 2
    assert "PORT must be a number" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
    reason="runs in the Makefile's .venv (`make test`), whose install this pins",
)
def test_the_installed_packages_are_byte_compiled() -> None:
    """`make` installs with --compile-bytecode: the Makefile exports PYTHONDONTWRITEBYTECODE, so
    without .pyc files every process compiles pandas, Streamlit and Dask from source again
    (seconds per refresh, server start and test process)."""
    import importlib.util

    import duckdb
    import pandas
    import streamlit

    for module in (pandas, streamlit, duckdb):
        cached = importlib.util.cache_from_source(module.__file__)
        assert Path(cached).exists(), f"{module.__name__} has no {cached}"
