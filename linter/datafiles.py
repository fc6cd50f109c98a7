"""hvlint's own data tables (linter/data/*.toml), loaded with one clear error."""

from __future__ import annotations

import sys
from importlib import resources
from typing import Any

from hvlint.errors import HvlintError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def load_toml(name: str) -> dict[str, Any]:
    """The parsed `hvlint/data/NAME`, or an HvlintError naming the file."""
    try:
        raw = resources.files("hvlint.data").joinpath(name).read_bytes()
        return tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HvlintError(f"cannot load data table {name}: {exc}") from exc
