"""Reading the reviewed knowledge files under ``data/`` with one-line errors for people."""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.constructor import ConstructorError

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it (its wheels are): the taxonomies are read at
every refresh and every app start: 0.03 s for data/, against 0.36 s with the pure-Python one."""


class UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """``yaml.SafeLoader`` that refuses a mapping with the same key twice.

    Why: PyYAML silently keeps the last of two equal keys, so a sources file that maps one
    column twice (``Q4: residence_country`` then ``Q4: company_country``) loses the first line
    without a word. A reviewed file must say everything once.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # the base class reports unhashable keys
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (lines {seen[key]} and {line}); "
                    "to feed several columns from one, give a list",
                    key_node.start_mark,
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> object:
    """Parse YAML text like ``yaml.safe_load``, but a duplicate mapping key is an error."""
    return yaml.load(text, Loader=UniqueKeyLoader)


def read_yaml_mapping(path: Path) -> dict:
    """The reviewed file as a dict; a clear one-line error when it is missing or malformed."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split()) if str(exc) else type(exc).__name__
        raise ValueError(f"cannot read {path}: {reason}") from None
    if not isinstance(raw, dict):
        raise ValueError(f"cannot read {path}: expected a mapping at the top level")
    return raw
