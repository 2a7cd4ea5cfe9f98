"""dashboard/serve.py: the one way tests and tools start the app, and its warm-up."""

from __future__ import annotations

import ast
import socket
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest

from dashboard import serve
from dashboard.serve import ServerError, running, warm_up


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_running_yields_a_healthy_dashboard_and_stops_it_afterwards(demo_store: Path):
    pids: list[int] = []
    with running({"AIJOBS_STORE": str(demo_store)}, on_start=pids.append) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
            assert r.status == 200
    assert not psutil.pid_exists(pids[0])
    with socket.socket() as s, pytest.raises(ConnectionRefusedError):
        s.connect(("127.0.0.1", _port(url)))


def test_a_server_that_exits_at_once_raises_with_its_stderr():
    exited = r"exited \(code [1-9]\d*\)[\s\S]*No such option"
    with pytest.raises(ServerError, match=exited), running(extra=("--server.noSuchOption", "1")):
        pytest.fail("the block must not run when the server never came up")


def test_a_server_that_does_not_answer_in_time_raises(demo_store: Path):
    late = r"did not answer on http://127\.0\.0\.1:\d+ within 0\.01 s"
    env = {"AIJOBS_STORE": str(demo_store)}
    with pytest.raises(ServerError, match=late), running(env, timeout=0.01):
        pytest.fail("the block must not run when the server never answered")


def test_an_error_in_the_block_notes_that_the_server_had_died(demo_store: Path):
    pids: list[int] = []
    env = {"AIJOBS_STORE": str(demo_store)}
    with pytest.raises(AssertionError) as info, running(env, on_start=pids.append):
        proc = psutil.Process(pids[0])
        proc.kill()
        proc.wait(timeout=10)
        raise AssertionError("the page did not load")
    assert any("had exited" in note for note in getattr(info.value, "__notes__", []))


def test_an_error_in_the_block_with_a_live_server_gets_no_note(demo_store: Path):
    with pytest.raises(KeyError) as info, running({"AIJOBS_STORE": str(demo_store)}):
        raise KeyError("unrelated")
    assert not getattr(info.value, "__notes__", [])


def test_warm_up_reports_the_modules_it_cannot_import(monkeypatch):
    monkeypatch.setattr(serve, "MODULES", ("json", "no_such_module_for_h5"))
    assert warm_up(ready=lambda: True) == ["no_such_module_for_h5"]


def test_warm_up_imports_nothing_until_streamlit_is_ready(monkeypatch):
    monkeypatch.setattr(serve, "MODULES", ("no_such_module_for_h5",))
    assert warm_up(ready=lambda: False, wait_s=0) == []


def test_warm_up_loads_plotly_and_the_chart_builders(monkeypatch):
    monkeypatch.delitem(sys.modules, "dashboard.ui.charts", raising=False)
    assert warm_up(ready=lambda: True) == []
    assert {"plotly.express", "dashboard.ui.charts", "pandas", "duckdb"} <= set(sys.modules)


def _project_imports(path: Path) -> set[str]:
    """The dashboard.* and etl.* modules a file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module in {"dashboard", "etl"}:
                found |= {f"{node.module}.{a.name}" for a in node.names}
            elif node.module.split(".")[0] in {"dashboard", "etl"}:
                found.add(node.module)
    return found


def test_warm_up_covers_every_module_the_entry_page_imports():
    entry = (
        _project_imports(serve.APP)
        | _project_imports(serve.ROOT / "dashboard/routes/overview.py")
        | _project_imports(serve.ROOT / "dashboard/views/overview/__init__.py")
    )
    assert entry, "the entry page imports nothing from the project?"
    assert entry <= set(serve.MODULES), (
        f"add to serve.MODULES: {sorted(entry - set(serve.MODULES))}"
    )
