"""Command line: ``python -m etl refresh`` and ``python -m etl ensure-store`` (``aijobs-etl``).

Exit codes: 0 every source ok; 1 a store was published but a source failed (its previous rows
kept); 2 nothing could be published, a usage error, or another refresh is running.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from etl import config
from etl.errors import ConfigError
from etl.store import RefreshInProgress, StoreError

# Seconds the start waits, at most, to learn whether the sources are reachable (demo store only).
PROBE_SECONDS = 3.0

EPILOG = """\
exit codes: 0 every source refreshed; 1 the store was published but a source failed (its rows
from the previous store were kept); 2 nothing was published, bad usage, or a refresh is already
running.

examples:
  python -m etl refresh --mirror ../shared/data
  AIJOBS_MIRROR=../shared/data python -m etl refresh --source aijobs_salaries
  python -m etl ensure-store
"""


def _say(console: Console, message: str) -> None:
    """One message as plain lines (never re-wrapped: a path stays on one line)."""
    if not console.quiet:
        print(message, file=console.file, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="Build the AI job-market store (DuckDB) from the configured sources.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--mirror",
        type=Path,
        metavar="DIR",
        help="read every source from this local folder instead of the network "
        "(default: $AIJOBS_MIRROR, else the network)",
    )
    common.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="the store to publish (default: $AIJOBS_STORE, else data/processed/jobs.duckdb)",
    )
    common.add_argument("--quiet", action="store_true", help="no progress bars and no summary")
    refresh = commands.add_parser(
        "refresh",
        parents=[common],
        help="read, normalise, validate and publish every source",
        description="Read every configured source (data/sources/*.yaml), normalise and validate "
        "it, and publish one store atomically. A failing source keeps its previous rows.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    refresh.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="refresh only this source (repeatable); the others keep their rows",
    )
    refresh.add_argument(
        "--progress-file",
        type=Path,
        metavar="PATH",
        help="JSON file rewritten as each source advances (read by the dashboard)",
    )
    commands.add_parser(
        "ensure-store",
        parents=[common],
        help="make sure there is a store to serve, real data whenever available, and say which",
        description="If a real store exists, keep it (rebuilding its marts if an older version "
        "published it). If there is none, or only a DEMO store, build it from the mirror "
        "($AIJOBS_MIRROR) or, when the sources are reachable, the network; when no source can be "
        "loaded, build (or keep) a clearly labelled DEMO store and say how to load real data. "
        "The last line says which store the dashboard serves: demo or real, built when, from what. "
        "Exit code 0 whenever a store is in place.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _refresh(args: argparse.Namespace, console: Console, err: Console):
    from etl.pipeline import refresh, summary_table

    report = refresh(
        out=args.out,
        mirror=args.mirror,
        sources=getattr(args, "source", None),
        progress=not args.quiet,
        progress_file=getattr(args, "progress_file", None),
    )
    if report.lock_cleared:
        _say(err, f"warning: {report.lock_cleared}")
    if not args.quiet:
        console.print(summary_table(report))
    for result in report.results:
        if result.status not in ("ok", "skipped"):
            said = result.message
            if not said.startswith(f"{result.name}:"):
                said = f"{result.name}: {said}"
            _say(err, f"{result.status}: {said}")
    _say(console if report.exit_code == 0 else err, report.message)
    return report


def _upgrade_store(out: Path, console: Console, err: Console, quiet: bool = False) -> int:
    """Upgrade a store published by an older schema (new nullable columns empty, marts
    rebuilt); otherwise nothing to do (said unless ``quiet``)."""
    from etl.store import needs_upgrade, refresh_lock, republish

    def outdated() -> bool:
        return needs_upgrade(out)

    try:
        missing = outdated()
    except StoreError as exc:  # not ours to delete: the dashboard shows the same message
        _say(console, f"a store already exists at {out}; left as it is")
        _say(err, f"warning: {exc}; rebuild it with `python -m etl refresh`")
        return 0
    if not missing:
        if not quiet:
            _say(console, f"a store already exists at {out}; nothing to do")
        return 0
    with refresh_lock(out) as lock:
        if lock.cleared:
            _say(err, f"warning: {lock.cleared}")
        if outdated():  # another process may have upgraded it meanwhile
            _say(
                console,
                f"upgrading the store at {out} (an older schema): new columns, marts rebuilt",
            )
            republish(out)
    _say(console, f"upgraded the store at {out}")
    return 0


def _short_timeouts() -> None:
    """Fail fast when offline: a start must not hang on sources it cannot reach."""
    os.environ.setdefault("AIJOBS_HTTP_TIMEOUT", "5")
    os.environ.setdefault("AIJOBS_HTTP_RETRIES", "1")


def _store_kind(out: Path) -> str | None:
    """ "demo", "real", or None when the file is not a readable store."""
    from etl.store import read_meta

    try:
        return read_meta(out).get("kind", "real")
    except StoreError:
        return None


def _sources_reachable() -> bool:
    from etl.http import any_reachable
    from etl.sources import load_sources, probe_urls

    return any_reachable(probe_urls(load_sources()), timeout=PROBE_SECONDS)


def _replace_demo(args: argparse.Namespace, mirror: Path | None, console: Console, err: Console):
    """A demo store gives way to real data as soon as there is some (a mirror, or the network)."""
    out = Path(args.out)
    if mirror is None:
        _short_timeouts()
        if not _sources_reachable():
            _say(console, "a DEMO store is in place; no mirror (AIJOBS_MIRROR) and the sources are "
                 "not reachable, so it stays")  # fmt: skip
            return _upgrade_store(out, console, err, quiet=True)
        _say(
            console, f"the sources are reachable: replacing the DEMO store at {out} with real data"
        )
    else:
        _say(console, f"replacing the DEMO store at {out} with real data from the mirror {mirror}")
    report = _refresh(args, console, err)
    if report.published:
        return 0
    _say(err, "no source could be loaded: the DEMO store stays")
    return _upgrade_store(out, console, err, quiet=True)


def _ensure_store(args: argparse.Namespace, console: Console, err: Console) -> int:
    """A store to serve: the existing real one, real data in place of a demo, or a new store.

    Exit code 0 whenever a store is in place afterwards (a source that failed is a warning: the
    dashboard can still start); the last line says which store the dashboard serves.
    """
    from etl.store_summary import describe

    out = Path(args.out or config.store_path())
    args.out = out
    mirror = args.mirror or config.mirror_dir()
    if out.exists():
        if _store_kind(out) == "demo":
            code = _replace_demo(args, mirror, console, err)
        else:
            code = _upgrade_store(out, console, err)
    else:
        code = _build_store(args, mirror, console, err)
    if out.exists():
        _say(console, describe(out))
    return code


def _build_store(args: argparse.Namespace, mirror: Path | None, console: Console, err: Console):
    out = Path(args.out)
    if mirror is None:
        _short_timeouts()
        _say(console, "no store and no mirror: trying the network (short timeouts)")
    report = _refresh(args, console, err)
    if report.published:
        return 0
    from etl.demo import build_demo_store

    build_demo_store(out)
    _say(
        err,
        f"built a DEMO store at {out}: made-up data, clearly labelled in the dashboard.\n"
        "Load real data with: AIJOBS_MIRROR=../shared/data make run   or   "
        "python -m etl refresh --mirror ../shared/data",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (see the module docstring)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return 0 if exc.code == 0 else 2
    # Wide enough for the summary table when the output is a pipe or a log (Rich defaults to 80).
    width = None if sys.stdout.isatty() else 140
    console = Console(quiet=args.quiet, width=width)
    err = Console(stderr=True)
    try:
        if args.command == "ensure-store":
            return _ensure_store(args, console, err)
        return _refresh(args, console, err).exit_code
    except RefreshInProgress as exc:
        _say(err, f"already running: {exc}")
        return 2
    except (ConfigError, StoreError) as exc:
        _say(err, f"error: {exc}")
        return 2
    except Exception as exc:  # a bug: one line, not a traceback
        _say(err, f"error: unexpected {type(exc).__name__}: {exc}; the previous store is unchanged")
        return 2
    except KeyboardInterrupt:
        _say(err, "interrupted; the previous store is unchanged")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
