"""Reading the reviewed knowledge files under ``data/`` with one-line errors for people."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml_mapping(path: Path) -> dict:
    """The reviewed file as a dict; a clear one-line error when it is missing or malformed."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"cannot read {path}: {reason}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"cannot read {path}: expected a mapping at the top level")
    return raw
