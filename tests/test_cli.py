"""The command line: exit codes, messages without tracebacks, the lock, ensure-store."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_pipeline import ROOT, World

from etl.cli import main
from etl.store import read_meta, refresh_lock


@pytest.fixture
def world(tmp_path, monkeypatch) -> World:
    return World(tmp_path, monkeypatch)


def run(world: World, *args: str) -> int:
    return main([*args, "--out", str(world.store), "--quiet"])


def test_refresh_exits_0_when_every_source_loads(world, capsys):
    assert run(world, "refresh", "--mirror", str(world.mirror)) == 0
    assert read_meta(world.store)["kind"] == "real"


def test_refresh_exits_1_and_names_the_broken_source(world, capsys):
    run(world, "refresh", "--mirror", str(world.mirror))
    world.file("survey.csv.gz").write_bytes(b"not gzip")
    capsys.readouterr()
    assert run(world, "refresh", "--mirror", str(world.mirror)) == 1
    err = capsys.readouterr().err
    assert "kept_previous: survey_gz:" in err and "gzip" in err
    assert "Traceback" not in err


def test_the_mirror_can_come_from_the_environment(world, monkeypatch):
    monkeypatch.setenv("AIJOBS_MIRROR", str(world.mirror))
    assert run(world, "refresh", "--source", "hr_xlsx") == 0


def test_an_unknown_source_is_a_usage_error(world, capsys):
    assert run(world, "refresh", "--mirror", str(world.mirror), "--source", "nope") == 2
    assert "unknown source(s) ['nope']" in capsys.readouterr().err


def test_a_broken_sources_file_is_one_line_and_exit_2(world, capsys):
    (world.data / "sources" / "zz.yaml").write_text("sources:\n  - name: x\n    kind: jobs\n")
    assert run(world, "refresh", "--mirror", str(world.mirror)) == 2
    err = capsys.readouterr().err.strip()
    assert "zz.yaml" in err and "'kind' must be one of" in err
    assert len(err.splitlines()) <= 2


def test_a_second_refresh_says_already_running_and_exits_2(world, capsys):
    with refresh_lock(world.store):
        assert run(world, "refresh", "--mirror", str(world.mirror)) == 2
    err = capsys.readouterr().err
    assert "already running" in err and "Traceback" not in err
    assert not world.store.exists()


def test_bad_usage_exits_2(capsys):
    assert main(["refresh", "--no-such-option"]) == 2
    assert main([]) == 2


def test_help_explains_every_option(capsys):
    assert main(["refresh", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--mirror", "--out", "--source", "--progress-file", "--quiet", "AIJOBS_MIRROR",
                   "AIJOBS_STORE", "exit codes"):  # fmt: skip
        assert option in text


def test_ensure_store_leaves_an_existing_store_alone(world, capsys):
    world.store.parent.mkdir(parents=True)
    world.store.write_bytes(b"x")
    assert main(["ensure-store", "--out", str(world.store)]) == 0
    assert "already exists" in capsys.readouterr().out
    assert world.store.read_bytes() == b"x"


def test_ensure_store_builds_a_real_store_from_the_mirror(world, monkeypatch):
    monkeypatch.setenv("AIJOBS_MIRROR", str(world.mirror))
    assert main(["ensure-store", "--out", str(world.store), "--quiet"]) == 0
    assert read_meta(world.store)["kind"] == "real"


def test_ensure_store_falls_back_to_a_labelled_demo_store(world, tmp_path, capsys):
    empty_mirror = tmp_path / "empty"
    empty_mirror.mkdir()
    assert (
        main(["ensure-store", "--out", str(world.store), "--mirror", str(empty_mirror), "--quiet"])
        == 0
    )
    assert read_meta(world.store)["kind"] == "demo"
    err = capsys.readouterr().err
    assert "DEMO" in err and "python -m etl refresh --mirror" in err


def test_python_dash_m_etl_runs_as_a_subprocess(world):
    env = {**os.environ, "AIJOBS_DATA_DIR": str(world.data), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "etl", "refresh", "--mirror", str(world.mirror),
         "--out", str(world.store)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "board_csv" in result.stdout and "published" in result.stdout


def _demo(world: World) -> None:
    from etl.demo import build_demo_store

    build_demo_store(world.store, seed=3)
    assert read_meta(world.store)["kind"] == "demo"


def test_a_demo_store_gives_way_to_the_mirror_and_the_start_says_so(world, monkeypatch, capsys):
    _demo(world)
    monkeypatch.setenv("AIJOBS_MIRROR", str(world.mirror))
    assert main(["ensure-store", "--out", str(world.store)]) == 0
    meta = read_meta(world.store)
    assert (meta["kind"], meta["origin"]) == ("real", "mirror")
    out = capsys.readouterr().out
    assert "replacing the DEMO store" in out
    last = out.strip().splitlines()[-1]
    assert last.startswith("The dashboard serves REAL data at ") and "from the local mirror" in last
    assert (
        "board_csv 3 postings; feed_json 2 postings" in last
        and "survey_gz 4 salary records" in last
    )


def test_a_demo_store_gives_way_as_soon_as_the_sources_answer(world, httpserver, capsys):
    _demo(world)
    survey = (world.mirror / "files" / "survey.csv.gz").read_bytes()
    httpserver.expect_request("/survey.csv.gz").respond_with_data(survey)
    sources = world.data / "sources" / "fixtures.yaml"
    text = sources.read_text()
    anchor = "    mirror_path: files/survey.csv.gz\n"
    assert anchor in text
    sources.write_text(text.replace(anchor, f"    url: {httpserver.url_for('/survey.csv.gz')}\n"))
    assert main(["ensure-store", "--out", str(world.store)]) == 0
    meta = read_meta(world.store)
    assert (meta["kind"], meta["origin"]) == ("real", "network")
    out = capsys.readouterr().out
    assert "the sources are reachable: replacing the DEMO store" in out
    assert "serves REAL data" in out and "from the sources' public URLs" in out


def test_a_demo_store_stays_when_no_real_data_can_be_reached(world, capsys):
    _demo(world)  # the fixture sources have no URL and there is no mirror: nothing to reach
    before = read_meta(world.store)["built_at"]
    assert main(["ensure-store", "--out", str(world.store)]) == 0
    assert read_meta(world.store)["kind"] == "demo"
    assert read_meta(world.store)["built_at"] == before
    out = capsys.readouterr().out
    assert "a DEMO store is in place" in out and "so it stays" in out
    assert "The dashboard serves a DEMO store (generated, not real data)" in out
    assert "AIJOBS_MIRROR=../shared/data make run" in out


def test_a_demo_store_stays_when_the_mirror_has_nothing_to_load(world, tmp_path, capsys):
    _demo(world)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["ensure-store", "--out", str(world.store), "--mirror", str(empty)]) == 0
    assert read_meta(world.store)["kind"] == "demo"
    captured = capsys.readouterr()
    assert "the DEMO store stays" in captured.err
    assert "serves a DEMO store" in captured.out


def test_a_real_store_is_kept_and_every_start_says_what_it_holds(world, capsys):
    assert run(world, "refresh", "--mirror", str(world.mirror)) == 0
    built = read_meta(world.store)["built_at"]
    assert main(["ensure-store", "--out", str(world.store), "--mirror", str(world.mirror)]) == 0
    assert read_meta(world.store)["built_at"] == built  # not rebuilt: it is real already
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert f"built {built[:10]} {built[11:16]} UTC" in last
    assert "serves REAL data" in last and "DEMO" not in last


def test_a_run_that_loads_nothing_keeps_the_stores_recorded_origin(world):
    assert run(world, "refresh", "--mirror", str(world.mirror)) == 0
    assert read_meta(world.store)["origin"] == "mirror"
    assert run(world, "refresh") == 2  # no mirror, and the fixture sources have no URL
    meta = read_meta(world.store)
    assert (meta["kind"], meta["origin"]) == ("real", "mirror")
    assert meta["mirror"] == str(world.mirror.resolve())
