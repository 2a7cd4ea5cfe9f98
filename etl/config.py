"""Paths and settings, resolved from the environment once, in one place.

Environment variables:
- ``AIJOBS_STORE``: path of the DuckDB store (default ``data/processed/jobs.duckdb``).
- ``AIJOBS_MIRROR``: a local folder that mirrors the sources (e.g. ``../shared/data``); when set,
  sources are read from it instead of the network.
- ``AIJOBS_CACHE_DIR``: folder for rebuildable caches (default ``data/cache/``).
- ``AIJOBS_DATA_DIR``: folder of the shipped taxonomies and configuration (default ``data/``).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder holding the reviewed knowledge files (roles, skills, regions, sources)."""
    return Path(os.environ.get("AIJOBS_DATA_DIR", PROJECT_ROOT / "data"))


def store_path() -> Path:
    """Where the published DuckDB store lives."""
    return Path(os.environ.get("AIJOBS_STORE", PROJECT_ROOT / "data" / "processed" / "jobs.duckdb"))


def cache_dir() -> Path:
    """Git-ignored folder for derived, rebuildable caches (e.g. the gazetteer index)."""
    return Path(os.environ.get("AIJOBS_CACHE_DIR", PROJECT_ROOT / "data" / "cache"))


def mirror_dir() -> Path | None:
    """The local mirror of the sources, if one is configured."""
    value = os.environ.get("AIJOBS_MIRROR", "").strip()
    return Path(value) if value else None
