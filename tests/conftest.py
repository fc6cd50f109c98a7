"""Every test runs with its own cache directory: none reads or fills the user's cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path_factory.mktemp("hvlint-cache")
    monkeypatch.setenv("HVLINT_CACHE_DIR", str(d))
    return d
