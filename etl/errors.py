"""Errors a user or a source can cause; their messages are one line meant for a person."""

from __future__ import annotations


class SourceError(Exception):
    """A source could not be read (network, HTTP status, size, malformed or changed data)."""


class ConfigError(Exception):
    """A sources file (data/sources/*.yaml) is malformed; the message names the file and entry."""


class ValidationError(Exception):
    """The tables about to be published break the store contract; nothing is published."""
